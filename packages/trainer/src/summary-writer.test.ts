// Tests of the TensorBoard writer, read back by an independent reader: protobufjs decoding from a .proto written here.

import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import protobuf from "protobufjs";
import { manualSeed } from "@tsorch/tensor";
import { SummaryWriter, Trainer } from "@tsorch/trainer";
import { TinyClassifier, makeRows } from "./internal/tiny-classifier.js";

// TensorFlow's event.proto / summary.proto / tensor.proto, the fields TensorBoard reads (written from the public schema).
const PROTO = `
syntax = "proto3";
message PluginData { string plugin_name = 1; bytes content = 2; }
message SummaryMetadata { PluginData plugin_data = 1; string display_name = 2; string summary_description = 3; }
message HistogramProto { double min = 1; double max = 2; double num = 3; double sum = 4; double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true]; repeated double bucket = 7 [packed = true]; }
message Dim { int64 size = 1; string name = 2; }
message TensorShapeProto { repeated Dim dim = 2; bool unknown_rank = 3; }
message TensorProto { int32 dtype = 1; TensorShapeProto tensor_shape = 2; int32 version_number = 3; bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true]; repeated double double_val = 6 [packed = true]; repeated bytes string_val = 8; }
message Value { string node_name = 7; string tag = 1; SummaryMetadata metadata = 9; oneof value { float simple_value = 2;
  bytes obsolete_old_style_histogram = 3; bytes image = 4; HistogramProto histo = 5; bytes audio = 6; TensorProto tensor = 8; } }
message Summary { repeated Value value = 1; }
message Event { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; bytes graph_def = 4; Summary summary = 5; } }
`;
const Event = protobuf.parse(PROTO).root.lookupType("Event");

// An independent CRC-32C (bitwise, no table) for the reader.
function crc32cBitwise(b: Uint8Array): number {
  let c = ~0 >>> 0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}
const mask = (c: number) => ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;

type Ev = { step: number; wallTime: number; fileVersion?: string; summary?: { value: { tag: string; simpleValue?: number; histo?: { num: number; bucket: number[]; bucketLimit: number[]; min: number; max: number }; tensor?: { stringVal: Uint8Array[]; floatVal: number[]; tensorContent: Uint8Array }; metadata?: { pluginData?: { pluginName: string } } }[] } };

function readEvents(file: string): Ev[] {
  const buf = new Uint8Array(readFileSync(file));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Ev[] = [];
  for (let off = 0; off < buf.length; ) {
    const len = Number(dv.getBigUint64(off, true));
    expect(dv.getUint32(off + 8, true)).toBe(mask(crc32cBitwise(buf.subarray(off, off + 8))));
    const data = buf.subarray(off + 12, off + 12 + len);
    expect(dv.getUint32(off + 12 + len, true)).toBe(mask(crc32cBitwise(data)));
    out.push(Event.toObject(Event.decode(data), { longs: Number, defaults: false }) as Ev);
    off += 16 + len;
  }
  return out;
}

