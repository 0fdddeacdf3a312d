// fromPretrained through the Hub path, against a local mock of the Hub's endpoints on 127.0.0.1: cache layout, offline use, checks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensor } from "@tsorch/tensor";
import { AutoModelForCausalLM, HubFileNotFoundError } from "@tsorch/transformers";
import { fixtureNames, modelsDir } from "../parity.test-util.js";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const have = !!modelsDir && fixtureNames.includes("gpt2-lm");
if (!have) console.warn("hub mock: SKIPPED, no gpt2-lm fixture folder");

interface Repo {
  dir: string;
  token?: string;
  /** Serve other bytes than the listed sha256 for this file (a corrupt download). */
  corrupt?: string;
}

/** A minimal Hub: paths-info (POST /api/models/{repo}/paths-info/{rev}) and resolve (GET /{repo}/resolve/{rev}/{path}, ranges). */
function mockHub(repos: Record<string, Repo>): Promise<{ url: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    hits.push(`${req.method} ${url.pathname}`);
    const auth = (name: string) => !repos[name].token || req.headers.authorization === `Bearer ${repos[name].token}`;
    const info = url.pathname.match(/^\/api\/models\/(.+)\/paths-info\/([^/]+)$/);
    if (info && req.method === "POST") {
      const name = decodeURIComponent(info[1]);
      const repo = repos[name];
      if (!repo) return void res.writeHead(404, { "Content-Type": "application/json", "X-Error-Code": "RepoNotFound" }).end(JSON.stringify({ error: "Repository not found" }));
      if (!auth(name)) return void res.writeHead(401, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "Invalid credentials" }));
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const { paths } = JSON.parse(body) as { paths: string[] };
        const out = paths
          .filter((p) => existsSync(join(repo.dir, p)))
          .map((p) => {
            const bytes = readFileSync(join(repo.dir, p));
            const sha = createHash("sha256").update(bytes).digest("hex");
            const lfs = p.endsWith(".safetensors") ? { oid: sha, size: bytes.length, pointerSize: 130 } : undefined;
            return { type: "file", path: p, size: bytes.length, oid: createHash("sha1").update(bytes).digest("hex"), lfs, lastCommit: { id: COMMIT, title: "init", date: "2026-01-01T00:00:00Z" } };
          });
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(out));
      });
      return;
    }
    const m = url.pathname.match(/^\/(.+?)\/resolve\/([^/]+)\/(.+)$/);
    if (m && req.method === "GET") {
      const [, name, , file] = m.map(decodeURIComponent);
      const repo = repos[name];
      if (!repo || !auth(name)) return void res.writeHead(repo ? 401 : 404).end();
      const path = join(repo.dir, file);
      if (!existsSync(path)) return void res.writeHead(404, { "X-Error-Code": "EntryNotFound" }).end();
      let bytes = readFileSync(path);
      if (repo.corrupt === file) bytes = Buffer.from(bytes.map((b) => b ^ 1));
      const etag = `"${createHash("sha256").update(readFileSync(path)).digest("hex")}"`;
      const range = /bytes=(\d+)-(\d*)/.exec(String(req.headers.range ?? ""));
      if (range) {
        const a = Number(range[1]);
        const b = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
        res.writeHead(206, { "Content-Range": `bytes ${a}-${b}/${bytes.length}`, "Content-Length": b - a + 1, ETag: etag });
        return void res.end(bytes.subarray(a, b + 1));
      }
      res.writeHead(200, { "Content-Length": bytes.length, ETag: etag }).end(bytes);
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, hits })));
}

