// The packaging check: builds and packs every public package, installs the tarballs into fresh projects outside the workspace and uses them as users do.
//
// Generic over packages/*: every package.json without "private": true is packed, linted (publint, arethetypeswrong),
// checked for the conventions of docs/contributing.md ("Packaging"), type-checked through every exported subpath under
// bundler / node16 (ESM and CJS) / nodenext with skipLibCheck off, and its README's first ```ts block is type-checked
// and run under ESM and CJS. Then, for the packages the project promises specific uses of: WebGPU (SwiftShader) and a
// third-party backend registered under both module systems, the conformance kit under vitest and node:test, and the
// browser bundle of @tsorch/tokenizers against its size budget (size-limit).
//
// Usage: node tools/check-packaging.mjs [--no-build] [--keep] [--only=step,step]
// Steps: meta, lint, types, readme, backends, identity, copies, conformance, size. Third-party tools come from the npm registry
// (npm's cache is reused between runs); nothing resolves through the workspace's node_modules.

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => a.startsWith("--only="))?.slice(7).split(",");
const want = (step) => !only || only.includes(step);
const failures = [];
const t0 = Date.now();

/** Versions of the third-party tools installed into the temporary project (pinned: the check must be reproducible). */
const TOOLS = {
  typescript: "5.9.3",
  "@types/node": "20.19.0",
  vitest: "4.1.12",
  esbuild: "0.27.7",
  webgpu: "0.6.2",
  publint: "0.3.25",
  "@arethetypeswrong/cli": "0.18.5",
  "size-limit": "11.2.0",
  "@size-limit/esbuild": "11.2.0",
  "@size-limit/file": "11.2.0",
};

/** Browser size budgets (minified + gzip, everything bundled) of single imports. */
const SIZE_BUDGETS = [{ name: "Tokenizer alone", pkg: "@tsorch/tokenizers", code: 'export { Tokenizer } from "@tsorch/tokenizers";', limit: "34 kB" }];

function log(msg) {
  console.log(`[packaging ${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`);
}

function fail(where, detail) {
  failures.push(`${where}: ${detail.trim().split("\n").slice(0, 40).join("\n    ")}`);
  console.log(`  FAIL ${where}`);
}

/** Runs a command; returns { ok, out } (stdout + stderr) instead of throwing. */
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", maxBuffer: 64 << 20, ...opts, env: { ...process.env, ...opts.env } });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

// ---- packages -------------------------------------------------------------------------------------------------
const packages = fs
  .readdirSync(path.join(ROOT, "packages"))
  .map((d) => path.join(ROOT, "packages", d))
  .filter((d) => fs.existsSync(path.join(d, "package.json")))
  .map((dir) => ({ dir, json: JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) }))
  .filter((p) => !p.json.private);
const names = new Set(packages.map((p) => p.json.name));

if (!args.has("--no-build")) {
  log("build (turbo)");
  const b = run("pnpm", ["build"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  if (!b.ok) {
    console.log(b.out);
    throw new Error("packaging check: the build failed (output above); fix it before packing.");
  }
}

const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "tsorch-packaging-"));
const TARBALLS = path.join(WORK, "tarballs");
fs.mkdirSync(TARBALLS);
log(`packing ${packages.length} packages into ${TARBALLS}`);
for (const p of packages) {
  const r = run("pnpm", ["pack", "--pack-destination", TARBALLS], { cwd: p.dir });
  if (!r.ok) fail(`${p.json.name}: pnpm pack`, r.out);
  const tgz = fs.readdirSync(TARBALLS).find((f) => f.startsWith(p.json.name.replace("@", "").replace("/", "-") + "-") && f.endsWith(".tgz"));
  p.tarball = tgz && path.join(TARBALLS, tgz);
  if (p.tarball) {
    p.unpacked = path.join(WORK, "unpacked", p.json.name);
    fs.mkdirSync(p.unpacked, { recursive: true });
    execFileSync("tar", ["-xzf", p.tarball, "-C", p.unpacked, "--strip-components=1"]);
    p.packed = JSON.parse(fs.readFileSync(path.join(p.unpacked, "package.json"), "utf8"));
    p.files = execFileSync("tar", ["-tzf", p.tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, ""));
  }
}
const packed = packages.filter((p) => p.tarball);

