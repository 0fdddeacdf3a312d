// Tests of the tsorch-board command: it serves the runs of a folder on 127.0.0.1 (page, runs JSON, event stream), and says how to use it.

import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = fileURLToPath(new URL("./board-cli.ts", import.meta.url));
// Node itself with tsx as a loader (not the tsx binary, whose node child would outlive a SIGKILL sent to it).
const NODE_TSX = [process.execPath, "--import", "tsx", "--conditions=@tsorch/source"] as const;

describe("tsorch-board", () => {
  it("prints its usage without a folder", () => {
    const r = spawnSync(NODE_TSX[0], [...NODE_TSX.slice(1), CLI], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: tsorch-board <dir>/);
  });

  it("serves two runs: the page, /runs and new lines on /events", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsorch-board-cli-"));
    for (const run of ["a", "b"]) {
      mkdirSync(join(dir, run));
      writeFileSync(join(dir, run, "logs.jsonl"), JSON.stringify({ loss: 1, step: 1 }) + "\n");
    }
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), CLI, dir, "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    try {
      await new Promise<void>((ok, fail) => {
        let out = "";
        child.stdout.on("data", (d) => ((out += d), out.includes("serving") && ok()));
        child.on("exit", (c) => fail(new Error(`tsorch-board exited with ${c}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(base + "/")).text()).toMatch(/<div id="charts">/);
      const runs = (await (await fetch(base + "/runs")).json()) as { name: string; logs: unknown[] }[];
      expect(runs.map((r) => [r.name, r.logs.length])).toEqual([["a", 1], ["b", 1]]);
      const ctl = new AbortController();
      const res = await fetch(base + "/events", { signal: ctl.signal });
      const reader = res.body!.getReader();
      let text = "";
      appendFileSync(join(dir, "b", "logs.jsonl"), JSON.stringify({ loss: 0.5, step: 2 }) + "\n");
      while ((text.match(/^data:/gm) ?? []).length < 3) text += new TextDecoder().decode((await reader.read()).value);
      ctl.abort();
      const events = text.split("\n").filter((l) => l.startsWith("data:")).map((l) => JSON.parse(l.slice(5)));
      expect(events).toContainEqual({ run: "b", entry: { loss: 0.5, step: 2 } });
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});
