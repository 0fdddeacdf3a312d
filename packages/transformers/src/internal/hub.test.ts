// Tests of the Hub download path (src/internal/hub.ts) against a local mock of the Hub's paths-info and resolve endpoints.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Tensor } from "@tsorch/tensor";
import { AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification, HubFileNotFoundError } from "../index.js";
import { safeRelativePath } from "./hub.js";

const COMMITS: Record<string, string> = { main: "a".repeat(40), v1: "b".repeat(40) };

/** What the mock Hub saw and how it misbehaves. */
interface HubState {
  requests: { method: string; url: string; auth: string | undefined }[];
  corrupt: boolean;
  /** How config.json is sent: whole, with a flipped byte, cut short by a reset connection, or cut short with a clean end. */
  config: "whole" | "flipped" | "reset" | "short";
}

const tmp = mkdtempSync(join(tmpdir(), "tsorch-hub-"));
const repos = new Map<string, Map<string, string>>(); // repo id → revision → folder
const state: HubState = { requests: [], corrupt: false, config: "whole" };
let server: Server;
let url = "";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
/** A git blob id, what the Hub lists as `oid` (and sends as ETag) for a regular, non-LFS file. */
const sha1 = (b: Uint8Array) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Answers the two endpoints @huggingface/hub's downloadFileToCacheDir uses, from the folders in `repos`. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.requests.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization });
  const u = new URL(req.url ?? "/", "http://127.0.0.1");
  const info = /^\/api\/models\/([^/]+\/[^/]+)\/paths-info\/([^/]+)$/.exec(u.pathname);
  const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(u.pathname);
  const m = info ?? resolve;
  if (!m) return sendJson(res, 404, { error: "Not found" });
  const revs = repos.get(m[1]!);
  if (!revs) return sendJson(res, 404, { error: "Repository not found" }, { "X-Error-Code": "RepoNotFound" });
  const rev = decodeURIComponent(m[2]!);
  const folder = revs.get(rev);
  if (!folder) return sendJson(res, 404, { error: `Invalid rev id: ${rev}` }, { "X-Error-Code": "RevisionNotFound" });
  if (info) {
    let body = "";
    for await (const chunk of req) body += chunk;
    const paths = (JSON.parse(body) as { paths: string[] }).paths;
    const out = paths
      .filter((p) => existsSync(join(folder, p)))
      .map((p) => {
        const bytes = readFileSync(join(folder, p));
        const lfs = p.endsWith(".safetensors") ? { lfs: { oid: sha256(bytes), size: bytes.length, pointerSize: 134 } } : {};
        return { type: "file", path: p, oid: sha1(bytes), size: bytes.length, ...lfs, lastCommit: { id: COMMITS[rev], title: "upload", date: "2024-01-01T00:00:00Z" } };
      });
    return sendJson(res, 200, out);
  }
  const file = join(folder, decodeURIComponent(resolve![3]!));
  if (!existsSync(file)) return sendJson(res, 404, { error: "Entry not found" }, { "X-Error-Code": "EntryNotFound" });
  let bytes = readFileSync(file);
  if (state.corrupt && file.endsWith(".safetensors")) ((bytes = Buffer.from(bytes)), (bytes[bytes.length - 1] ^= 0xff));
  const etag = `"${file.endsWith(".safetensors") ? sha256(bytes) : sha1(bytes)}"`;
  if (file.endsWith("config.json") && state.config !== "whole") {
    if (state.config === "flipped") ((bytes = Buffer.from(bytes)), (bytes[5] ^= 0x01));
    else if (state.config === "reset") {
      res.writeHead(200, { "Content-Length": String(bytes.length), ETag: etag, "X-Repo-Commit": COMMITS[rev]! });
      res.write(bytes.subarray(0, bytes.length >> 1));
      return void setTimeout(() => res.destroy(), 20);
    } else {
      // A response that says it is shorter than the file (a proxy cutting it): whole to the client, short to the Hub's listing.
      bytes = bytes.subarray(0, bytes.length >> 1);
    }
  }
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
  if (range) {
    const a = Number(range[1]);
    const b = Math.min(Number(range[2]), bytes.length - 1);
    res.writeHead(206, { "Content-Range": `bytes ${a}-${b}/${bytes.length}`, "Content-Length": String(b - a + 1), ETag: etag, "X-Repo-Commit": COMMITS[rev]! });
    return void res.end(bytes.subarray(a, b + 1));
  }
  res.writeHead(200, { "Content-Length": String(bytes.length), ETag: etag, "X-Repo-Commit": COMMITS[rev]! });
  res.end(bytes);
}

function tinyBert(numLabels: number): BertForSequenceClassification {
  const config = new BertConfig({ vocabSize: 40, hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 16, maxPositionEmbeddings: 16, numLabels });
  return new BertForSequenceClassification(config);
}

const values = (t: Tensor) => Array.from(t.to("float64").contiguous().dataSync() as Float64Array);

