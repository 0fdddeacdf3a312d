// Cycle check: no import cycle (type-only imports included) inside any package's src, found with madge; run by `pnpm lint` and `pnpm test`.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import madge from "madge";

const root = new URL("..", import.meta.url).pathname;
const pkgsDir = join(root, "packages");
const failures = [];
let checked = 0;

// Every package with a src folder is covered, so a new package needs no entry here.
for (const dir of readdirSync(pkgsDir).sort()) {
  const src = join(pkgsDir, dir, "src");
  if (!existsSync(src)) continue;
  const result = await madge(src, {
    fileExtensions: ["ts"],
    tsConfig: join(root, "tsconfig.base.json"),
    // Other packages are resolved by name and are not part of this package's graph.
    excludeRegExp: [/node_modules/, /\.d\.ts$/],
  });
  checked++;
  for (const cycle of result.circular()) failures.push(`packages/${dir}/src: ${cycle.join(" -> ")} -> ${cycle[0]}`);
}

if (failures.length) {
  console.error(
    `cycle check: ${failures.length} import cycle(s). Break each at its cause (move the shared piece into its own module, ` +
      `or pass the dependency in), never with a lazy import:\n  ${failures.join("\n  ")}`,
  );
  process.exit(1);
}
console.log(`cycle check: ok (${checked} packages, no import cycles)`);
