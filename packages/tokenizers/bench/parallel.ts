// All-cores part of `pnpm bench`: TokenizerPool at 1..N worker threads beside Rust's encodeBatch on all its threads (wall time), ids compared on every line.
import { availableParallelism } from "node:os";
import { TokenizerPool } from "@tsorch/tokenizers/node";
import { Tokenizer as RustTokenizer } from "tokenizers";

/** Lines per encodeBatch call, for both libraries. */
const BATCH = 1024;

/** What one child process measures for one tokenizer: MB/s of wall time per runner, and the ids check. */
export interface ParallelMeasured {
  wall: Record<string, number>;
  threads: number;
  idsEqual: string;
}

async function bestWall(run: () => Promise<void>, repeats: number): Promise<number> {
  await run();
  let best = Infinity;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    await run();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/**
 * Times ours with 1..N workers (`pool.encodeBatch`, full Encodings) and Rust's encodeBatch (RAYON_NUM_THREADS unset:
 * all cores), then checks that the pool's ids equal Rust's on every distinct text.
 */
export async function measureParallel(json: string, texts: string[], lines: string[], bytes: number, repeats: number): Promise<ParallelMeasured> {
  const n = Math.max(1, availableParallelism());
  const wall: Record<string, number> = {};
  const batches: string[][] = [];
  for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH));
  let idsEqual = "—";
  for (let k = 1; k <= n; k++) {
    const pool = new TokenizerPool(json, { threads: k });
    try {
      const t = await bestWall(async () => {
        for (const b of batches) await pool.encodeBatch(b);
      }, repeats);
      wall[`ours×${k}`] = bytes / 1e6 / t;
      if (k === n) {
        const rust = RustTokenizer.fromString(json);
        const ref = await rust.encodeBatch(texts);
        const ours = await pool.encodeBatch(texts);
        let same = 0;
        for (let i = 0; i < texts.length; i++) if (JSON.stringify(ours[i].ids) === JSON.stringify(ref[i].getIds())) same++;
        idsEqual = `${((100 * same) / texts.length).toFixed(1)}%`;
      }
    } finally {
      await pool.close();
    }
  }
  const rust = RustTokenizer.fromString(json);
  const t = await bestWall(async () => {
    for (const b of batches) await rust.encodeBatch(b);
  }, repeats);
  wall["rust/batch×all"] = bytes / 1e6 / t;
  return { wall, threads: n, idsEqual };
}