function expectSameState(a: BertForSequenceClassification, b: BertForSequenceClassification): number {
  const sa = a.stateDict();
  const sb = b.stateDict();
  expect(Object.keys(sb).sort()).toEqual(Object.keys(sa).sort());
  for (const k of Object.keys(sa)) expect(values(sb[k]!)).toEqual(values(sa[k]!));
  return Object.keys(sa).length;
}

const saved: Record<string, BertForSequenceClassification> = {};
const envKeys = ["HF_HUB_OFFLINE", "HF_ENDPOINT", "HF_TOKEN", "HF_HUB_CACHE", "HF_HOME"] as const;
const envBefore = Object.fromEntries(envKeys.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  for (const [rev, labels] of [["main", 2], ["v1", 3]] as const) {
    const m = tinyBert(labels);
    const dir = join(tmp, "remote", rev);
    await m.savePretrained(dir);
    saved[rev] = m;
    if (!repos.has("org/tiny")) repos.set("org/tiny", new Map());
    repos.get("org/tiny")!.set(rev, dir);
  }
  server = createServer((req, res) => void handle(req, res).catch((e) => sendJson(res, 500, { error: String(e) })));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  server.unref(); // never keeps the test process alive
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const k of envKeys) delete process.env[k];
});

afterEach(() => {
  state.requests.length = 0;
  state.corrupt = false;
  state.config = "whole";
  for (const k of envKeys) delete process.env[k];
});

afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  rmSync(tmp, { recursive: true, force: true });
  for (const k of envKeys) if (envBefore[k] === undefined) delete process.env[k];
  else process.env[k] = envBefore[k];
});

const quiet = { warn: () => {} };

