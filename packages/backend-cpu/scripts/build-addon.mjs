// Builds the native addon with node-gyp at install time and never fails the install: the outcome (built, or why not)
// goes to build/status.json, which the package reads to say which backend serves "cpu" and why.
// Env: TSORCH_CPU_ASAN=1 builds with AddressSanitizer; TSORCH_CPU_SKIP_BUILD=1 skips the build (TS backend serves "cpu").
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const buildDir = join(pkgDir, "build");
const statusFile = join(buildDir, "status.json");
const asan = process.env.TSORCH_CPU_ASAN === "1";
const force = process.argv.includes("--force");

/** Hash of everything the build reads (N-API is ABI-stable, so the Node version does not matter). */
function sourceHash() {
  const h = createHash("sha256");
  const nat = join(pkgDir, "native");
  for (const f of readdirSync(nat).sort()) h.update(f).update(readFileSync(join(nat, f)));
  h.update(readFileSync(join(pkgDir, "binding.gyp"))).update(asan ? "asan" : "release");
  return h.digest("hex");
}

function record(ok, reason, log = "") {
  mkdirSync(buildDir, { recursive: true });
  const hash = ok ? sourceHash() : null;
  writeFileSync(statusFile, JSON.stringify({ ok, reason, asan, hash, node: process.version, at: new Date().toISOString(), log: log.slice(-4000) }, null, 2));
  const line = ok ? `@tsorch/backend-cpu: native addon built${asan ? " (AddressSanitizer)" : ""}.` : `@tsorch/backend-cpu: native addon not built (${reason}); the TypeScript backend will serve "cpu".`;
  console.log(line);
}

function main() {
  if (process.env.TSORCH_CPU_SKIP_BUILD === "1") return record(false, "TSORCH_CPU_SKIP_BUILD=1 was set at install");
  // Up to date: the same sources built the same way already (each pnpm install runs this script).
  if (!force && existsSync(join(buildDir, "Release", "tsorch_cpu.node"))) {
    try {
      const prev = JSON.parse(readFileSync(statusFile, "utf8"));
      if (prev.ok && prev.hash === sourceHash()) return console.log("@tsorch/backend-cpu: native addon up to date.");
    } catch {
      // No readable status: rebuild.
    }
  }
  const require = createRequire(join(pkgDir, "package.json"));
  let gyp;
  try {
    gyp = require.resolve("node-gyp/bin/node-gyp.js");
    require.resolve("node-addon-api");
  } catch (e) {
    return record(false, `node-gyp or node-addon-api is not installed (${e.message.split("\n")[0]})`);
  }
  // node-gyp cannot download headers here: point it at the running Node's own prefix (it ships include/node).
  const nodedir = join(dirname(process.execPath), "..");
  const args = [gyp, "rebuild", `--nodedir=${nodedir}`, "--jobs=2"];
  if (!existsSync(join(nodedir, "include", "node", "node_api.h"))) args.splice(2, 1);
  const r = spawnSync(process.execPath, args, { cwd: pkgDir, encoding: "utf8", env: { ...process.env }, timeout: 600_000 });
  const log = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
  if (r.error) return record(false, `node-gyp could not run: ${r.error.message}`, log);
  if (r.status !== 0) {
    const cause = /not found|No such file|command not found|gyp ERR! find Python|make: not found|g\+\+/i.test(log) ? "compiler or build tools missing" : "build failed";
    return record(false, `${cause} (node-gyp exit ${r.status}; see build/status.json)`, log);
  }
  record(true, "built by node-gyp at install", log);
}

try {
  main();
} catch (e) {
  try {
    record(false, `build script error: ${e instanceof Error ? e.message : String(e)}`);
  } catch {
    // The install must succeed even when nothing can be written.
  }
}
process.exit(0);