// ---- meta: conventions of the published package.json and file list --------------------------------------------
if (want("meta")) {
  log("package metadata and contents");
  for (const p of packed) {
    const j = p.packed;
    const problems = [];
    for (const field of ["license", "repository", "bugs", "homepage", "engines", "description"]) if (!j[field]) problems.push(`no "${field}"`);
    if (!p.files.includes("LICENSE")) problems.push("no LICENSE file in the tarball");
    if (JSON.stringify(j.exports ?? {}).includes("@tsorch/source")) problems.push('the workspace-only "@tsorch/source" export condition is published');
    const shipped = p.files.filter((f) => /^src\//.test(f) || /\.map$/.test(f) || /\.test\.|test-util|test-helpers|test-device|golden-fixtures|browser-page/.test(f));
    if (shipped.length) problems.push(`ships sources, maps or test utilities: ${shipped.slice(0, 6).join(", ")}${shipped.length > 6 ? ` (+${shipped.length - 6})` : ""}`);
    for (const [dep, range] of Object.entries(j.dependencies ?? {})) {
      if (dep === "@tsorch/tensor") problems.push(`"@tsorch/tensor" is a dependency (${range}): packages that extend Tensor take it as a peer dependency (one copy per app)`);
      else if (names.has(dep) && /^\d/.test(range)) problems.push(`internal dependency "${dep}" is pinned exactly (${range}); use a caret range`);
    }
    for (const [dep, range] of Object.entries(j.peerDependencies ?? {})) if (names.has(dep) && /^\d/.test(range)) problems.push(`peer "${dep}" is pinned exactly (${range})`);
    if (problems.length) fail(`${j.name}: package.json / contents`, problems.join("\n"));
  }
}

// ---- the consumer project: tarballs + pinned tools from the registry ------------------------------------------
const APP = path.join(WORK, "app");
write(path.join(APP, "package.json"), JSON.stringify({ name: "tsorch-packaging-app", private: true, version: "0.0.0" }, null, 2));
log("npm install (tarballs + tools from the registry)");
{
  const specs = [...packed.map((p) => p.tarball), ...Object.entries(TOOLS).map(([n, v]) => `${n}@${v}`)];
  const r = run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...specs], { cwd: APP });
  if (!r.ok) {
    console.log(r.out);
    throw new Error("packaging check: npm install of the tarballs failed (output above).");
  }
}
const BIN = path.join(APP, "node_modules", ".bin");
const ESM = path.join(APP, "esm");
const CJS = path.join(APP, "cjs");
write(path.join(ESM, "package.json"), '{ "type": "module" }\n');
write(path.join(CJS, "package.json"), '{ "type": "commonjs" }\n');

// ---- lint: publint + arethetypeswrong -------------------------------------------------------------------------
if (want("lint")) {
  log("publint + arethetypeswrong");
  for (const p of packed) {
    const pl = run(path.join(BIN, "publint"), ["--strict", "--pack", "false", p.unpacked], { cwd: APP });
    if (!pl.ok) fail(`${p.json.name}: publint`, pl.out);
    const at = run(path.join(BIN, "attw"), [p.tarball, "--profile", "node16", "--format", "ascii"], { cwd: APP });
    if (!at.ok) fail(`${p.json.name}: arethetypeswrong`, at.out);
  }
}

// ---- README examples: the first ```ts block of each README ----------------------------------------------------
/** The first ```ts block of a README, and whether it may run in Node (`<!-- example: typecheck-only -->` before it says no). */
function readmeExample(dir) {
  const file = path.join(dir, "README.md");
  if (!fs.existsSync(file)) return null;
  const m = /(<!-- example: typecheck-only[^>]*-->\s*)?```ts\n([\s\S]*?)```/.exec(fs.readFileSync(file, "utf8"));
  return m ? { code: m[2], run: !m[1] } : null;
}
const examples = packed.map((p) => ({ p, ex: readmeExample(p.dir) })).filter((e) => e.ex);
for (const { p, ex } of examples) {
  const base = p.json.name.replace(/[@/]/g, "_");
  // ESM: the block as written. CJS: the same block with its body in an async function (no top-level await in CJS).
  write(path.join(ESM, "readme", `${base}.ts`), `${ex.code}\nexport {};\n`);
  const imports = ex.code.split("\n").filter((l) => /^import /.test(l)).join("\n");
  const body = ex.code.split("\n").filter((l) => !/^import /.test(l)).join("\n");
  write(path.join(CJS, "readme", `${base}.ts`), `${imports}\nvoid (async () => {\n${body}\n})().catch((e) => { console.error(e); process.exitCode = 1; });\n`);
}

