// Tokenizer.fromFile: the static works from the core entry (Node's fs found at run time) and after the Node entry registers its reader.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Tokenizer } from "../tokenizer.js";

const json = JSON.stringify({
  version: "1.0",
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: "WhitespaceSplit" },
  post_processor: null,
  decoder: null,
  model: { type: "WordLevel", vocab: { "<unk>": 0, hello: 1, world: 2 }, unk_token: "<unk>" },
});
const dir = mkdtempSync(join(tmpdir(), "tsorch-fromfile-"));
const plain = join(dir, "tokenizer.json");
const gz = join(dir, "tokenizer.json.gz");
writeFileSync(plain, json);
writeFileSync(gz, gzipSync(json));

describe("Tokenizer.fromFile", () => {
  it("reads plain and gzipped files from the core entry alone", () => {
    expect(Tokenizer.fromFile(plain).encode("hello world x").ids).toEqual([1, 2, 0]);
    expect(Tokenizer.fromFile(gz).encode("world").ids).toEqual([2]);
  });
  it("says which file it could not read", () => {
    expect(() => Tokenizer.fromFile(join(dir, "missing.json"))).toThrow(/Tokenizer\.fromFile: cannot read .*missing\.json/);
  });
  it("works the same once the Node entry is loaded, and the free fromFile stays", async () => {
    const node = await import("./index.js");
    expect(node.Tokenizer).toBe(Tokenizer);
    expect(node.Tokenizer.fromFile(gz).encode("hello").ids).toEqual([1]);
    expect(node.fromFile(plain).toString()).toBe(Tokenizer.fromString(readFileSync(plain, "utf8")).toString());
  });
});
