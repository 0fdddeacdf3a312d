// Dataset: construction from rows / JSONL / CSV / TSV / Parquet (written at test time with hyparquet-writer), transforms, seeded shuffle and splits, tensor format, folder loading.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Tensor } from "@tsorch/tensor";
import { CsvParseError, Dataset, concatenateDatasets, datasetFromParquet, hfCacheDatasetSnapshot, loadDatasetFolder, splitOfPath } from "@tsorch/trainer";

const tmp = mkdtempSync(join(tmpdir(), "tsorch-dataset-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("Dataset construction", () => {
  it("fromList takes the union of keys, missing values null", () => {
    const ds = Dataset.fromList([{ a: 1 }, { b: "x", a: 2 }]);
    expect(ds.columnNames).toEqual(["a", "b"]);
    expect(ds.toList()).toEqual([{ a: 1, b: null }, { a: 2, b: "x" }]);
    expect(() => Dataset.fromDict({ a: [1, 2], b: [1] })).toThrow(/column "b" has 1 values but "a" has 2/);
  });

  it("JSON Lines: blank lines skipped, errors name the line", () => {
    const ds = Dataset.fromJsonl('{"text":"hi","label":1}\n\n{"text":"yo","label":0}\n');
    expect(ds.numRows).toBe(2);
    expect(ds.column("label")).toEqual([1, 0]);
    expect(() => Dataset.fromJsonl('{"a":1}\n{"a":\n', "f.jsonl")).toThrow(/f\.jsonl: line 2: not valid JSON/);
    expect(() => Dataset.fromJsonl('{"a":1}\n[1]\n')).toThrow(/line 2: expected a JSON object/);
  });

  it("CSV: quotes, doubled quotes, delimiters and newlines inside quotes, CRLF, numeric columns", () => {
    const text = 'text,label,score\r\n"a, quoted ""cell""",1,0.5\r\n"two\nlines",0,\r\nplain,2,1e3\r\n';
    const ds = Dataset.fromCsv(text);
    expect(ds.column("text")).toEqual(['a, quoted "cell"', "two\nlines", "plain"]);
    expect(ds.column("label")).toEqual([1, 0, 2]);
    expect(ds.column("score")).toEqual([0.5, null, 1000]);
    const tsv = Dataset.fromCsv("id\tsentence\n007\thello, world\n", { delimiter: "\t" });
    expect(tsv.row(0)).toEqual({ id: 7, sentence: "hello, world" });
    expect(Dataset.fromCsv("a,b\nx,1\n", { inferTypes: false }).row(0)).toEqual({ a: "x", b: "1" });
  });

  it("CSV errors name the line", () => {
    const bad = (t: string) => {
      try {
        Dataset.fromCsv(t, {}, "data.csv");
      } catch (e) {
        expect(e).toBeInstanceOf(CsvParseError);
        return [(e as CsvParseError).line, (e as Error).message];
      }
      throw new Error("no error");
    };
    expect(bad("a,b\n1,2\n3\n")).toEqual([3, expect.stringMatching(/data\.csv: line 3: 1 fields but the header has 2/)]);
    expect(bad('a,b\n1,2\n"open,2\n4,5\n')).toEqual([3, expect.stringMatching(/line 3: a quoted field opened here is never closed/)]);
    expect(bad('a,b\n1,x"y\n')).toEqual([2, expect.stringMatching(/quote inside an unquoted field/)]);
    expect(bad('a,b\n"x"y,1\n')).toEqual([2, expect.stringMatching(/after a closing quote/)]);
    // the line count follows newlines inside quoted fields
    expect(bad('a,b\n"x\ny",1\n2\n')[0]).toBe(4);
  });
});

