// Tests of fromPretrained / savePretrained's file handling: pytorch_model.bin (made by torch at test time and hostile ones), half-precision safetensors, shards, HF's key rules and bad input.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tensor, type Tensor } from "@tsorch/tensor";
import { AutoConfig, AutoModel, BertConfig, BertForSequenceClassification, BertModel, HubFileNotFoundError } from "./index.js";

const tmp = mkdtempSync(join(tmpdir(), "tsorch-loading-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PY = "/usr/bin/python3";
const hasTorch = existsSync(PY) && spawnSync(PY, ["-c", "import torch"], { timeout: 60_000 }).status === 0;
if (!hasTorch) console.log(`loading.test: skipping the torch.save-made pytorch_model.bin cases: ${PY} cannot import torch (apt install python3-torch).`);

const small = (numLabels = 2) =>
  new BertConfig({ vocabSize: 40, hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 16, maxPositionEmbeddings: 16, numLabels });
const values = (t: Tensor) => Array.from(t.to("float64").contiguous().dataSync() as Float64Array);
const quiet = { warn: () => {} };

function expectSameState(a: BertForSequenceClassification | BertModel, b: BertForSequenceClassification | BertModel, tol = 0): number {
  const sa = a.stateDict();
  const sb = b.stateDict();
  expect(Object.keys(sb).sort()).toEqual(Object.keys(sa).sort());
  for (const k of Object.keys(sa)) {
    const x = values(sa[k]!);
    const y = values(sb[k]!);
    expect(y.length).toBe(x.length);
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i]! - y[i]!) > tol) expect.fail(`${k}[${i}]: ${y[i]} vs ${x[i]}`);
  }
  return Object.keys(sa).length;
}

/** Writes a stored (uncompressed) zip, as torch.save does, from name → bytes; CRCs are left zero (the reader does not use them). */
function storedZip(files: Record<string, Uint8Array>): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = enc.encode(name);
    const lh = new Uint8Array(30 + n.length);
    const dv = new DataView(lh.buffer);
    dv.setUint32(0, 0x04034b50, true);
    dv.setUint32(18, data.length, true);
    dv.setUint32(22, data.length, true);
    dv.setUint16(26, n.length, true);
    lh.set(n, 30);
    const ch = new Uint8Array(46 + n.length);
    const cv = new DataView(ch.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    ch.set(n, 46);
    locals.push(lh, data);
    centrals.push(ch);
    offset += lh.length + data.length;
  }
  const cdSize = centrals.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** A model folder with the given config and a pytorch_model.bin holding `bin`. */
function binFolder(name: string, bin: Uint8Array): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify(small().toDict()));
  writeFileSync(join(dir, "pytorch_model.bin"), bin);
  return dir;
}

