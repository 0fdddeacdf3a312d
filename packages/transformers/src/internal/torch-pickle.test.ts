// pytorch_model.bin through the restricted unpickler: torch.save's format (made by tools/make-torch-bin.py), half weights, hostile and broken files.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tensor } from "@tsorch/tensor";
import { loadFile } from "@tsorch/tensor/node";
import { BertModel } from "@tsorch/transformers";
import { fixtureNames, modelsDir } from "../parity.test-util.js";

const root = new URL("../../../../", import.meta.url).pathname;
const script = join(root, "tools", "make-torch-bin.py");
const python = ["/usr/bin/python3", "python3"].find((p) => {
  try {
    execFileSync(p, ["-c", "import zipfile, pickle"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
});
const hasTorch = !!python && (() => {
  try {
    execFileSync(python, ["-c", "import torch"], { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
})();
const have = !!python && !!modelsDir && fixtureNames.includes("bert-base");
if (!have) console.warn(`pytorch_model.bin: SKIPPED (${python ? "no bert-base fixture" : "no python3 to write torch.save archives"})`);
if (have && !hasTorch) console.warn("pytorch_model.bin: python3-torch absent, the torch.save cross-check is skipped (the stdlib writer still runs)");

const work = mkdtempSync(join(tmpdir(), "tsorch-bin-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a folder with the fixture's config.json and a pytorch_model.bin of its weights (optionally float16). */
async function binFolder(name: string, opts: { half?: boolean; hostile?: boolean; torch?: boolean } = {}): Promise<string> {
  const src = join(modelsDir!, "bert-base");
  const dir = join(work, name);
  execFileSync("mkdir", ["-p", dir]);
  copyFileSync(join(src, "config.json"), join(dir, "config.json"));
  const tensors = await loadFile(join(src, "model.safetensors"));
  const spec = Object.entries(tensors).map(([k, t], i) => {
    const v: Tensor = opts.half && t.dtype === "float32" ? t.to("float16") : t;
    const data = v.contiguous().dataSync() as ArrayBufferView;
    const file = join(dir, `t${i}.raw`);
    writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { name: k, dtype: v.dtype, shape: [...t.shape], file };
  });
  writeFileSync(join(dir, "spec.json"), JSON.stringify({ tensors: spec }));
  execFileSync(python!, [script, join(dir, "spec.json"), join(dir, "pytorch_model.bin"), ...(opts.hostile ? ["--hostile"] : []), ...(opts.torch ? ["--with-torch"] : [])], { timeout: 120_000 });
  return dir;
}

const values = (m: BertModel) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.contiguous().dataSync() as Float32Array)]));

describe.skipIf(!have)("pytorch_model.bin", () => {
  it("loads a torch.save archive into the same weights as model.safetensors", async () => {
    const dir = await binFolder("plain");
    const fromBin = await BertModel.fromPretrained(dir, { warn: () => undefined });
    const fromSt = await BertModel.fromPretrained(join(modelsDir!, "bert-base"));
    expect(values(fromBin)).toEqual(values(fromSt));
  });

  it.skipIf(!hasTorch)("reads what real torch.save writes", async () => {
    const dir = await binFolder("torch", { torch: true });
    const fromBin = await BertModel.fromPretrained(dir, { warn: () => undefined });
    const fromSt = await BertModel.fromPretrained(join(modelsDir!, "bert-base"));
    expect(values(fromBin)).toEqual(values(fromSt));
  });

  it("float16 weights load into float32 parameters, or stay half with dtype", async () => {
    const dir = await binFolder("half", { half: true });
    const m = await BertModel.fromPretrained(dir, { warn: () => undefined });
    const ref = await BertModel.fromPretrained(join(modelsDir!, "bert-base"));
    const a = m.stateDict()["embeddings.word_embeddings.weight"];
    const b = ref.stateDict()["embeddings.word_embeddings.weight"];
    expect(a.dtype).toBe("float32");
    expect(a.sub(b).abs().max().itemSync() as number).toBeLessThan(1e-3);
    const h = await BertModel.fromPretrained(dir, { dtype: "float16", warn: () => undefined });
    expect(h.stateDict()["embeddings.word_embeddings.weight"].dtype).toBe("float16");
  });

  it("refuses a pickle that would run code, without running it", async () => {
    rmSync("/tmp/tsorch-pwned", { force: true });
    const dir = await binFolder("hostile", { hostile: true });
    await expect(BertModel.fromPretrained(dir)).rejects.toThrow(/refusing the global (posix|os)\.system/);
    expect(existsSync("/tmp/tsorch-pwned")).toBe(false);
  });

  it("names truncated archives and files that are not torch.save archives", async () => {
    const dir = await binFolder("broken");
    const bytes = readFileSync(join(dir, "pytorch_model.bin"));
    writeFileSync(join(dir, "pytorch_model.bin"), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(BertModel.fromPretrained(dir)).rejects.toThrow(/pytorch_model\.bin: (not a zip archive|truncated|corrupt)/);
    writeFileSync(join(dir, "pytorch_model.bin"), Buffer.from("this is not a checkpoint at all, just text"));
    await expect(BertModel.fromPretrained(dir)).rejects.toThrow(/not a zip archive/);
  });
});