describe("Dataset transforms", () => {
  const ds = Dataset.fromDict({ text: ["a", "bb", "ccc", "dddd", "eeeee"], label: [0, 1, 0, 1, 0] });

  it("map per row and batched (growing rows needs removeColumns), with indices", () => {
    const m = ds.map((r) => ({ len: (r.text as string).length }));
    expect(m.columnNames).toEqual(["text", "label", "len"]);
    expect(m.column("len")).toEqual([1, 2, 3, 4, 5]);
    const b = ds.map((batch, idx) => ({ label: (batch.label as number[]).map((l, j) => l + idx[j] * 10) }), { batched: true, batchSize: 2 });
    expect(b.column("label")).toEqual([0, 11, 20, 31, 40]);
    const chunks = ds.map((batch) => ({ piece: (batch.text as string[]).flatMap((t) => t.split("")) }), { batched: true, removeColumns: ["text", "label"] });
    expect(chunks.numRows).toBe(15);
    expect(() => ds.map((batch) => ({ piece: (batch.text as string[]).flatMap((t) => t.split("")) }), { batched: true })).toThrow(/pass removeColumns/);
  });

  it("filter, select, columns", () => {
    expect(ds.filter((r) => r.label === 1).column("text")).toEqual(["bb", "dddd"]);
    expect(ds.filter((b) => (b.text as string[]).map((t) => t.length > 3), { batched: true, batchSize: 2 }).numRows).toBe(2);
    expect(ds.select([4, 0, 0]).column("text")).toEqual(["eeeee", "a", "a"]);
    expect(() => ds.select([5])).toThrow(/index 5 is out of range for 5 rows/);
    expect(ds.renameColumn("label", "labels").columnNames).toEqual(["text", "labels"]);
    expect(ds.removeColumns(["text"]).columnNames).toEqual(["label"]);
    expect(() => ds.column("nope")).toThrow(/no column "nope"; columns are text, label/);
  });

  it("shuffle is a seeded permutation: same seed same order, other seed other order", () => {
    const big = Dataset.fromDict({ i: Array.from({ length: 50 }, (_, i) => i) });
    const a = big.shuffle({ seed: 42 }).column("i");
    expect(big.shuffle({ seed: 42 }).column("i")).toEqual(a);
    expect([...a].sort((x, y) => (x as number) - (y as number))).toEqual(big.column("i"));
    expect(big.shuffle({ seed: 43 }).column("i")).not.toEqual(a);
    expect(a).not.toEqual(big.column("i"));
  });

  it("trainTestSplit: sizes as datasets (test = ceil), disjoint, seeded", () => {
    const big = Dataset.fromDict({ i: Array.from({ length: 10 }, (_, i) => i) });
    const { train, test } = big.trainTestSplit({ testSize: 0.25, seed: 1 });
    expect([train.numRows, test.numRows]).toEqual([7, 3]);
    expect([...train.column("i"), ...test.column("i")].sort((x, y) => (x as number) - (y as number))).toEqual(big.column("i"));
    expect(big.trainTestSplit({ testSize: 0.25, seed: 1 }).test.column("i")).toEqual(test.column("i"));
    expect(big.trainTestSplit({ testSize: 2, shuffle: false }).test.column("i")).toEqual([8, 9]);
    expect(() => big.trainTestSplit({ testSize: 10 })).toThrow(/row count below 10/);
  });

  it("tensor format: rows and batches as int64/float32 tensors, other columns kept or dropped", () => {
    const enc = Dataset.fromDict({ input_ids: [[1, 2, 3], [4, 5, 6]], label: [1, 0], score: [0.5, 1.5], text: ["x", "y"] });
    const f = enc.withFormat({ type: "tensor", columns: ["input_ids", "label", "score"] });
    const b = f.getBatch([0, 1]);
    expect(Object.keys(b)).toEqual(["input_ids", "label", "score"]);
    const ids = b.input_ids as Tensor;
    expect([ids.dtype, ids.shape]).toEqual(["int64", [2, 3]]);
    expect((b.score as Tensor).dtype).toBe("float32");
    const row = f.get(1);
    expect((row.label as Tensor).shape).toEqual([]);
    expect(Object.keys(enc.withFormat({ type: "tensor", columns: ["label"], outputAllColumns: true }).get(0))).toEqual(["input_ids", "label", "score", "text"]);
    const ragged = Dataset.fromDict({ input_ids: [[1, 2], [3]] }).withFormat({ type: "tensor" });
    expect(() => ragged.getBatch([0, 1])).toThrow(/pad them first/);
  });
});

