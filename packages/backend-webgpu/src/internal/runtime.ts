// The GPU runtime: pipelines cached by kernel source, dispatches batched into one command buffer per flush, staged reads, and device errors kept for the next op.
/// <reference types="@webgpu/types" />

import { BufferPool, type GpuBuffer } from "./pool.js";

/** One buffer bound to a kernel: read-only, or written (bindings follow the list order, after the meta words at binding 0). */
export interface Binding {
  readonly buf: GPUBuffer;
  readonly write?: boolean;
}

/** A kernel launch: its source (the cache key), buffers, meta words, workgroups, and whether it reports errors. */
export interface Launch {
  /** Identifies the kernel source: the pipeline cache key (kernel and shape class). */
  readonly key: string;
  /** The WGSL, built only when the key is not cached yet. */
  readonly code: () => string;
  readonly bindings: readonly Binding[];
  readonly meta: ArrayLike<number>;
  readonly groups: number;
  /** A 3-D grid instead of `groups` (each size within maxComputeWorkgroupsPerDimension). */
  readonly grid?: readonly [number, number, number];
  /** When set, the kernel may flag an error; this describes it from the value the kernel recorded. */
  readonly onError?: (value: number) => string;
  /** Meta word the launch id is written to when `onError` is set (the kernel passes it to `raise`). */
  readonly errWord?: number;
}

// Every dispatch's meta words start at a multiple of 256 bytes (minStorageBufferOffsetAlignment).
const META_ALIGN_WORDS = 64;
const META_WORDS = 1 << 16;
// Every bind group sees a fixed window of meta words at a dynamic offset, so one bind group serves many launches.
const META_BIND_WORDS = 1024;
const MAX_GROUPS_CACHED = 4096;
const MAP_READ = 0x1;
const COPY_DST = 0x8;

/** Wraps a device: the one place that encodes, submits and reads back. */
export class GpuRuntime {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly groups = new Map<string, GPUBindGroup>();
  private readonly bufIds = new WeakMap<GPUBuffer, number>();
  private nextBufId = 1;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly metaHost = new Uint32Array(META_WORDS);
  private metaUsed = 0;
  private readonly metaBuf: GPUBuffer;
  private readonly errBuf: GPUBuffer;
  private errUsed = false;
  private errDescs: ((v: number) => string)[] = [];
  private readonly errChecks = new Set<Promise<void>>();
  private flushScheduled = false;
  private pendingError: Error | undefined;
  private lostError: Error | undefined;
  private readonly maxGroupsX: number;
  /** Dispatches recorded since the runtime started (for the overhead benchmark). */
  dispatches = 0;

  constructor(
    readonly device: GPUDevice,
    poolCapBytes: number,
  ) {
    const lim = device.limits;
    this.maxGroupsX = lim.maxComputeWorkgroupsPerDimension;
    this.pool = new BufferPool(device, poolCapBytes, Math.min(lim.maxBufferSize, lim.maxStorageBufferBindingSize));
    this.metaBuf = device.createBuffer({ size: META_WORDS * 4, usage: 0x80 | COPY_DST });
    this.errBuf = device.createBuffer({ size: 16, usage: 0x80 | 0x4 | COPY_DST });
    device.lost.then((info) => {
      this.lostError = new Error(
        `webgpu: the GPU device was lost (${info.reason}: ${info.message}). Tensors on "webgpu" are gone; create a new backend with createWebGPUBackend() and move data again.`,
      );
    });
    device.addEventListener("uncapturederror", (ev) => {
      const e = (ev as GPUUncapturedErrorEvent).error;
      this.pendingError ??= new Error(`webgpu: uncaptured GPU error: ${e.message}`);
    });
  }

  /** The error to raise on the next op: device loss (sticky) or the first uncaptured / kernel-flagged error (once). */
  takeError(): Error | undefined {
    if (this.lostError) return this.lostError;
    const e = this.pendingError;
    this.pendingError = undefined;
    return e;
  }

