// TokenizerPool: encodeBatch on every core with Node worker threads (the tokenizer loaded once per worker), results in input order.
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Encoding } from "../encoding.js";
import { padEncodings } from "../padding.js";
import { Tokenizer } from "../tokenizer.js";
import { unpackEncodings } from "./internal/packed-encodings.js";
import type { ChunkRequest, WorkerReply } from "./internal/pool-protocol.js";

/** Options of {@link TokenizerPool}. */
export interface TokenizerPoolOptions {
  /** Worker threads (default: `os.availableParallelism()`). */
  threads?: number;
  /** At most this many texts per message to a worker (default 256). */
  chunkSize?: number;
  /**
   * A chunk ends once its texts hold this many UTF-16 code units (default 16384, about 16 kB of mostly-ASCII text):
   * small enough to balance the load between workers, large enough to amortize a message.
   */
  chunkLength?: number;
}

/** Options of a pool's batch calls. */
export interface PoolEncodeOptions {
  addSpecialTokens?: boolean;
}

/** An input: a text, or a `[text, pair]`. */
export type PoolInput = string | [string, string];

interface Job {
  resolve(): void;
  reject(e: Error): void;
  onResult(reply: WorkerReply & { id: number }): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
}

/**
 * How to start a worker: the built script beside this module (`pool-worker.js` / `.cjs`), or, when this module runs
 * from its TypeScript sources (tests, `pnpm bench`), a small bootstrap that registers tsx's loader in the worker and
 * imports `pool-worker.ts` (Node 20 workers do not inherit the parent's loader hooks).
 */
