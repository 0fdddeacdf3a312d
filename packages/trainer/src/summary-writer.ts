// SummaryWriter: TensorBoard event files (TFRecord framing, masked CRC32C, Event/Summary protobufs), as torch.utils.tensorboard.

import { closeSync, mkdirSync, openSync, writeSync, fsyncSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { maskedCrc32c } from "./internal/crc32c.js";
import { ProtoWriter } from "./internal/protobuf-writer.js";

// Field numbers of tensorflow/core/util/event.proto and tensorboard/compat/proto/summary.proto.
const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 };
const VALUE = { tag: 1, simpleValue: 2, histo: 5, tensor: 8, metadata: 9 };
const HISTO = { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 };
const DT_STRING = 7;

/** One TFRecord: length (uint64 LE), its masked CRC, the data, the data's masked CRC. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(data.length), true);
  dv.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  dv.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Bucket edges and counts of `values` over `bins` equal-width bins (the last limit is the maximum). */
function histogram(values: ArrayLike<number>, bins: number): { min: number; max: number; sum: number; sumSq: number; limits: number[]; counts: number[] } {
  let min = Infinity, max = -Infinity, sum = 0, sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
  }
  if (values.length === 0) (min = 0), (max = 0);
  const width = max > min ? (max - min) / bins : 1;
  const n = max > min ? bins : 1;
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.min(n - 1, Math.floor((values[i] - min) / width))]++;
  const limits = counts.map((_, i) => (i === n - 1 ? max : min + (i + 1) * width));
  return { min, max, sum, sumSq, limits, counts };
}

/**
 * Writes TensorBoard event files into `logDir` (`events.out.tfevents.<time>.<host>.<pid>.<n>`), as PyTorch's
 * `SummaryWriter`: scalars, histograms and text, each record flushed to the file as it is added.
 * @example
 * const w = new SummaryWriter("out/runs/exp1");
 * w.addScalar("train/loss", 0.42, 10); w.addHistogram("weights/fc.weight", values, 10); w.addText("args", "lr=1e-3", 0);
 * w.close();
 */
export class SummaryWriter {
  private static count = 0;
  readonly file: string;
  private fd: number | null;

  constructor(readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
    this.file = join(logDir, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}.${process.pid}.${SummaryWriter.count++}`);
    this.fd = openSync(this.file, "a");
    this.writeEvent(new ProtoWriter().double(EVENT.wallTime, Date.now() / 1000).int(EVENT.step, 0).bytes(EVENT.fileVersion, "brain.Event:2").finish());
  }

  private writeEvent(event: Uint8Array): void {
    if (this.fd === null) throw new Error(`SummaryWriter: ${this.file} is closed; create a new SummaryWriter to write more.`);
    writeSync(this.fd, tfRecord(event));
  }

  private writeValue(step: number, value: Uint8Array, wallTime: number): void {
    const summary = new ProtoWriter().bytes(1, value).finish();
    this.writeEvent(new ProtoWriter().double(EVENT.wallTime, wallTime).int(EVENT.step, step).bytes(EVENT.summary, summary).finish());
  }

  /** A scalar (`simple_value`), as `add_scalar`. @example w.addScalar("eval/accuracy", 0.91, 200) */
  addScalar(tag: string, value: number, step: number, wallTime = Date.now() / 1000): void {
    this.writeValue(step, new ProtoWriter().bytes(VALUE.tag, tag).float(VALUE.simpleValue, value).finish(), wallTime);
  }

  /** A histogram of `values` (`HistogramProto`), as `add_histogram`. @example w.addHistogram("grads/fc.weight", g.dataSync(), 10) */
  addHistogram(tag: string, values: ArrayLike<number>, step: number, opts: { bins?: number; wallTime?: number } = {}): void {
    const h = histogram(values, opts.bins ?? 30);
    const histo = new ProtoWriter()
      .double(HISTO.min, h.min).double(HISTO.max, h.max).double(HISTO.num, values.length).double(HISTO.sum, h.sum).double(HISTO.sumSquares, h.sumSq)
      .packedDoubles(HISTO.bucketLimit, h.limits).packedDoubles(HISTO.bucket, h.counts).finish();
    this.writeValue(step, new ProtoWriter().bytes(VALUE.tag, tag).bytes(VALUE.histo, histo).finish(), opts.wallTime ?? Date.now() / 1000);
  }

  /** Text (the text plugin's string tensor), as `add_text`. @example w.addText("args", JSON.stringify(args), 0) */
  addText(tag: string, text: string, step: number, wallTime = Date.now() / 1000): void {
    const pluginData = new ProtoWriter().bytes(1, "text").finish();
    const metadata = new ProtoWriter().bytes(1, pluginData).finish();
    const shape = new ProtoWriter().bytes(2, new ProtoWriter().int(1, 1).finish()).finish();
    const tensor = new ProtoWriter().int(1, DT_STRING).bytes(2, shape).bytes(8, text).finish();
    this.writeValue(step, new ProtoWriter().bytes(VALUE.tag, tag).bytes(VALUE.metadata, metadata).bytes(VALUE.tensor, tensor).finish(), wallTime);
  }

  /** Forces the records to disk. @example w.flush() */
  flush(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  /** Closes the file. @example w.close() */
  close(): void {
    if (this.fd !== null) closeSync(this.fd), (this.fd = null);
  }
}