  private layout(sig: string): GPUBindGroupLayout {
    let l = this.layouts.get(sig);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      for (let i = 0; i < sig.length; i++)
        entries.push({
          binding: i,
          visibility: 4 /* COMPUTE */,
          buffer: { type: sig[i] === "w" ? "storage" : "read-only-storage", hasDynamicOffset: i === 0 },
        });
      l = this.device.createBindGroupLayout({ entries });
      this.layouts.set(sig, l);
    }
    return l;
  }

  private pipeline(kernel: string, code: () => string, sig: string): GPUComputePipeline {
    const key = sig + "|" + kernel;
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: code() });
      p = this.device.createComputePipeline({
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.layout(sig)] }),
        compute: { module, entryPoint: "main" },
      });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** Number of compiled pipelines (the cache). */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  private enc(): GPUCommandEncoder {
    if (!this.encoder) {
      this.encoder = this.device.createCommandEncoder();
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Ops issued in one synchronous stretch share a command buffer; it is submitted at the next microtask.
        queueMicrotask(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    }
    return this.encoder;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  /** Records a kernel launch. Inputs that alias a written buffer are copied first (WebGPU refuses the overlap). */
  private bufId(b: GPUBuffer): number {
    let id = this.bufIds.get(b);
    if (id === undefined) this.bufIds.set(b, (id = this.nextBufId++));
    return id;
  }

  // Bind groups are cached by layout and buffers; the meta window moves by dynamic offset.
  private bindGroup(sig: string, bufs: readonly GPUBuffer[], err: boolean): GPUBindGroup {
    let key = sig;
    for (const b of bufs) key += "," + this.bufId(b);
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS_CACHED) this.groups.clear();
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.metaBuf, offset: 0, size: META_BIND_WORDS * 4 } }];
      bufs.forEach((buf, i) => entries.push({ binding: i + 1, resource: { buffer: buf } }));
      if (err) entries.push({ binding: bufs.length + 1, resource: { buffer: this.errBuf } });
      g = this.device.createBindGroup({ layout: this.layout(sig), entries });
      this.groups.set(key, g);
    }
    return g;
  }

  /** Records a kernel launch. Inputs that alias a written buffer are copied first (WebGPU refuses the overlap). */
  launch(l: Launch): void {
    const ml = l.meta.length;
    if (ml > META_BIND_WORDS) throw new Error(`webgpu: kernel meta of ${ml} words is too large (tensor rank too high).`);
    let gx: number, gy: number, gz: number;
    if (l.grid) {
      [gx, gy, gz] = l.grid;
      if (Math.max(gx, gy, gz) > this.maxGroupsX)
        throw new RangeError(`webgpu: a kernel grid of [${gx}, ${gy}, ${gz}] workgroups exceeds maxComputeWorkgroupsPerDimension (${this.maxGroupsX}); split the tensor.`);
    } else {
      gx = Math.min(l.groups, this.maxGroupsX);
      gy = gx > 0 ? Math.ceil(l.groups / gx) : 0;
      gz = 1;
      if (gy > this.maxGroupsX)
        throw new RangeError(`webgpu: a kernel needs ${l.groups} workgroups, above maxComputeWorkgroupsPerDimension² (${this.maxGroupsX}²); split the tensor.`);
    }
    if (this.metaUsed + META_BIND_WORDS > META_WORDS) this.flush();
    const bs = l.bindings;
    let aliased = false;
    for (let i = 0; i < bs.length && !aliased; i++)
      if (!bs[i].write) for (let j = 0; j < bs.length; j++) if (bs[j].write && bs[j].buf === bs[i].buf) aliased = true;
    const temps: GpuBuffer[] = [];
    const bufs = bs.map((b) => {
      if (!aliased || b.write || !bs.some((w) => w.write && w.buf === b.buf)) return b.buf;
      const t = this.pool.alloc(b.buf.size, "an aliased input");
      temps.push(t);
      this.copyBuffer(b.buf, 0, t.buffer, 0, b.buf.size);
      return t.buffer;
    });
    const at = this.metaUsed;
    this.metaHost.set(l.meta, at);
    let sig = "r";
    for (const b of bs) sig += b.write ? "w" : "r";
    if (l.onError) {
      this.errDescs.push(l.onError);
      this.metaHost[at + (l.errWord ?? 7)] = this.errDescs.length;
      this.errUsed = true;
      sig += "w";
    }
    this.metaUsed = at + Math.ceil(Math.max(ml, 1) / META_ALIGN_WORDS) * META_ALIGN_WORDS;
    const pipe = this.pipeline(l.key, l.code, sig);
    const group = this.bindGroup(sig, bufs, !!l.onError);
    const enc = this.enc();
    if (!this.pass) this.pass = enc.beginComputePass();
    this.pass.setPipeline(pipe);
    this.pass.setBindGroup(0, group, [at * 4]);
    if (gx * gy * gz > 0) this.pass.dispatchWorkgroups(gx, gy, gz);
    this.dispatches++;
    for (const t of temps) this.pool.release(t);
  }

  /** Records a buffer-to-buffer copy (byte offsets and size multiples of 4). */
  copyBuffer(src: GPUBuffer, srcOff: number, dst: GPUBuffer, dstOff: number, size: number): void {
    const enc = this.enc();
    this.endPass();
    if (size > 0) enc.copyBufferToBuffer(src, srcOff, dst, dstOff, size);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    const enc = this.encoder;
    let errStage: GPUBuffer | undefined;
    const descs = this.errDescs;
    if (this.errUsed) {
      errStage = this.device.createBuffer({ size: 16, usage: MAP_READ | COPY_DST });
      enc.copyBufferToBuffer(this.errBuf, 0, errStage, 0, 16);
      enc.clearBuffer(this.errBuf);
    }
    if (this.metaUsed > 0) this.device.queue.writeBuffer(this.metaBuf, 0, this.metaHost, 0, this.metaUsed);
    this.device.queue.submit([enc.finish()]);
    this.encoder = null;
    this.metaUsed = 0;
    this.errUsed = false;
    this.errDescs = [];
    const doomed = this.pool.doomed.splice(0);
    // Cached bind groups may name a destroyed buffer: start the cache afresh.
    if (doomed.length) this.groups.clear();
    for (const b of doomed) b.destroy();
    if (errStage) {
      const stage = errStage;
      const check: Promise<void> = stage.mapAsync(MAP_READ).then(
        () => {
          const w = new Uint32Array(stage.getMappedRange().slice(0));
          stage.unmap();
          stage.destroy();
          if (w[0] !== 0) this.pendingError ??= new RangeError(descs[w[0] - 1]?.((w[1] | 0)) ?? "webgpu: a kernel reported an error");
          this.errChecks.delete(check);
        },
        (e: unknown) => {
          this.errChecks.delete(check);
          this.pendingError ??= new Error(`webgpu: reading the error flags failed: ${String(e)}`);
        },
      );
      this.errChecks.add(check);
    }
  }

  /** Waits for all submitted work and error checks; rejects with the first pending device or kernel error. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await Promise.all([...this.errChecks]);
    const e = this.takeError();
    if (e) throw e;
  }

  /** Copies `bytes` bytes at `byteOffset` of `buf` back to the host (offset and size rounded out to words). */
  async readBytes(buf: GPUBuffer, byteOffset: number, bytes: number): Promise<Uint8Array> {
    const start = byteOffset & ~3;
    const end = Math.ceil((byteOffset + bytes) / 4) * 4;
    const size = Math.max(4, end - start);
    const stage = this.device.createBuffer({ size, usage: MAP_READ | COPY_DST });
    if (end > start) this.copyBuffer(buf, start, stage, 0, end - start);
    this.flush();
    try {
      await stage.mapAsync(MAP_READ);
    } catch (e) {
      stage.destroy();
      throw this.takeError() ?? new Error(`webgpu: reading a buffer back failed: ${String(e)}`);
    }
    const out = new Uint8Array(stage.getMappedRange().slice(byteOffset - start, byteOffset - start + bytes));
    stage.unmap();
    stage.destroy();
    await Promise.all([...this.errChecks]);
    const err = this.takeError();
    if (err) throw err;
    return out;
  }

  /** Writes host bytes at a word-aligned byte offset, after the work recorded so far. */
  writeBytes(buf: GPUBuffer, byteOffset: number, data: Uint8Array): void {
    // Recorded work must run before this write lands (queue writes overtake unsubmitted commands).
    this.flush();
    this.device.queue.writeBuffer(buf, byteOffset, data.buffer, data.byteOffset, data.byteLength);
  }
}