describe("SummaryWriter", () => {
  it("writes TFRecord-framed Event protobufs: version, scalars, histograms, text", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsorch-tb-"));
    const w = new SummaryWriter(dir);
    for (let s = 0; s < 5; s++) w.addScalar("train/loss", 1 / (s + 1), s);
    const vals = Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    w.addHistogram("parameters/w", vals, 3, { bins: 20 });
    w.addText("notes", "hello **tensorboard**", 0);
    w.close();
    expect(readdirSync(dir)[0]).toMatch(/^events\.out\.tfevents\.\d+\./);
    const ev = readEvents(w.file);
    expect(ev[0].fileVersion).toBe("brain.Event:2");
    const scalars = ev.flatMap((e) => (e.summary?.value ?? []).filter((v) => v.simpleValue !== undefined).map((v) => [e.step, v.tag, v.simpleValue]));
    expect(scalars).toEqual([0, 1, 2, 3, 4].map((s) => [s, "train/loss", Math.fround(1 / (s + 1))]));
    const h = ev.flatMap((e) => e.summary?.value ?? []).find((v) => v.histo)!.histo!;
    expect(h.num).toBe(1000);
    expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.bucketLimit.length).toBe(20);
    expect(h.max).toBe(Math.max(...vals));
    const text = ev.flatMap((e) => e.summary?.value ?? []).find((v) => v.tag === "notes")!;
    expect(text.metadata?.pluginData?.pluginName).toBe("text");
    expect(new TextDecoder().decode(text.tensor!.stringVal[0])).toBe("hello **tensorboard**");
    console.log(`read back ${ev.length} events with protobufjs`);
    rmSync(dir, { recursive: true, force: true });
  });

  it("the Trainer with reportTo tensorboard logs train/eval scalars and weight/gradient histograms under outputDir/runs", async () => {
    const out = mkdtempSync(join(tmpdir(), "tsorch-tb-"));
    manualSeed(0);
    const t = new Trainer({ model: new TinyClassifier(), args: { outputDir: out, maxSteps: 6, perDeviceTrainBatchSize: 4, loggingSteps: 2, evalStrategy: "steps", evalSteps: 3, saveStrategy: "no", reportTo: ["tensorboard"], disableTqdm: true, runName: "r1" }, trainDataset: makeRows(24), evalDataset: makeRows(8, 9) });
    await t.train();
    const dir = join(out, "runs", "r1");
    const file = readdirSync(dir).find((n) => n.startsWith("events.out.tfevents."))!;
    const values = readEvents(join(dir, file)).flatMap((e) => (e.summary?.value ?? []).map((v) => ({ step: e.step, ...v })));
    const tags = new Set(values.map((v) => v.tag));
    for (const tag of ["train/loss", "train/learning_rate", "train/grad_norm", "eval/loss", "parameters/fc1.weight", "gradients/head.bias", "args"]) expect(tags.has(tag), tag).toBe(true);
    const losses = values.filter((v) => v.tag === "train/loss").map((v) => [v.step, v.simpleValue]);
    const expected = t.state.logHistory.filter((e) => "loss" in e).map((e) => [e.step, Math.fround(e.loss)]);
    expect(losses).toEqual(expected);
    rmSync(out, { recursive: true, force: true });
  });

  // A real TensorFlow 2 event file (github.com/orktes/go-tensorboard testdata, no licence stated, so it is read in place
  // from a local mirror and not copied into the repository): it checks that this test's reader follows the real format.
  const REAL = process.env.TSORCH_TFEVENTS_SAMPLE ?? "/work/.mirror/orktes+go-tensorboard/repo";
  it.skipIf(!existsSync(REAL))("the independent reader parses a real TensorFlow event file (CRCs and protobufs)", async () => {
    let bytes: Buffer;
    if (REAL.endsWith("/repo")) {
      const { execFileSync } = await import("node:child_process");
      bytes = execFileSync("git", ["--git-dir", REAL, "show", "HEAD:testdata/tfevents/events.out.tfevents.1585499054.Jaakkos-Mac-mini.local.11684.5.v2"]);
    } else bytes = readFileSync(REAL);
    const f = join(mkdtempSync(join(tmpdir(), "tsorch-tb-")), "events.out.tfevents.real");
    (await import("node:fs")).writeFileSync(f, bytes);
    const ev = readEvents(f);
    expect(ev[0].fileVersion).toBe("brain.Event:2");
    const scalars = ev.flatMap((e) => (e.summary?.value ?? []).filter((v) => v.tag === "my_metric").map((v) => [e.step ?? 0, new DataView(v.tensor!.tensorContent.buffer, v.tensor!.tensorContent.byteOffset, 4).getFloat32(0, true)]));
    expect(scalars.length).toBe(100);
    for (const [step, v] of scalars) expect(v).toBe(0.5 * step);
    console.log(`real event file: ${ev.length} events, ${scalars.length} scalars read`);
  });
});
if (!existsSync(process.env.TSORCH_TFEVENTS_SAMPLE ?? "/work/.mirror/orktes+go-tensorboard/repo"))
  console.warn("summary-writer.test: skipping the real-event-file check (no local copy of orktes/go-tensorboard's testdata; set TSORCH_TFEVENTS_SAMPLE to an event file of 100 my_metric scalars).");
