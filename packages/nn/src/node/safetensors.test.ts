// Tests of saveModel / loadModel: an MLP's state dict round-trips through a safetensors file, tied weights saved once.
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manualSeed, type Tensor } from "@tsorch/tensor";
import { loadFile } from "@tsorch/tensor/node";
import { Embedding, Linear, Module, ReLU, Sequential } from "@tsorch/nn";
import { loadModel, saveModel } from "@tsorch/nn/node";

const values = (t: Tensor) => Array.from(t.dataSync() as Float32Array);

describe("safetensors files", () => {
  it("round-trips an MLP's state dict", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsorch-nn-"));
    try {
      manualSeed(0);
      const a = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
      manualSeed(1);
      const b = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
      const path = join(dir, "mlp.safetensors");
      await saveModel(a, path);
      const file = await loadFile(path);
      expect(Object.keys(file).sort()).toEqual(["0.bias", "0.weight", "2.bias", "2.weight"]);
      expect(await loadModel(b, path)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      for (const [k, t] of Object.entries(a.stateDict())) expect(values(b.stateDict()[k])).toEqual(values(t));
      // Another architecture is refused by key.
      const c = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 2));
      await expect(loadModel(c, path)).rejects.toThrow(/size mismatch for 0.weight/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("round-trips through bytes in memory (browser-safe)", async () => {
    const { saveModelToBytes, loadModelFromBytes } = await import("@tsorch/nn");
    manualSeed(0);
    const a = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
    const b = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
    const bytes = await saveModelToBytes(a);
    expect(loadModelFromBytes(b, bytes)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const [k, t] of Object.entries(a.stateDict())) expect(values(b.stateDict()[k])).toEqual(values(t));
    expect(() => loadModelFromBytes(new Sequential(new Linear(2, 4)), bytes)).toThrow(/Unexpected key\(s\): .*"2\.weight"/);
  });

  it("saves tied weights once and restores the tie's other key", async () => {
    class Lm extends Module {
      readonly wte = this.registerModule("wte", new Embedding(10, 4));
      readonly lmHead = this.registerModule("lm_head", new Linear(4, 10, { bias: false }));
      constructor() {
        super();
        this.lmHead.weight = this.lmHead.registerParameter("weight", this.wte.weight);
      }
      forward(): void {}
    }
    const dir = mkdtempSync(join(tmpdir(), "tsorch-nn-"));
    try {
      const path = join(dir, "lm.safetensors");
      const a = new Lm();
      expect(await saveModel(a, path)).toEqual(["lm_head.weight"]);
      expect(Object.keys(await loadFile(path))).toEqual(["wte.weight"]);
      const b = new Lm();
      expect(await loadModel(b, path)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(values(b.lmHead.weight)).toEqual(values(a.wte.weight));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