// ---- types: every exported subpath + the README blocks, four resolutions, skipLibCheck off ----------------------
if (want("types")) {
  const specifiers = [];
  for (const p of packed) for (const sub of Object.keys(p.packed.exports ?? { ".": null })) if (!sub.includes("*") && sub !== "./package.json") specifiers.push(sub === "." ? p.json.name : `${p.json.name}/${sub.slice(2)}`);
  const allImports = specifiers.map((s, i) => `import * as m${i} from "${s}";`).join("\n") + `\nexport const modules = [${specifiers.map((_, i) => `m${i}`).join(", ")}];\n`;
  write(path.join(ESM, "all-subpaths.ts"), allImports);
  write(path.join(CJS, "all-subpaths.ts"), allImports);
  const strict = { strict: true, skipLibCheck: false, noEmit: true, target: "es2022", lib: ["es2022", "dom", "esnext.disposable"], types: ["node"] };
  const variants = [
    { name: "bundler (ESM)", dir: ESM, opts: { module: "esnext", moduleResolution: "bundler" } },
    { name: "node16 (ESM)", dir: ESM, opts: { module: "node16", moduleResolution: "node16" } },
    { name: "node16 (CJS)", dir: CJS, opts: { module: "node16", moduleResolution: "node16" } },
    { name: "nodenext (ESM)", dir: ESM, opts: { module: "nodenext", moduleResolution: "nodenext" } },
  ];
  for (const v of variants) {
    log(`tsc --strict --skipLibCheck false, ${v.name}`);
    const cfg = path.join(v.dir, `tsconfig.${v.name.replace(/\W+/g, "-")}.json`);
    write(cfg, JSON.stringify({ compilerOptions: { ...strict, ...v.opts }, include: ["all-subpaths.ts", "readme/*.ts"] }, null, 2));
    const r = run(path.join(BIN, "tsc"), ["-p", cfg], { cwd: v.dir });
    if (!r.ok) fail(`tsc ${v.name}`, r.out);
  }
}

/** Transpiles a TypeScript file to JavaScript beside it (ESM as .mjs, CJS as .cjs) with the installed esbuild. */
function transpile(tsFile, format) {
  const out = tsFile.replace(/\.ts$/, format === "esm" ? ".mjs" : ".cjs");
  const r = run(path.join(BIN, "esbuild"), [tsFile, `--format=${format}`, "--platform=node", "--target=node20", `--outfile=${out}`, "--log-level=error"], { cwd: APP });
  if (!r.ok) throw new Error(`esbuild ${tsFile}: ${r.out}`);
  return out;
}

const GPU_ENV = { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? "/usr/lib/chromium/vk_swiftshader_icd.json" };

if (want("readme")) {
  for (const { p, ex } of examples) {
    if (!ex.run) continue;
    const base = p.json.name.replace(/[@/]/g, "_");
    for (const [format, dir] of [["esm", ESM], ["cjs", CJS]]) {
      log(`README example of ${p.json.name} (${format})`);
      const js = transpile(path.join(dir, "readme", `${base}.ts`), format);
      const r = run("node", [js], { cwd: dir, env: GPU_ENV, timeout: 120_000 });
      if (!r.ok) fail(`${p.json.name} README example (${format})`, r.out);
    }
  }
}

// ---- backends: WebGPU and a third-party backend package, under ESM and CJS ------------------------------------
if (want("backends") && names.has("@tsorch/tensor")) {
  // A third-party backend as an npm package: peer-depends on @tsorch/tensor, imports only "@tsorch/tensor/backend".
  const toy = path.join(APP, "node_modules", "toy-backend");
  write(path.join(toy, "package.json"), JSON.stringify({ name: "toy-backend", version: "1.0.0", main: "index.js", peerDependencies: { "@tsorch/tensor": "*" } }, null, 2));
  write(
    path.join(toy, "index.js"),
    `"use strict";
const { registerBackend, getBackend } = require("@tsorch/tensor/backend");
// A device "toy" that runs the CPU backend's kernels: enough to prove registration reaches the Tensor layer.
exports.registerToy = function registerToy() {
  const cpu = getBackend("cpu");
  registerBackend({ ...cpu, name: "toy", kernels: cpu.kernels });
};
`,
  );
  const usesWebgpu = names.has("@tsorch/backend-webgpu");
  const script = (format) => `${format === "esm" ? 'import * as torch from "tsorch";\nimport { registerToy } from "toy-backend";\n' + (usesWebgpu ? 'import { registerWebGPU } from "@tsorch/backend-webgpu";\n' : "") : 'const torch = require("tsorch");\nconst { registerToy } = require("toy-backend");\n' + (usesWebgpu ? 'const { registerWebGPU } = require("@tsorch/backend-webgpu");\n' : "")}
async function main() {
  registerToy();
  const a = torch.ones([2, 3], { device: "toy" }).mul(3).sum();
  if ((await a.item()) !== 18) throw new Error("toy backend computed " + (await a.item()));
  ${usesWebgpu ? `const gpu = await registerWebGPU();
  if (!gpu) throw new Error("registerWebGPU() found no adapter (SwiftShader: VK_ICD_FILENAMES)");
  const x = torch.arange(6).reshape(2, 3).to("webgpu").mul(2).sum(-1);
  const got = await x.tolist();
  if (JSON.stringify(got) !== "[6,24]") throw new Error("webgpu computed " + JSON.stringify(got));` : ""}
  console.log("backends ok (${format})");
  ${usesWebgpu ? "process.exit(0); // the Dawn instance keeps the loop alive" : ""}
}
main().catch((e) => { console.error(e); process.exit(1); });
`;
  for (const [format, dir] of [["esm", ESM], ["cjs", CJS]]) {
    log(`toy backend${usesWebgpu ? " + WebGPU (SwiftShader)" : ""} (${format})`);
    const file = path.join(dir, `backends.${format === "esm" ? "mjs" : "cjs"}`);
    write(file, script(format));
    const r = run("node", [file], { cwd: dir, env: GPU_ENV, timeout: 180_000 });
    if (!r.ok) fail(`backends (${format})`, r.out);
    else console.log(`  ${r.out.trim()}`);
  }
}

