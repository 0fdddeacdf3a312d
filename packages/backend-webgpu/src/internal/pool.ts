// A caching allocator of GPU storage buffers by size class, so the steady state of a training loop allocates nothing.
/// <reference types="@webgpu/types" />

/** A tensor's storage on the GPU: the buffer and the bytes the tensor asked for (the buffer may be larger). */
export interface GpuBuffer {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
  /** Size class of the underlying buffer, for the pool. */
  readonly capacity: number;
  /** Cleared when the handle is freed; a second free is refused. */
  live: boolean;
}

/** Usage of every storage buffer: bound to kernels, copied in and out. */
export const STORAGE_USAGE = 0x80 /* STORAGE */ | 0x4 /* COPY_SRC */ | 0x8 /* COPY_DST */;

/** Rounds a byte size up to its size class: multiples of 256 B under 64 KB, then quarters of a power of two. */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, bytes);
  if (b <= 65536) return Math.ceil(b / 256) * 256;
  const p = 2 ** Math.floor(Math.log2(b));
  const q = p / 4;
  return Math.ceil(b / q) * q;
}

/** Pool of freed buffers, reused for the next request of the same size class. */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  allocatedBytes = 0;
  pooledBytes = 0;
  /** Buffers to destroy once the commands that may still use them are submitted. */
  readonly doomed: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly capBytes: number,
    private readonly maxBufferSize: number,
  ) {}

  alloc(bytes: number, what: string): GpuBuffer {
    const capacity = sizeClass(bytes);
    if (capacity > this.maxBufferSize && bytes <= this.maxBufferSize) return this.fresh(bytes, Math.ceil(bytes / 4) * 4 || 16);
    if (bytes > this.maxBufferSize)
      throw new RangeError(
        `webgpu: ${what} needs a buffer of ${bytes} bytes, above this adapter's maxBufferSize / maxStorageBufferBindingSize limit of ${this.maxBufferSize} bytes. ` +
          `Split the tensor into smaller pieces, or move it to the CPU with .to("cpu").`,
      );
    const list = this.free.get(capacity);
    const reused = list?.pop();
    if (reused) {
      this.pooledBytes -= capacity;
      this.allocatedBytes += capacity;
      return { buffer: reused, bytes, capacity, live: true };
    }
    return this.fresh(bytes, capacity);
  }

  private fresh(bytes: number, capacity: number): GpuBuffer {
    const buffer = this.device.createBuffer({ size: capacity, usage: STORAGE_USAGE });
    this.allocatedBytes += capacity;
    return { buffer, bytes, capacity, live: true };
  }

  release(b: GpuBuffer): void {
    if (!b.live) throw new Error("webgpu: buffer freed twice (a tensor was disposed after its storage was already returned).");
    b.live = false;
    this.allocatedBytes -= b.capacity;
    if (this.pooledBytes + b.capacity > this.capBytes) {
      this.doomed.push(b.buffer);
      return;
    }
    let list = this.free.get(b.capacity);
    if (!list) this.free.set(b.capacity, (list = []));
    list.push(b.buffer);
    this.pooledBytes += b.capacity;
  }

  /** Drops every pooled buffer (destroyed after the next submit). */
  emptyCache(): void {
    for (const list of this.free.values()) for (const b of list) this.doomed.push(b);
    this.free.clear();
    this.pooledBytes = 0;
  }
}