describe("Parquet and folders", () => {
  const parquet = (text: string[], label: number[]) =>
    parquetWriteBuffer({
      columnData: [
        { name: "text", data: text, type: "STRING" },
        { name: "label", data: label.map(BigInt), type: "INT64" },
      ],
    });

  it("reads a Parquet file written with hyparquet-writer; INT64 becomes numbers", async () => {
    const ds = await datasetFromParquet(parquet(["good", "bad", "ok"], [1, 0, 1]));
    expect(ds.columnNames).toEqual(["text", "label"]);
    expect(ds.toList()).toEqual([{ text: "good", label: 1 }, { text: "bad", label: 0 }, { text: "ok", label: 1 }]);
    expect((await datasetFromParquet(parquet(["a"], [3]), { columns: ["label"] })).columnNames).toEqual(["label"]);
    await expect(datasetFromParquet(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), { source: "x.parquet" })).rejects.toThrow(/x\.parquet: could not read Parquet/);
  });

  it("reads list columns (NER-style tokens / tags) as arrays, ready for the tensor format", async () => {
    const buf = parquetWriteBuffer({ columnData: [{ name: "tokens", data: [["EU", "rejects"], ["Peter"]] }, { name: "ner_tags", data: [[3, 0], [1]] }] });
    const ds = await datasetFromParquet(buf);
    expect(ds.toList()).toEqual([{ tokens: ["EU", "rejects"], ner_tags: [3, 0] }, { tokens: ["Peter"], ner_tags: [1] }]);
    expect((ds.withFormat({ type: "tensor", columns: ["ner_tags"] }).get(0).ner_tags as Tensor).shape).toEqual([2]);
  });

  it("splitOfPath follows the Hub's names", () => {
    expect(splitOfPath("data/train-00000-of-00002.parquet")).toBe("train");
    expect(splitOfPath("plain_text/validation/0000.parquet")).toBe("validation");
    expect(splitOfPath("dev.tsv")).toBe("validation");
    expect(splitOfPath("test.jsonl")).toBe("test");
    expect(splitOfPath("contest.csv")).toBe("train");
  });

  it("loads an HF-cache-shaped snapshot: refs/main -> snapshots/<commit>, symlinked blobs, shards concatenated", async () => {
    const repo = join(tmp, "hub", "datasets--someone--tiny");
    const commit = "0123456789abcdef0123456789abcdef01234567";
    mkdirSync(join(repo, "refs"), { recursive: true });
    mkdirSync(join(repo, "blobs"), { recursive: true });
    mkdirSync(join(repo, "snapshots", commit, "data"), { recursive: true });
    writeFileSync(join(repo, "refs", "main"), commit);
    const blobs: Array<[string, ArrayBuffer | string]> = [
      ["data/train-00000-of-00002.parquet", parquet(["a", "b"], [0, 1])],
      ["data/train-00001-of-00002.parquet", parquet(["c"], [1])],
      ["data/test-00000-of-00001.parquet", parquet(["d"], [0])],
    ];
    blobs.forEach(([rel, data], i) => {
      const blob = join(repo, "blobs", `blob${i}`);
      writeFileSync(blob, typeof data === "string" ? data : Buffer.from(data));
      symlinkSync(blob, join(repo, "snapshots", commit, rel));
    });
    const snap = await hfCacheDatasetSnapshot("someone/tiny", { cacheDir: join(tmp, "hub") });
    expect(snap.endsWith(commit)).toBe(true);
    const splits = await loadDatasetFolder(snap);
    expect(Object.keys(splits).sort()).toEqual(["test", "train"]);
    expect(splits.train.column("text")).toEqual(["a", "b", "c"]);
    await expect(hfCacheDatasetSnapshot("someone/missing", { cacheDir: join(tmp, "hub") })).rejects.toThrow(/not in the cache/);
    // the cache folder comes from the environment as huggingface_hub finds it
    vi.stubEnv("HF_HUB_CACHE", "");
    delete process.env.HF_HUB_CACHE;
    vi.stubEnv("HF_HOME", tmp);
    try {
      expect(await hfCacheDatasetSnapshot("someone/tiny")).toBe(snap);
      expect(await hfCacheDatasetSnapshot("someone/tiny", { revision: commit })).toBe(snap);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("loads a local folder of JSONL / CSV / TSV files", async () => {
    const dir = join(tmp, "local");
    mkdirSync(dir);
    writeFileSync(join(dir, "train.jsonl"), '{"text":"a","label":1}\n');
    writeFileSync(join(dir, "validation.csv"), "text,label\nb,0\n");
    writeFileSync(join(dir, "test.tsv"), "text\tlabel\nc\t1\n");
    const s = await loadDatasetFolder(dir);
    expect([s.train.row(0), s.validation.row(0), s.test.row(0)]).toEqual([{ text: "a", label: 1 }, { text: "b", label: 0 }, { text: "c", label: 1 }]);
    expect(() => concatenateDatasets([s.train, Dataset.fromDict({ x: [1] })])).toThrow(/align them first/);
    await expect(loadDatasetFolder(join(tmp, "nowhere"))).rejects.toThrow(/cannot read folder/);
  });
});