describe("pytorch_model.bin", () => {
  // Writes the model's tensors with torch.save: float32, float16 and bfloat16 ones, a transposed (strided) view and one at a storage offset.
  const TORCH_SAVE = `
import json, sys, collections, torch
spec = json.load(open(sys.argv[1]))
sd = collections.OrderedDict()
for k, v in spec.items():
    t = torch.tensor(v["values"], dtype=torch.float32).reshape(v["shape"])
    if k.endswith("classifier.weight"):
        t = t.t().contiguous().t()          # strided view: stride (1, rows)
    elif k.endswith("word_embeddings.weight"):
        big = torch.zeros(t.numel() + 7)
        big[7:] = t.reshape(-1)
        t = big[7:].view(v["shape"])         # storage offset 7 inside a larger storage
    elif k.endswith("LayerNorm.weight"):
        t = t.bfloat16()                     # bfloat16 storage (ones: exact)
    elif k.endswith("LayerNorm.bias"):
        t = t.half()                         # half storage: loads to float32
    sd[k] = t
torch.save(sd, sys.argv[2])
`;

  it.skipIf(!hasTorch)("loads what torch.save wrote: float32, float16, bfloat16, strided views, storage offsets", async () => {
    const ref = new BertForSequenceClassification(small());
    const spec = Object.fromEntries(Object.entries(ref.stateDict()).map(([k, t]) => [k, { shape: t.shape, values: values(t) }]));
    const dir = join(tmp, "torch-bin");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
    writeFileSync(join(dir, "config.json"), JSON.stringify(ref.config.toDict()));
    const r = spawnSync(PY, ["-c", TORCH_SAVE, join(dir, "spec.json"), join(dir, "pytorch_model.bin")], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const warnings: string[] = [];
    const got = await BertForSequenceClassification.fromPretrained(dir, { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    for (const t of got.parameters()) expect(t.dtype).toBe("float32");
    // float16 rounding on the LayerNorm biases only (they are ~0 at init, so 1e-3 covers it); the rest is exact.
    const n = expectSameState(ref, got, 1e-3);
    const wk = "bert.embeddings.word_embeddings.weight";
    expect(values(got.stateDict()[wk]!)).toEqual(values(ref.stateDict()[wk]!));
    expect(values(got.stateDict()["classifier.weight"]!)).toEqual(values(ref.stateDict()["classifier.weight"]!));
    console.log(`pytorch_model.bin: ${n} tensors read from a torch.save file`);

    // Truncated at any of several points: a clear error, never a half-loaded model.
    const bytes = readFileSync(join(dir, "pytorch_model.bin"));
    for (const cut of [10, Math.floor(bytes.length / 3), bytes.length - 30]) {
      const tdir = binFolder(`truncated-${cut}`, bytes.subarray(0, cut));
      await expect(BertForSequenceClassification.fromPretrained(tdir, quiet)).rejects.toThrow(/pytorch_model\.bin: .*(truncated|corrupt|not a zip|broken)/);
    }
  });

  it.skipIf(!hasTorch)("refuses a torch.save file whose pickle would call os.system, without running it", async () => {
    const dir = join(tmp, "evil-torch");
    mkdirSync(dir, { recursive: true });
    const marker = join(dir, "pwned");
    const script = `
import os, sys, torch
class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + sys.argv[2],))
torch.save({"bert.pooler.dense.bias": torch.zeros(8), "x": Evil()}, sys.argv[1])
`;
    const r = spawnSync(PY, ["-c", script, join(dir, "pytorch_model.bin"), marker], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    writeFileSync(join(dir, "config.json"), JSON.stringify(small().toDict()));
    await expect(BertForSequenceClassification.fromPretrained(dir, quiet)).rejects.toThrow(/refusing the global (posix|os)\.system/);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses hand-made hostile and malformed pickles with clear errors", async () => {
    const latin = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const cases: [string, Uint8Array, RegExp][] = [
      // GLOBAL os system, then a call: the classic pickle exploit.
      ["global", latin("\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00echo\x85R."), /refusing the global os\.system/],
      // subprocess via STACK_GLOBAL (protocol 4).
      ["stack-global", latin("\x80\x04\x8c\x0asubprocess\x94\x8c\x05Popen\x94\x93."), /refusing the global subprocess\.Popen/],
      ["opcode", latin("\x80\x02\xff."), /unsupported pickle opcode 0xff/],
      ["truncated", latin("\x80\x02X\x10\x00\x00\x00abc"), /truncated/],
      ["not-a-dict", latin("\x80\x02K\x05."), /does not hold a state dict/],
    ];
    for (const [name, pkl, re] of cases) {
      const dir = binFolder(`hostile-${name}`, storedZip({ "archive/data.pkl": pkl, "archive/version": latin("3\n") }));
      await expect(BertForSequenceClassification.fromPretrained(dir, quiet), name).rejects.toThrow(re);
    }
    await expect(BertForSequenceClassification.fromPretrained(binFolder("not-zip", latin("\x80\x02}q\x00.")), quiet)).rejects.toThrow(/not a zip archive/);
    await expect(BertForSequenceClassification.fromPretrained(binFolder("no-pkl", storedZip({ "archive/version": latin("3\n") })), quiet)).rejects.toThrow(/no data\.pkl/);
    console.log(`pytorch_model.bin: ${cases.length + 2} hostile or malformed files refused`);
  });
});

describe("safetensors: half precision, shards, keys", () => {
  it("float16 and bfloat16 checkpoints load to float32 by default and keep their dtype with { dtype }", async () => {
    for (const half of ["float16", "bfloat16"] as const) {
      const ref = new BertForSequenceClassification(small());
      ref.to(half);
      const dir = join(tmp, `half-${half}`);
      await ref.savePretrained(dir);
      expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).torch_dtype).toBe(half);
      const f32 = await BertForSequenceClassification.fromPretrained(dir, quiet);
      for (const p of f32.parameters()) expect(p.dtype).toBe("float32");
      expectSameState(ref, f32);
      const kept = await BertForSequenceClassification.fromPretrained(dir, { dtype: half, ...quiet });
      for (const p of kept.parameters()) expect(p.dtype).toBe(half);
      expectSameState(ref, kept);
    }
  });

  it("saves shards with an index above maxShardSize, atomically, and loads them back", async () => {
    const ref = new BertForSequenceClassification(small());
    const dir = join(tmp, "sharded");
    await ref.savePretrained(dir, { maxShardSize: 4000 });
    const files = readdirSync(dir).sort();
    const shards = files.filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f));
    expect(shards.length).toBeGreaterThan(1);
    expect(files).toContain("model.safetensors.index.json");
    expect(files).not.toContain("model.safetensors");
    expect(files.some((f) => f.includes(".tmp"))).toBe(false);
    const index = JSON.parse(readFileSync(join(dir, "model.safetensors.index.json"), "utf8")) as { metadata: { total_size: number }; weight_map: Record<string, string> };
    expect(new Set(Object.values(index.weight_map))).toEqual(new Set(shards));
    expect(index.metadata.total_size).toBeGreaterThan(0);
    const back = await BertForSequenceClassification.fromPretrained(dir, quiet);
    const n = expectSameState(ref, back);
    // Saving unsharded into the same folder replaces the shards.
    await back.savePretrained(dir);
    const again = await BertForSequenceClassification.fromPretrained(dir, quiet);
    expectSameState(ref, again);
    await expect(ref.savePretrained(join(tmp, "bad-size"), { maxShardSize: "lots" })).rejects.toThrow(/maxShardSize/);
    console.log(`shards: ${shards.length} files, ${n} tensors round-tripped`);
  });

  it("moves weights between base and head models (prefix added and dropped) and names newly initialised heads", async () => {
    const base = new BertModel(small());
    const dir = join(tmp, "base");
    await base.savePretrained(dir);
    const warnings: string[] = [];
    const head = await BertForSequenceClassification.fromPretrained(dir, { warn: (m) => warnings.push(m) });
    expect(warnings.join("\n")).toMatch(/newly initialized: \[.*'classifier\.weight'.*\]/s);
    for (const [k, t] of Object.entries(base.stateDict())) expect(values(head.stateDict()[`bert.${k}`]!)).toEqual(values(t));
    const hdir = join(tmp, "head");
    await head.savePretrained(hdir);
    const w2: string[] = [];
    const back = await AutoModel.fromPretrained(hdir, { warn: (m) => w2.push(m) });
    expect(back).toBeInstanceOf(BertModel);
    expectSameState(base, back as BertModel);
    expect(w2.join("\n")).toMatch(/were not used when initializing BertModel: \[.*'classifier\.weight'/s);
  });

  it("refuses a shape mismatch naming the key and both shapes, unless ignoreMismatchedSizes", async () => {
    const dir = join(tmp, "mismatch");
    await new BertForSequenceClassification(small(2)).savePretrained(dir);
    await expect(BertForSequenceClassification.fromPretrained(dir, { configOverrides: { numLabels: 5 }, ...quiet })).rejects.toThrow(
      /size mismatch for classifier\.(weight|bias): .*has shape \[2(, 8)?\].*has \[5(, 8)?\].*ignoreMismatchedSizes/s,
    );
    const warnings: string[] = [];
    const m = await BertForSequenceClassification.fromPretrained(dir, { configOverrides: { numLabels: 5 }, ignoreMismatchedSizes: true, warn: (w) => warnings.push(w) });
    expect(m.stateDict()["classifier.weight"]!.shape).toEqual([5, 8]);
    expect(warnings.join("\n")).toMatch(/classifier\.weight/);
  });
});

describe("bad input", () => {
  it("a folder without config.json, an unknown model_type, corrupt weights", async () => {
    const empty = join(tmp, "empty");
    mkdirSync(empty, { recursive: true });
    await expect(BertModel.fromPretrained(empty, quiet)).rejects.toThrow(HubFileNotFoundError);
    await expect(BertModel.fromPretrained(empty, quiet)).rejects.toThrow(/no config\.json/);
    const unknown = join(tmp, "unknown");
    mkdirSync(unknown, { recursive: true });
    writeFileSync(join(unknown, "config.json"), JSON.stringify({ model_type: "not-a-model" }));
    await expect(AutoConfig.fromPretrained(unknown)).rejects.toThrow(/not-a-model.*bert/s);
    await expect(AutoModel.fromPretrained(unknown)).rejects.toThrow(/not-a-model/);

    const good = join(tmp, "good");
    await new BertModel(small()).savePretrained(good);
    const bytes = readFileSync(join(good, "model.safetensors"));
    for (const cut of [4, 100, bytes.length - 16]) {
      const dir = join(tmp, `trunc-st-${cut}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "config.json"), readFileSync(join(good, "config.json")));
      writeFileSync(join(dir, "model.safetensors"), bytes.subarray(0, cut));
      await expect(BertModel.fromPretrained(dir, quiet), `cut at ${cut}`).rejects.toThrow(/safetensors/i);
    }
  });

  it("inputs of the wrong dtype and sequences longer than max_position_embeddings", () => {
    const model = new BertModel(small());
    model.eval();
    expect(() => model.forward({ inputIds: tensor([[1.5, 2.5]]) })).toThrow(/inputIds.*int/is);
    const long = tensor([Array.from({ length: 17 }, (_, i) => i % 40)], { dtype: "int64" });
    expect(() => model.forward({ inputIds: long })).toThrow(/17.*16|max_position_embeddings|maxPositionEmbeddings/s);
  });
});
