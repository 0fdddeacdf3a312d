// The one tsup config every package builds with: ESM and CJS, each code-split so a package's entries share one copy of its core.
//
// Layout (see docs/contributing.md, "Packaging"): dist/esm/** (ESM) and dist/cjs/** (CommonJS, marked by
// dist/cjs/package.json {"type":"commonjs"}), each entry at the path of its source under src/. Declarations are not
// bundled: tools/emit-declarations.mjs runs tsc after tsup and puts the same .d.ts tree beside each format, so module
// augmentations (`declare module "../tensor.js"`) keep pointing at real files. Dependencies and peer dependencies
// stay external (tsup's default): one @tsorch/tensor per app.
import { readFileSync, rmSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

/**
 * The build of one package from its entries (output path without extension -> source file).
 * @example export default packageBuild({ index: "src/index.ts", "node/index": "src/node/index.ts" });
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): ReturnType<typeof defineConfig> {
  rmSync("dist", { recursive: true, force: true }); // no file of an older layout survives into the tarball
  // The package's version, for the runtime's check that copies agree (packages/tensor/src/internal/runtime.ts).
  const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
  const common: Options = {
    entry,
    target: "es2022",
    sourcemap: false,
    splitting: true,
    dts: false,
    define: { __TSORCH_VERSION__: JSON.stringify(version) },
    ...extra,
  };
  return defineConfig([
    { ...common, format: "esm", outDir: "dist/esm", clean: true },
    {
      ...common,
      format: "cjs",
      outDir: "dist/cjs",
      clean: true,
      shims: true,
      outExtension: () => ({ js: ".js" }),
    },
  ]);
}
