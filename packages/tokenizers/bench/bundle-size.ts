// Size of the core entry as shipped to browsers: esbuild --bundle --minify of src/index.ts (everything) and of `import { Tokenizer }` alone (tree-shaken), raw and gzipped.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, stop } from "esbuild";

/** Minified and minified+gzipped byte sizes of one bundle. */
export interface BundleSize {
  minified: number;
  gzipped: number;
}

async function sizeOf(contents: string, dir: string): Promise<BundleSize> {
  const res = await build({
    stdin: { contents, resolveDir: dir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = res.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

/** `all`: every export of the core entry (trainers included); `tokenizer`: an app that imports only `Tokenizer`. */
export async function coreBundleSize(): Promise<{ all: BundleSize; tokenizer: BundleSize }> {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
  const all = await sizeOf(`export * from "./index.ts";`, src);
  const tokenizer = await sizeOf(`export { Tokenizer } from "./index.ts";`, src);
  // esbuild keeps a service process alive; end it so nothing else runs while the timings are taken.
  await stop();
  return { all, tokenizer };
}
