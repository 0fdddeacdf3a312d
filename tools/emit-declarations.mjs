// Declarations of a package's build: tsc emits the .d.ts tree of its public entries into dist/esm and a copy goes to dist/cjs.
//
// Run in a package folder after tsup (its "build" script: `tsup && node ../../tools/emit-declarations.mjs`). The
// entries are the "@tsorch/source" targets of the package's exports; tsc follows their imports, so test utilities
// never get declarations. Other tsorch packages resolve to their built declarations (no source condition), as they
// will for users. dist/cjs/package.json marks the CommonJS copy, so TypeScript reads it as CommonJS under node16.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
const entries = Object.values(pkg.exports ?? {})
  .map((v) => (typeof v === "object" ? v["@tsorch/source"] : null))
  .filter(Boolean);
if (!entries.length) throw new Error(`${pkg.name}: no "@tsorch/source" entries in package.json exports; see docs/contributing.md, "Packaging".`);

const config = ".tsconfig.declarations.json";
fs.writeFileSync(
  config,
  JSON.stringify({
    extends: "./tsconfig.json",
    compilerOptions: {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      sourceMap: false,
      customConditions: [],
      rootDir: "src",
      outDir: "dist/esm",
      types: ["node"],
    },
    include: [],
    files: entries,
  }),
);
const tsc = createRequire(path.resolve("package.json")).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", config], { stdio: "inherit" });
fs.rmSync(config);
if (r.status !== 0) process.exit(r.status ?? 1);

function copyDts(from, to) {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) copyDts(a, b);
    else if (e.name.endsWith(".d.ts")) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(a, b);
    }
  }
}
copyDts("dist/esm", "dist/cjs");
fs.writeFileSync("dist/cjs/package.json", '{ "type": "commonjs" }\n');
console.log(`${pkg.name}: declarations for ${entries.length} entr${entries.length === 1 ? "y" : "ies"} in dist/esm and dist/cjs`);