describe.skipIf(!have)("fromPretrained from the Hub (local mock server)", () => {
  const cache = mkdtempSync(join(tmpdir(), "tsorch-hub-cache-"));
  const corruptDir = mkdtempSync(join(tmpdir(), "tsorch-hub-corrupt-"));
  let hub: Awaited<ReturnType<typeof mockHub>>;
  const dir = join(modelsDir ?? "", "gpt2-lm");
  beforeAll(async () => {
    for (const f of ["config.json", "model.safetensors", "generation_config.json"]) copyFileSync(join(dir, f), join(corruptDir, f));
    hub = await mockHub({ "tsorch-test/gpt2": { dir }, "tsorch-test/private": { dir, token: "hf_secret" }, "tsorch-test/corrupt": { dir: corruptDir, corrupt: "model.safetensors" } });
  });
  afterAll(() => {
    hub.server.close();
    rmSync(cache, { recursive: true, force: true });
    rmSync(corruptDir, { recursive: true, force: true });
  });

  it("downloads into Python's cache layout and gives the same model as the folder", async () => {
    const fromHub = await AutoModelForCausalLM.fromPretrained("tsorch-test/gpt2", { endpoint: hub.url, cacheDir: cache });
    const fromDir = await AutoModelForCausalLM.fromPretrained(dir);
    const ids = tensor([[1, 5, 9, 3]], { dtype: "int64" });
    const a = (fromHub as unknown as { forward(i: unknown): { logits: { dataSync(): Float32Array } } }).forward({ inputIds: ids }).logits.dataSync();
    const b = (fromDir as unknown as { forward(i: unknown): { logits: { dataSync(): Float32Array } } }).forward({ inputIds: ids }).logits.dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    const repo = join(cache, "models--tsorch-test--gpt2");
    expect(readFileSync(join(repo, "refs", "main"), "utf8").trim()).toBe(COMMIT);
    const snap = join(repo, "snapshots", COMMIT);
    expect(readdirSync(snap).sort()).toEqual(expect.arrayContaining(["config.json", "model.safetensors"]));
    expect(lstatSync(join(snap, "model.safetensors")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(snap, "model.safetensors"))).toMatch(/blobs\/[0-9a-f]{64}$/);
    expect(readdirSync(join(repo, "blobs")).some((f) => f.endsWith(".incomplete"))).toBe(false);
    expect(hub.hits.some((h) => h.startsWith("POST /api/models/tsorch-test/gpt2/paths-info/main"))).toBe(true);
  });

  it("loads offline from the cache (localFilesOnly and HF_HUB_OFFLINE), and says where it looked when a repo is missing", async () => {
    const before = hub.hits.length;
    await AutoModelForCausalLM.fromPretrained("tsorch-test/gpt2", { endpoint: hub.url, cacheDir: cache, localFilesOnly: true });
    process.env.HF_HUB_OFFLINE = "1";
    try {
      await AutoModelForCausalLM.fromPretrained("tsorch-test/gpt2", { endpoint: hub.url, cacheDir: cache });
      await expect(AutoModelForCausalLM.fromPretrained("tsorch-test/never-downloaded", { endpoint: hub.url, cacheDir: cache })).rejects.toThrow(/not in the cache .*HF_HUB_OFFLINE/);
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
    expect(hub.hits.length).toBe(before);
    await expect(AutoModelForCausalLM.fromPretrained("tsorch-test/never-downloaded", { endpoint: hub.url, cacheDir: cache, localFilesOnly: true })).rejects.toBeInstanceOf(HubFileNotFoundError);
  });

  it("sends the token for private repositories and explains a refusal", async () => {
    await expect(AutoModelForCausalLM.fromPretrained("tsorch-test/private", { endpoint: hub.url, cacheDir: cache })).rejects.toThrow(/HF_TOKEN|credentials|401/i);
    const m = await AutoModelForCausalLM.fromPretrained("tsorch-test/private", { endpoint: hub.url, cacheDir: cache, token: "hf_secret" });
    expect(m.constructor.name).toBe("GPT2LMHeadModel");
  });

  it("refuses a download whose bytes do not match the listed sha256, and unknown repositories", async () => {
    await expect(AutoModelForCausalLM.fromPretrained("tsorch-test/corrupt", { endpoint: hub.url, cacheDir: cache })).rejects.toThrow(/sha256/);
    await expect(AutoModelForCausalLM.fromPretrained("tsorch-test/nope", { endpoint: hub.url, cacheDir: cache })).rejects.toThrow(/tsorch-test\/nope/);
  });

  it("refuses shard names that leave the folder", async () => {
    const local = mkdtempSync(join(tmpdir(), "tsorch-escape-"));
    try {
      copyFileSync(join(dir, "config.json"), join(local, "config.json"));
      writeFileSync(join(local, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: { "transformer.wte.weight": "../outside.safetensors" } }));
      mkdirSync(join(local, "sub"), { recursive: true });
      await expect(AutoModelForCausalLM.fromPretrained(local)).rejects.toThrow(/refusing the file name/);
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });
});
