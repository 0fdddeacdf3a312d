// Header check: every source file opens with a one-line comment saying what it is (the project's code rules).
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const bad = [];
const walk = (dir) => {
  for (const n of readdirSync(dir)) {
    if (n === "node_modules" || n === "dist" || n.startsWith(".")) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|mts)$/.test(n) && !n.endsWith(".d.ts")) {
      const first = readFileSync(p, "utf8").split("\n", 1)[0];
      if (!/^\s*(\/\/|\/\*)/.test(first)) bad.push(relative(root, p));
    }
  }
};
for (const d of ["packages", "examples", "tools"]) if (existsSync(join(root, d))) walk(join(root, d));
if (bad.length) {
  console.error(`header check: ${bad.length} file(s) do not open with a one-line comment on what they are:\n  ${bad.join("\n  ")}`);
  process.exit(1);
}
console.log("header check: ok");