// ---- identity: every entry of a package sees the same classes (one core per format) ------------------------------
if (want("identity") && names.has("tsorch") && names.has("@tsorch/tokenizers")) {
  const imp = (format, what, from) => (format === "esm" ? `import ${what} from "${from}";` : `const ${what.replace(/^\* as /, "")} = require("${from}");`);
  const script = (format) => `${imp(format, "* as torch", "tsorch")}
${imp(format, "{ loadFile, saveFile }", "@tsorch/tensor/node")}
${imp(format, "{ Tensor }", "@tsorch/tensor")}
${imp(format, "{ Tokenizer }", "@tsorch/tokenizers")}
${imp(format, "{ fromFile }", "@tsorch/tokenizers/node")}
${imp(format, "{ saveModel, loadModel }", "tsorch/node")}
${imp(format, "os", "node:os")}
${imp(format, "path", "node:path")}
${imp(format, "fs", "node:fs")}
async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsorch-identity-"));
  await saveFile({ a: torch.ones([2, 3]) }, path.join(dir, "a.safetensors"));
  const loaded = await loadFile(path.join(dir, "a.safetensors"));
  if (!(loaded.a instanceof Tensor) || !(loaded.a instanceof torch.Tensor)) throw new Error("loadFile (tensor/node) returned another Tensor class than tsorch's");
  const sum = await torch.ones([2, 3]).add(loaded.a).sum().item();
  if (sum !== 12) throw new Error("ones + loaded = " + sum + ", expected 12");
  const model = new torch.nn.Linear(3, 2);
  await saveModel(model, path.join(dir, "m.safetensors"));
  await loadModel(new torch.nn.Linear(3, 2), path.join(dir, "m.safetensors"));
  fs.writeFileSync(path.join(dir, "tok.json"), JSON.stringify({ version: "1.0", added_tokens: [], model: { type: "WordLevel", vocab: { a: 0, "[UNK]": 1 }, unk_token: "[UNK]" }, pre_tokenizer: { type: "WhitespaceSplit" } }));
  if (!(fromFile(path.join(dir, "tok.json")) instanceof Tokenizer)) throw new Error("tokenizers/node fromFile() is not instanceof Tokenizer");
  console.log("one class per format (${format})");
}
main().catch((e) => { console.error(e); process.exit(1); });
`;
  for (const [format, dir] of [["esm", ESM], ["cjs", CJS]]) {
    log(`one Tensor / Tokenizer class across entries (${format})`);
    const file = path.join(dir, `identity.${format === "esm" ? "mjs" : "cjs"}`);
    write(file, script(format));
    const r = run("node", [file], { cwd: dir, timeout: 120_000 });
    if (!r.ok) fail(`identity (${format})`, r.out);
  }
}