describe("fromPretrained from a Hub repository id (mock Hub on 127.0.0.1)", () => {
  it("downloads into Python's cache layout (blobs, snapshots/<commit>, refs/main) and loads the same weights", async () => {
    const cache = join(tmp, "cache1");
    const model = await AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet });
    const n = expectSameState(saved.main!, model as BertForSequenceClassification);
    const repo = join(cache, "models--org--tiny");
    expect(readFileSync(join(repo, "refs", "main"), "utf8")).toBe(COMMITS.main);
    const snap = join(repo, "snapshots", COMMITS.main!);
    const weights = readFileSync(join(tmp, "remote", "main", "model.safetensors"));
    expect(lstatSync(join(snap, "model.safetensors")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(snap, "model.safetensors"))).toContain(`blobs`);
    expect(readdirSync(join(repo, "blobs"))).toContain(sha256(weights));
    expect(readdirSync(join(repo, "blobs")).some((f) => f.endsWith(".incomplete"))).toBe(false);
    expect(state.requests.some((r) => r.method === "POST" && r.url.includes("/paths-info/main"))).toBe(true);
    console.log(`hub download: ${n} tensors equal after a download through the mock Hub`);

    // Offline, the cache serves it with no request at all.
    state.requests.length = 0;
    const again = await AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, localFilesOnly: true, ...quiet });
    expectSameState(saved.main!, again as BertForSequenceClassification);
    process.env.HF_HUB_OFFLINE = "1";
    process.env.HF_HUB_CACHE = cache;
    await AutoModelForSequenceClassification.fromPretrained("org/tiny", quiet);
    expect(state.requests).toEqual([]);
  });

  it("honours revision: a tag resolves to its own commit and is recorded in refs/<revision>", async () => {
    const cache = join(tmp, "cache2");
    const model = (await AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, revision: "v1", ...quiet })) as BertForSequenceClassification;
    expect(model.config.numLabels).toBe(3);
    expectSameState(saved.v1!, model);
    expect(readFileSync(join(cache, "models--org--tiny", "refs", "v1"), "utf8")).toBe(COMMITS.v1);
    expect(existsSync(join(cache, "models--org--tiny", "snapshots", COMMITS.v1!, "config.json"))).toBe(true);
    // A commit hash as revision is served from the cache.
    const byCommit = (await AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, revision: COMMITS.v1!, localFilesOnly: true, ...quiet })) as BertForSequenceClassification;
    expect(byCommit.config.numLabels).toBe(3);
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, revision: "nope", ...quiet })).rejects.toThrow(/nope/);
  });

  it("takes HF_ENDPOINT and HF_TOKEN from the environment and sends the token", async () => {
    process.env.HF_ENDPOINT = url;
    process.env.HF_TOKEN = "hf_test_token";
    process.env.HF_HOME = join(tmp, "home3");
    await AutoModelForSequenceClassification.fromPretrained("org/tiny", quiet);
    expect(state.requests.length).toBeGreaterThan(0);
    expect(state.requests.every((r) => r.auth === "Bearer hf_test_token")).toBe(true);
    expect(existsSync(join(tmp, "home3", "hub", "models--org--tiny", "refs", "main"))).toBe(true);
  });

  it("offline misses and unknown repositories say what, where and how to fix", async () => {
    const cache = join(tmp, "cache-empty");
    const offline = AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, localFilesOnly: true, ...quiet });
    await expect(offline).rejects.toBeInstanceOf(HubFileNotFoundError);
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, localFilesOnly: true })).rejects.toThrow(/org\/tiny@main.*cache-empty.*localFilesOnly/s);
    process.env.HF_HUB_OFFLINE = "1";
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url })).rejects.toThrow(/HF_HUB_OFFLINE/);
    expect(state.requests).toEqual([]);
    delete process.env.HF_HUB_OFFLINE;
    await expect(AutoModelForSequenceClassification.fromPretrained("org/missing", { cacheDir: cache, endpoint: url })).rejects.toThrow(/org\/missing.*not found.*HF_TOKEN/s);
  });

  it("refuses a download whose sha256 differs from the Hub's LFS oid, and never takes it later", async () => {
    const cache = join(tmp, "cache-corrupt");
    state.corrupt = true;
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet })).rejects.toThrow(/sha256/);
    state.corrupt = false;
    // The bad blob is gone, so a retry downloads the right bytes.
    const model = await AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet });
    expectSameState(saved.main!, model as BertForSequenceClassification);
  });

  it("refuses a regular (non-LFS) file whose git blob id differs from the Hub's, and downloads it again on retry", async () => {
    const cache = join(tmp, "cache-flipped");
    state.config = "flipped";
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet })).rejects.toThrow(/config\.json downloaded with git blob id [0-9a-f]{40}, but the Hub lists/);
    state.config = "whole";
    const model = await AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet });
    expectSameState(saved.main!, model as BertForSequenceClassification);
  });

  it("never takes a partial download: a reset connection leaves only .incomplete, a short body is refused by size", async () => {
    const cache = join(tmp, "cache-partial");
    const blobs = join(cache, "models--org--tiny", "blobs");
    state.config = "reset";
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet })).rejects.toThrow(/downloading org\/tiny\/config\.json .* failed/);
    expect(readdirSync(blobs).every((n) => n.endsWith(".incomplete")), readdirSync(blobs).join()).toBe(true);
    // Offline, the .incomplete file is not a cached config.json.
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, localFilesOnly: true, ...quiet })).rejects.toThrow(HubFileNotFoundError);
    state.config = "short";
    await expect(AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet })).rejects.toThrow(/config\.json downloaded \d+ bytes, but the Hub lists \d+ \(the download ended early\)/);
    state.config = "whole";
    const model = await AutoModelForSequenceClassification.fromPretrained("org/tiny", { cacheDir: cache, endpoint: url, ...quiet });
    expectSameState(saved.main!, model as BertForSequenceClassification);
  });

  it("refuses a cached file that is a link to outside the cache", async () => {
    const cache = join(tmp, "cache-link");
    const commit = "d".repeat(40);
    const snap = join(cache, "models--org--linked", "snapshots", commit);
    mkdirSync(snap, { recursive: true });
    mkdirSync(join(cache, "models--org--linked", "refs"), { recursive: true });
    writeFileSync(join(cache, "models--org--linked", "refs", "main"), commit);
    writeFileSync(join(tmp, "outside-config.json"), readFileSync(join(tmp, "remote", "main", "config.json")));
    symlinkSync(join(tmp, "outside-config.json"), join(snap, "config.json"));
    await expect(AutoModelForSequenceClassification.fromPretrained("org/linked", { cacheDir: cache, localFilesOnly: true, ...quiet })).rejects.toThrow(/resolves outside .* \(a link pointing elsewhere\); refusing it/);
  });

  it("reads a cache written by Python's huggingface_hub (refs/main → snapshots/<commit>)", async () => {
    const cache = join(tmp, "py-cache");
    const commit = "c".repeat(40);
    const snap = join(cache, "models--someone--bert", "snapshots", commit);
    mkdirSync(snap, { recursive: true });
    mkdirSync(join(cache, "models--someone--bert", "refs"), { recursive: true });
    writeFileSync(join(cache, "models--someone--bert", "refs", "main"), commit);
    for (const f of ["config.json", "model.safetensors"]) writeFileSync(join(snap, f), readFileSync(join(tmp, "remote", "main", f)));
    process.env.HF_HUB_CACHE = cache;
    const model = await AutoModelForSequenceClassification.fromPretrained("someone/bert", { localFilesOnly: true, ...quiet });
    expectSameState(saved.main!, model as BertForSequenceClassification);
  });
});

describe("file names that could leave their folder", () => {
  it("refuses .., absolute, backslash and empty segments", () => {
    for (const bad of ["../x", "a/../../x", "/etc/passwd", "a\\b", "a//b", "./a", ""]) expect(() => safeRelativePath(bad, "test")).toThrow(/refusing the file name/);
    expect(safeRelativePath("sub/model-00001-of-00002.safetensors", "test")).toBe("sub/model-00001-of-00002.safetensors");
  });

  it("refuses an index whose weight_map points outside the model folder", async () => {
    const dir = join(tmp, "escape");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.json"), readFileSync(join(tmp, "remote", "main", "config.json")));
    writeFileSync(join(tmp, "outside.safetensors"), readFileSync(join(tmp, "remote", "main", "model.safetensors")));
    writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: { "bert.pooler.dense.bias": "../outside.safetensors" } }));
    await expect(BertForSequenceClassification.fromPretrained(dir, quiet)).rejects.toThrow(/refusing the file name "\.\.\/outside\.safetensors"/);
  });
});
