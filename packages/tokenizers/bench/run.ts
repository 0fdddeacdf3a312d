// Encode throughput (MB/s, one thread) of @tsorch/tokenizers beside the Rust library (npm `tokenizers`), @huggingface/tokenizers and tiktoken, with ids equality vs Rust.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { Tokenizer } from "@tsorch/tokenizers";
import { get_encoding } from "tiktoken";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { coreBundleSize } from "./bundle-size.js";
import { measureParallel, type ParallelMeasured } from "./parallel.js";
import { buildLines, corpusTexts, findFixtures, readTokenizerConfig, readTokenizerFile } from "./corpus.js";

/** One implementation under test: `run` encodes every line (timed), `ids` gives one line's ids (for equality). */
interface Runner {
  name: string;
  run(lines: string[]): Promise<void> | void;
  ids(line: string): Promise<number[]> | number[];
}

const MB = Number(process.env.BENCH_MB ?? 3);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/** Fresh processes per tokenizer: V8 sometimes settles on slower code for a whole process (seen: 2x, one run in three), so the best process counts. */
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 2);
const BATCH = 256;
const TOKENIZERS = (process.env.BENCH_TOKENIZERS ?? "gpt2,bert-base-uncased,llama-2,t5-small").split(",");

/** Best CPU time (user + system, all threads of this process) and best wall time, in seconds, of `REPEATS` runs after a warm-up on `warm`. */
async function timeBest(r: Runner, warm: string[], lines: string[]): Promise<{ cpu: number; wall: number }> {
  for (let k = 0; k < 5; k++) await r.run(warm);
  let cpu = Infinity;
  let wall = Infinity;
  for (let k = 0; k < REPEATS; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await r.run(lines);
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
    if (process.env.BENCH_DEBUG) console.error(`${r.name} rep ${k}: ${((c.user + c.system) / 1e6).toFixed(3)} s CPU`);
  }
  return { cpu, wall };
}

/**
 * Factories of the runners for one tokenizer, in timing order. Each library is built just before it is timed, so ours
 * runs in a process that holds nothing else (a heap holding the other libraries' tokenizers made our timings bimodal).
 */
function runnersFor(name: string, json: string, config: Record<string, unknown>): Array<() => Runner | null> {
  let rust: RustTokenizer | null = null;
  const rustTok = (): RustTokenizer => (rust ??= RustTokenizer.fromString(json));
  return [
    () => {
      const ours = Tokenizer.fromString(json);
      return {
        name: "ours",
        run: (lines) => {
          for (const l of lines) ours.encode(l);
        },
        ids: (l) => ours.encode(l).ids,
      };
    },
    () => {
      const r = rustTok();
      return {
        name: "rust/line",
        run: async (lines) => {
          for (const l of lines) await r.encode(l);
        },
        ids: async (l) => (await r.encode(l)).getIds(),
      };
    },
    () => {
      const r = rustTok();
      return {
        name: "rust/batch",
        run: async (lines) => {
          for (let i = 0; i < lines.length; i += BATCH) await r.encodeBatch(lines.slice(i, i + BATCH));
        },
        ids: async (l) => (await r.encodeBatch([l]))[0].getIds(),
      };
    },
    () => {
      try {
        const hf = new HfTokenizer(JSON.parse(json) as object, config);
        hf.encode("warm up");
        return {
          name: "hf-js",
          run: (lines) => {
            for (const l of lines) hf.encode(l);
          },
          ids: (l) => hf.encode(l).ids,
        };
      } catch (e) {
        console.error(`  @huggingface/tokenizers cannot load ${name}: ${(e as Error).message}`);
        return null;
      }
    },
    () => {
      if (name !== "gpt2") return null;
      const enc = get_encoding("gpt2");
      return {
        name: "tiktoken",
        run: (lines) => {
          for (const l of lines) enc.encode(l, "all");
        },
        ids: (l) => Array.from(enc.encode(l, "all")),
      };
    },
  ];
}

