// Fixture test: every *.safetensors under fixtures/models/* parses, and re-serialising it gives the identical bytes (Python's layout).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseSafetensors, serializeSafetensors } from "./core.js";

const explicit = process.env.TSORCH_FIXTURES;
const root = explicit ?? fileURLToPath(new URL("../../../../../shared/fixtures", import.meta.url));
const modelsDir = join(root, "models");
const files = existsSync(modelsDir)
  ? readdirSync(modelsDir)
      .filter((d) => statSync(join(modelsDir, d)).isDirectory())
      .sort()
      .flatMap((d) =>
        readdirSync(join(modelsDir, d))
          .filter((f) => f.endsWith(".safetensors"))
          .sort()
          .map((f) => join(d, f)),
      )
  : [];
const skip = files.length === 0 && !explicit;
if (skip) console.warn(`safetensors fixtures: SKIPPED, no *.safetensors under ${modelsDir} (set TSORCH_FIXTURES to the fixtures folder)`);

describe.skipIf(skip)("safetensors fixtures (models/*/*.safetensors)", () => {
  it("finds fixture files", () => {
    expect(files.length, `no *.safetensors under ${modelsDir}`).toBeGreaterThan(0);
  });

  it("parses each file and re-serialises it to identical bytes", () => {
    let tensors = 0;
    for (const rel of files) {
      const bytes = new Uint8Array(readFileSync(join(modelsDir, rel)));
      const file = parseSafetensors(bytes);
      expect(file.byteLength, rel).toBe(bytes.byteLength);
      for (const e of file.entries) {
        const data = file.data(e);
        expect(data.length, `${rel}: ${e.name}`).toBe(e.shape.reduce((n, d) => n * d, 1));
      }
      const again = serializeSafetensors(
        file.entries.map((e) => ({ name: e.name, dtype: e.dtype, shape: e.shape, data: file.data(e) })),
        file.metadata,
      );
      const same = again.byteLength === bytes.byteLength && again.every((b, i) => b === bytes[i]);
      expect(same, `${rel}: re-serialised bytes differ from the file`).toBe(true);
      tensors += file.entries.length;
    }
    console.log(`safetensors fixtures: ${files.length} files, ${tensors} tensors parsed and re-serialised byte-identically`);
  });
});