// ---- copies: a second, incompatible @tsorch/tensor in the app fails at import with the clear message -------------
if (want("copies") && names.has("@tsorch/tensor")) {
  log("two incompatible copies of @tsorch/tensor");
  // other-lib nests its own @tsorch/tensor of another release (the version the build baked in, rewritten).
  const tensor = packed.find((p) => p.json.name === "@tsorch/tensor");
  const nested = path.join(APP, "node_modules", "other-lib", "node_modules", "@tsorch", "tensor");
  fs.cpSync(tensor.unpacked, nested, { recursive: true });
  const [major, minor] = tensor.packed.version.split(".").map(Number);
  const other = major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  let rewritten = 0;
  const rewrite = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) rewrite(f);
      else if (f.endsWith(".js")) {
        const text = fs.readFileSync(f, "utf8");
        if (!text.includes("@tsorch/tensor.runtime")) continue;
        fs.writeFileSync(f, text.split(JSON.stringify(tensor.packed.version)).join(JSON.stringify(other)));
        rewritten++;
      }
    }
  };
  rewrite(path.join(nested, "dist"));
  write(path.join(APP, "node_modules", "other-lib", "package.json"), JSON.stringify({ name: "other-lib", version: "1.0.0", main: "index.js" }));
  write(path.join(APP, "node_modules", "other-lib", "index.js"), 'module.exports = require("@tsorch/tensor");\n');
  write(path.join(CJS, "copies.cjs"), 'require("@tsorch/tensor");\nrequire("other-lib");\n');
  const r = run("node", [path.join(CJS, "copies.cjs")], { cwd: CJS });
  if (rewritten === 0) fail("two copies", "found no file holding the runtime's version to rewrite");
  else if (r.ok || !/two incompatible copies are loaded/.test(r.out)) fail("two copies", `expected the "two incompatible copies" error at import, got:\n${r.out || "(no error)"}`);
}

// ---- conformance kit: the toy backend under vitest and node:test ----------------------------------------------
if (want("conformance") && names.has("@tsorch/tensor")) {
  const cases = "skip: { memory: 'the toy backend shares the CPU pool' }, memoryIterations: 10";
  write(
    path.join(ESM, "conformance.vitest.test.mjs"),
    `import { runBackendConformance } from "@tsorch/tensor/testing/vitest";
import { getBackend } from "@tsorch/tensor/backend";
runBackendConformance({ backend: () => ({ ...getBackend("cpu"), name: "toy-vitest" }), ${cases} });
`,
  );
  write(
    path.join(CJS, "conformance.node-test.cjs"),
    `const { describe, it, before, after } = require("node:test");
const { runBackendConformance } = require("@tsorch/tensor/testing");
const { getBackend } = require("@tsorch/tensor/backend");
runBackendConformance({ describe, it, beforeAll: before, afterAll: after, backend: () => ({ ...getBackend("cpu"), name: "toy-node-test" }), ${cases} });
`,
  );
  log("conformance kit under vitest (ESM)");
  const v = run(path.join(BIN, "vitest"), ["run", "--root", ESM, "conformance.vitest.test.mjs"], { cwd: ESM, timeout: 300_000 });
  if (!v.ok) fail("conformance kit under vitest", v.out.split("\n").slice(-40).join("\n"));
  log("conformance kit under node:test (CJS)");
  const n = run("node", ["--test", "conformance.node-test.cjs"], { cwd: CJS, timeout: 300_000 });
  if (!n.ok) fail("conformance kit under node:test", n.out.split("\n").slice(-40).join("\n"));
}

// ---- size: browser bundle budgets -----------------------------------------------------------------------------
if (want("size")) {
  const budgets = SIZE_BUDGETS.filter((b) => names.has(b.pkg));
  const entries = budgets.map((b, i) => {
    write(path.join(APP, "size", `entry${i}.mjs`), `${b.code}\n`);
    return { name: b.name, path: `size/entry${i}.mjs`, limit: b.limit, gzip: true };
  });
  write(path.join(APP, ".size-limit.json"), JSON.stringify(entries, null, 2));
  const pj = JSON.parse(fs.readFileSync(path.join(APP, "package.json"), "utf8"));
  fs.writeFileSync(path.join(APP, "package.json"), JSON.stringify({ ...pj, devDependencies: { ...pj.dependencies } }, null, 2));
  log("size-limit (browser bundle, min + gzip)");
  const r = run(path.join(BIN, "size-limit"), [], { cwd: APP });
  console.log(r.out.trim().split("\n").map((l) => `  ${l}`).join("\n"));
  if (!r.ok) fail("size-limit", r.out);
}

// ---- report ---------------------------------------------------------------------------------------------------
if (!args.has("--keep")) fs.rmSync(WORK, { recursive: true, force: true });
else log(`kept ${WORK}`);
if (failures.length) {
  console.log(`\npackaging check: ${failures.length} failure(s)\n\n- ${failures.join("\n\n- ")}\n`);
  process.exit(1);
}
log("packaging check passed");