function fmt(x: number | undefined, digits = 2): string {
  return x === undefined ? "—" : x.toFixed(digits);
}

function printTable(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(" | ")} |`);
  console.log(`| ${header.map(() => "---").join(" | ")} |`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

/** What one child process measures for one tokenizer. */
interface Measured {
  cpu: Record<string, number>;
  wall: Record<string, number>;
  equal: Record<string, string>;
}

/** Times every runner on `name` and compares ids with Rust's (runs in a child process of its own). */
async function measureOne(root: string, name: string, texts: string[], lines: string[], bytes: number): Promise<Measured | null> {
  const json = readTokenizerFile(root, name);
  if (json === null) return null;
  const runners: Runner[] = [];
  const cpu: Record<string, number> = {};
  const wall: Record<string, number> = {};
  for (const make of runnersFor(name, json, readTokenizerConfig(root, name))) {
    const r = make();
    if (r === null) continue;
    runners.push(r);
    const t = await timeBest(r, texts, lines);
    cpu[r.name] = bytes / 1e6 / t.cpu;
    wall[r.name] = bytes / 1e6 / t.wall;
  }
  const reference: number[][] = [];
  const rust = runners.find((r) => r.name === "rust/line")!;
  for (const t of texts) reference.push(await rust.ids(t));
  const equal: Record<string, string> = {};
  for (const r of runners) {
    if (r.name.startsWith("rust")) continue;
    let same = 0;
    for (let i = 0; i < texts.length; i++) if (JSON.stringify(await r.ids(texts[i])) === JSON.stringify(reference[i])) same++;
    equal[r.name] = `${((100 * same) / texts.length).toFixed(1)}%`;
  }
  return { cpu, wall, equal };
}

async function main(): Promise<void> {
  const root = findFixtures();
  if (root === null) {
    console.log("tokenizers bench skipped: no fixtures (set TSORCH_FIXTURES or put them at <repo>/../shared/fixtures/tokenizers).");
    return;
  }
  const texts = corpusTexts(root);
  const { lines, bytes } = buildLines(texts, MB * 1e6);
  const par = process.env.BENCH_PARALLEL_ONE;
  if (par !== undefined) {
    const json = readTokenizerFile(root, par);
    console.log(JSON.stringify(json === null ? null : await measureParallel(json, texts, lines, bytes, REPEATS)));
    return;
  }
  const one = process.env.BENCH_ONE;
  if (one !== undefined) {
    console.log(JSON.stringify(await measureOne(root, one, texts, lines, bytes)));
    return;
  }
  const size = await coreBundleSize();
  console.log(`@tsorch/tokenizers encode throughput, one thread, Node ${process.version}`);
  console.log(`input: ${texts.length} fixture corpus texts repeated to ${lines.length} lines, ${(bytes / 1e6).toFixed(2)} MB UTF-8; best of ${REPEATS} runs after 5 warm-up passes over the distinct texts, in each of ${PROCESSES} fresh processes per tokenizer`);
  console.log(`rust/line = await encode(line) one by one; rust/batch = await encodeBatch(${BATCH} lines) with RAYON_NUM_THREADS=${process.env.RAYON_NUM_THREADS ?? "1"}; ids compared on the ${texts.length} distinct texts`);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
  console.log(`core bundle (esbuild --bundle --minify, ES2022): whole entry ${kb(size.all.minified)}, gzipped ${kb(size.all.gzipped)}; only Tokenizer imported ${kb(size.tokenizer.minified)}, gzipped ${kb(size.tokenizer.gzipped)}\n`);
  const header = ["tokenizer", "ours", "rust/line", "rust/batch", "hf-js", "tiktoken", "ours÷rust/line", "ours÷rust/batch", "ids = rust (ours / hf-js / tiktoken)"];
  const rows: string[][] = [];
  const wallRows: string[][] = [];
  for (const name of TOKENIZERS) {
    // Fresh processes per tokenizer: an app runs one tokenizer, and V8's code for one pipeline should not be shaped by another's.
    let m: Measured | null = null;
    let failed = false;
    for (let p = 0; p < PROCESSES && !failed; p++) {
      const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
        // One rayon thread: encodeBatch would otherwise spread long batches over both cores (single-thread comparison).
        env: { RAYON_NUM_THREADS: "1", ...process.env, BENCH_ONE: name },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      const last = child.stdout.trim().split("\n").pop() ?? "";
      try {
        const got = JSON.parse(last) as Measured | null;
        if (got === null) break;
        if (m === null) m = got;
        else for (const k of Object.keys(got.cpu)) {
          m.cpu[k] = Math.max(m.cpu[k], got.cpu[k]);
          m.wall[k] = Math.max(m.wall[k], got.wall[k]);
        }
      } catch {
        console.log(`  ${name}: the measuring process failed (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
        failed = true;
      }
    }
    if (failed) continue;
    if (m === null) {
      console.log(`  ${name}: no tokenizer.json in the fixtures, skipped`);
      continue;
    }
    const { cpu, wall, equal } = m;
    rows.push([
      name,
      fmt(cpu.ours),
      fmt(cpu["rust/line"]),
      fmt(cpu["rust/batch"]),
      fmt(cpu["hf-js"]),
      fmt(cpu.tiktoken),
      `${fmt(cpu.ours / cpu["rust/line"], 1)}×`,
      `${fmt(cpu.ours / cpu["rust/batch"], 1)}×`,
      [equal.ours, equal["hf-js"] ?? "—", equal.tiktoken ?? "—"].join(" / "),
    ]);
    wallRows.push([name, fmt(wall.ours), fmt(wall["rust/line"]), fmt(wall["rust/batch"]), fmt(wall["hf-js"]), fmt(wall.tiktoken)]);
    console.log(`  ${name} done`);
  }
  console.log(`\nMB/s of UTF-8 input per second of CPU time (process user + system, so the Rust worker thread counts; steady under other load)\n`);
  printTable(header, rows);
  console.log(`\nMB/s per second of wall time (noisy when other jobs share the machine)\n`);
  printTable(header.slice(0, 6), wallRows);
  if (process.env.BENCH_PARALLEL !== "0") allCores(rows);
}

