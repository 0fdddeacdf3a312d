// Guard: the safetensors modules (everything but tests) import no Node built-ins, so the main entry stays browser-safe.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : n.endsWith(".ts") && !n.endsWith(".test.ts") ? [p] : [];
  });

it("src/safetensors imports no node: modules and no Buffer", () => {
  const files = sources(here);
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    expect(text, f).not.toMatch(/from\s+["'](node:|fs|path|os|crypto)["'/]/);
    expect(text, f).not.toMatch(/\bBuffer\./);
  }
});
