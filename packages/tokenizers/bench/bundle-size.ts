// Size of the core entry as shipped to browsers: esbuild --bundle --minify of src/index.ts, raw and gzipped.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Minified and minified+gzipped byte sizes of the bundled core entry. */
export async function coreBundleSize(): Promise<{ minified: number; gzipped: number }> {
  const here = dirname(fileURLToPath(import.meta.url));
  const res = await build({
    entryPoints: [resolve(here, "../src/index.ts")],
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