/**
 * All cores: MB/s of wall time of TokenizerPool at 1..N workers (the scaling figure) and of Rust's encodeBatch on all
 * its threads, one fresh process per tokenizer; the one-thread ours÷rust ratios are repeated beside them.
 */
function allCores(singleRows: string[][]): void {
  const rows: string[][] = [];
  let threads = 0;
  for (const name of TOKENIZERS) {
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_PARALLEL_ONE: name };
    delete env.RAYON_NUM_THREADS;
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    let m: ParallelMeasured | null = null;
    try {
      m = JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as ParallelMeasured | null;
    } catch {
      console.log(`  ${name}: the all-cores process failed (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
    }
    if (m === null) continue;
    threads = m.threads;
    const scaling = Array.from({ length: m.threads }, (_, k) => fmt(m.wall[`ours×${k + 1}`]));
    const best = m.wall[`ours×${m.threads}`];
    const single = singleRows.find((r) => r[0] === name);
    rows.push([name, ...scaling, fmt(m.wall["rust/batch×all"]), `${fmt(best / m.wall["rust/batch×all"], 1)}×`, single?.[7] ?? "—", m.idsEqual]);
  }
  if (rows.length === 0) return;
  console.log(`\nAll cores (${threads}): MB/s of wall time; ours = TokenizerPool.encodeBatch (full Encodings) with 1..${threads} worker threads, rust = encodeBatch(${1024} lines) on all rayon threads\n`);
  const header = ["tokenizer", ...Array.from({ length: threads }, (_, k) => `ours ${k + 1} thr`), "rust all", "ours÷rust (all cores)", "ours÷rust/batch (1 thread)", "ids = rust (pool)"];
  printTable(header, rows);
}

await main();
