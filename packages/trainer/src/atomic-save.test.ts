// kill -9 during saves, many times: every checkpoint left is whole, and resuming after each kill ends bit-exact with an uninterrupted run.

import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSafetensors, manualSeed } from "@tsorch/tensor";
import { Trainer, TrainerState } from "@tsorch/trainer";
import { TinyClassifier, makeRows } from "./internal/tiny-classifier.js";
import { killTestArgs } from "./internal/kill-test-args.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CHILD = fileURLToPath(new URL("./internal/save-loop-child.ts", import.meta.url));
// Node itself with tsx as a loader (not the tsx binary, whose node child would outlive a SIGKILL sent to it).
const NODE_TSX = [process.execPath, "--import", "tsx", "--conditions=@tsorch/source"] as const;
const KILLS = Number(process.env.TSORCH_KILL_ROUNDS ?? 10);

function checkWhole(out: string): number {
  let n = 0;
  for (const name of readdirSync(out).filter((x) => /^checkpoint-\d+$/.test(x))) {
    const dir = join(out, name);
    for (const f of ["model.safetensors", "config.json", "optimizer.safetensors", "optimizer.json", "scheduler.json", "rng_state.json", "trainer_state.json", "training_args.json"])
      expect(existsSync(join(dir, f)), `${dir}/${f}`).toBe(true);
    const st = TrainerState.fromJsonString(readFileSync(join(dir, "trainer_state.json"), "utf8"));
    expect(`checkpoint-${st.globalStep}`).toBe(name);
    for (const f of ["model.safetensors", "optimizer.safetensors"]) for (const t of Object.values(loadSafetensors(new Uint8Array(readFileSync(join(dir, f)))))) t.dispose();
    for (const f of ["optimizer.json", "scheduler.json", "rng_state.json", "training_args.json", "config.json"]) JSON.parse(readFileSync(join(dir, f), "utf8"));
    n++;
  }
  return n;
}

function runChild(out: string, killAfterMs: number | null): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), CHILD, out], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    let timer: NodeJS.Timeout | null = null;
    if (killAfterMs !== null) {
      // Kill once the child has written its first new checkpoint (so the kill lands in the save-heavy loop), after a random delay.
      const before = readdirSync(out).filter((x) => x.startsWith("checkpoint-")).join();
      const poll = setInterval(() => {
        if (readdirSync(out).filter((x) => x.startsWith("checkpoint-")).join() !== before) {
          clearInterval(poll);
          timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        }
      }, 5);
      child.on("exit", () => clearInterval(poll));
    }
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      ok({ code, signal, stderr });
    });
  });
}

describe("atomic checkpoints under kill -9", () => {
  it(`leaves whole checkpoints after ${KILLS} kills during saves, and the resumed run equals an uninterrupted one bit for bit`, async () => {
    const ref = mkdtempSync(join(tmpdir(), "tsorch-kill-ref-"));
    manualSeed(0);
    const a = new Trainer({ model: new TinyClassifier(), args: killTestArgs(ref), trainDataset: makeRows(30, 11), evalDataset: makeRows(9, 12) });
    await a.train();

    const out = mkdtempSync(join(tmpdir(), "tsorch-kill-"));
    let kills = 0, whole = 0, midSave = 0;
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    for (let i = 0; i < KILLS; i++) {
      const r = await runChild(out, Math.floor(rand() * 40));
      if (r.signal === "SIGKILL") kills++;
      else expect(r.code, r.stderr).toBe(0);
      if (readdirSync(out).some((n) => n.startsWith(".tmp-checkpoint-"))) midSave++; // the kill landed inside a save
      whole += checkWhole(out);
      if (existsSync(join(out, "final"))) break;
    }
    if (!existsSync(join(out, "final"))) {
      const r = await runChild(out, null);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(kills).toBeGreaterThan(0);
    const fin = TrainerState.fromJsonString(readFileSync(join(out, "final", "trainer_state.json"), "utf8"));
    const pick = (s: TrainerState) => s.logHistory.filter((e) => "loss" in e || "eval_loss" in e).map((e) => [e.step, e.loss, e.grad_norm, e.learning_rate, e.eval_loss]);
    expect(pick(fin)).toEqual(pick(a.state));
    const got = loadSafetensors(new Uint8Array(readFileSync(join(out, "final", "model.safetensors"))));
    for (const [k, t] of Object.entries(a.model.stateDict())) expect(Array.from(got[k].dataSync() as Float32Array), k).toEqual(Array.from(t.dataSync() as Float32Array));
    console.log(`kill -9: ${kills} kills (${midSave} inside a save), ${whole} checkpoint folders checked whole; final parameters and ${pick(fin).length} log entries equal the uninterrupted run`);
    rmSync(ref, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }, 240000);
});
