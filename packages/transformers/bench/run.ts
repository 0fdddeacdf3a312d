// Runs every benchmark of @tsorch/transformers (each `bench/*.bench.ts`, in name order); `pnpm bench` calls this.
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const f of readdirSync(here).filter((n) => n.endsWith(".bench.ts")).sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`\n== ${f} ==`);
  await import(pathToFileURL(`${here}/${f}`).href);
}