function workerSource(): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL(here.endsWith(".cjs") ? "./pool-worker.cjs" : "./pool-worker.js", here), eval: false };
  let api: string;
  try {
    const req = createRequire(here);
    const pkgPath = req.resolve("tsx/package.json");
    const pkg = req(pkgPath) as { exports: Record<string, { import: { default: string } }> };
    api = pathToFileURL(join(dirname(pkgPath), pkg.exports["./esm/api"].import.default)).href;
  } catch (e) {
    throw new Error(`TokenizerPool: running from the TypeScript sources needs tsx to load the worker (${(e as Error).message}); build the package or install tsx.`);
  }
  const worker = new URL("./pool-worker.ts", here).href;
  return { script: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`, eval: true };
}

/**
 * A pool of worker threads that each hold the same tokenizer: `encodeBatch` splits the inputs in chunks (by text
 * length), encodes them on every core and returns the encodings in input order, identical to `Tokenizer.encodeBatch`
 * (padding is applied to the whole batch, as there). The results arrive as transferred typed arrays; each field of an
 * `Encoding` (ids, tokens, offsets, ...) is built from them on its first read, so the calling thread pays only for
 * what it reads. Idle workers do not keep the process alive; `close()` ends them. The workers hold a
 * copy of the tokenizer as it was when the pool was made: after changing the tokenizer (added tokens, truncation),
 * make a new pool.
 * @example
 * ```ts
 * import { Tokenizer, TokenizerPool } from "@tsorch/tokenizers/node";
 * const pool = new TokenizerPool(Tokenizer.fromFile("tokenizer.json"), { threads: 4 });
 * const encs = await pool.encodeBatch(["Hello world", "Bonjour"]);
 * await pool.close();
 * ```
 */
export class TokenizerPool {
  readonly threads: number;
  readonly chunkSize: number;
  readonly chunkLength: number;
  private readonly tokenizer: Tokenizer;
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private closed = false;
  private broken: Error | null = null;
  private active = 0;
  private readonly idToToken = (id: number): string | undefined => this.tokenizer.idToToken(id);

  constructor(tokenizer: Tokenizer | string, opts: TokenizerPoolOptions = {}) {
    this.tokenizer = typeof tokenizer === "string" ? Tokenizer.fromString(tokenizer) : tokenizer;
    this.threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
    this.chunkSize = Math.max(1, Math.floor(opts.chunkSize ?? 256));
    this.chunkLength = Math.max(1, Math.floor(opts.chunkLength ?? 16384));
    const json = this.tokenizer.toString();
    const source = workerSource();
    for (let i = 0; i < this.threads; i++) {
      const worker = new Worker(source.script, { workerData: { json }, eval: source.eval });
      let readyResolve!: () => void;
      let readyReject!: (e: Error) => void;
      const ready = new Promise<void>((res, rej) => {
        readyResolve = res;
        readyReject = rej;
      });
      ready.catch(() => undefined);
      worker.on("message", (m: WorkerReply) => {
        if (m.type === "ready") readyResolve();
        else if (m.type === "error" && m.id === -1) readyReject(new Error(`TokenizerPool: a worker could not load the tokenizer: ${m.message}`));
        else this.jobs.get(m.id)?.onResult(m);
      });
      worker.on("error", (e) => this.fail(new Error(`TokenizerPool: worker thread ${i} failed: ${e.message}`), readyReject));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(new Error(`TokenizerPool: worker thread ${i} exited (code ${code}); create a new pool.`), readyReject);
      });
      // After the listeners: idle workers must not keep the process alive (retain() refs them during a batch).
      worker.unref();
      this.slots.push({ worker, ready, busy: false });
    }
  }

  private fail(e: Error, readyReject: (e: Error) => void): void {
    this.broken ??= e;
    readyReject(e);
    for (const job of this.jobs.values()) job.reject(e);
    this.jobs.clear();
  }

  /**
   * Encodes every input on the pool's threads; the same encodings as `tokenizer.encodeBatch(inputs)`, in order.
   * @example
   * ```ts
   * const [a, b] = await pool.encodeBatch(["Hello", ["Question?", "Answer."]]);
   * ```
   */
  async encodeBatch(inputs: PoolInput[], opts: PoolEncodeOptions = {}): Promise<Encoding[]> {
    const out: Encoding[] = new Array(inputs.length);
    await this.run(inputs, opts, false, (start, reply) => {
      if (reply.type !== "encodings") return;
      const sourcesOf = (k: number): string[] => {
        const inp = inputs[start + k];
        return typeof inp === "string" ? [inp] : [inp[0], inp[1]];
      };
      const encs = unpackEncodings(reply.packed, sourcesOf, this.idToToken);
      for (let k = 0; k < encs.length; k++) out[start + k] = encs[k];
    });
    if (this.tokenizer.padding) padEncodings(out, this.tokenizer.padding);
    return out;
  }

  /**
   * Only the ids of every input, each an `Int32Array` view of the buffer a worker transferred (nothing copied, no
   * Encoding built): the fastest path when ids are all you need. Padding is not applied here.
   * @example
   * ```ts
   * const ids = await pool.encodeBatchIds(lines); // ids[k] is an Int32Array
   * ```
   */
  async encodeBatchIds(inputs: PoolInput[], opts: PoolEncodeOptions = {}): Promise<Int32Array[]> {
    const out: Int32Array[] = new Array(inputs.length);
    await this.run(inputs, opts, true, (start, reply) => {
      if (reply.type !== "ids") return;
      let t = 0;
      for (let k = 0; k < reply.lens.length; k++) {
        out[start + k] = reply.ids.subarray(t, t + reply.lens[k]);
        t += reply.lens[k];
      }
    });
    return out;
  }

  /** Sends the chunks to idle workers until all are answered. */
  private async run(inputs: PoolInput[], opts: PoolEncodeOptions, idsOnly: boolean, take: (start: number, reply: WorkerReply) => void): Promise<void> {
    if (this.closed) throw new Error("TokenizerPool: the pool is closed; create a new one.");
    if (this.broken) throw this.broken;
    if (inputs.length === 0) return;
    const addSpecialTokens = opts.addSpecialTokens ?? true;
    this.retain();
    try {
      await Promise.all(this.slots.map((s) => s.ready));
      await new Promise<void>((resolve, reject) => {
        let next = 0;
        let pending = 0;
        let failed = false;
        const send = (slot: Slot): void => {
          if (failed || next >= inputs.length) {
            slot.busy = false;
            if (pending === 0 && !failed) resolve();
            return;
          }
          const start = next;
          let end = start;
          let size = 0;
          const last = Math.min(inputs.length, start + this.chunkSize);
          while (end < last && size < this.chunkLength) {
            const c = inputs[end++];
            size += typeof c === "string" ? c.length : c[0].length + c[1].length;
          }
          const chunk = inputs.slice(start, end);
          next = end;
          const hasPairs = chunk.some((c) => typeof c !== "string");
          const req: ChunkRequest = {
            id: this.nextId++,
            texts: chunk.map((c) => (typeof c === "string" ? c : c[0])),
            pairs: hasPairs ? chunk.map((c) => (typeof c === "string" ? null : c[1])) : null,
            addSpecialTokens,
            idsOnly,
          };
          pending++;
          slot.busy = true;
          this.jobs.set(req.id, {
            resolve,
            reject: (e) => {
              failed = true;
              reject(e);
            },
            onResult: (reply) => {
              this.jobs.delete(req.id);
              pending--;
              if (reply.type === "error") {
                failed = true;
                reject(new Error(`TokenizerPool: encoding inputs ${start}..${start + chunk.length - 1} failed: ${reply.message}`));
                return;
              }
              take(start, reply);
              send(slot);
            },
          });
          slot.worker.postMessage(req);
        };
        for (const slot of this.slots) send(slot);
      });
    } finally {
      this.release();
    }
  }

  /** Workers keep the process alive only while a batch is running. */
  private retain(): void {
    if (this.active++ === 0) for (const s of this.slots) s.worker.ref();
  }
  private release(): void {
    if (--this.active === 0) for (const s of this.slots) s.worker.unref();
  }

  /** Ends the worker threads; later calls are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const e = new Error("TokenizerPool: closed while a batch was running.");
    for (const job of this.jobs.values()) job.reject(e);
    this.jobs.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * One batch on every core: starts a {@link TokenizerPool}, encodes, closes it. For many batches keep a pool instead
 * (starting the workers and loading the tokenizer in each costs tens of milliseconds).
 * @example
 * ```ts
 * const encs = await encodeBatchParallel(tok, lines, { threads: 8 });
 * ```
 */
export async function encodeBatchParallel(tokenizer: Tokenizer | string, inputs: PoolInput[], opts: TokenizerPoolOptions & PoolEncodeOptions = {}): Promise<Encoding[]> {
  const pool = new TokenizerPool(tokenizer, opts);
  try {
    return await pool.encodeBatch(inputs, opts);
  } finally {
    await pool.close();
  }
}
