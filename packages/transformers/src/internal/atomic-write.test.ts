// kill -9 during large writes, many times: safetensors saveFile, writeFileAtomic (savePretrained's JSON files) and tokenizers' save always leave the previous file whole.

import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSafetensors } from "@tsorch/tensor";
import { Tokenizer } from "@tsorch/tokenizers";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const CHILD = fileURLToPath(new URL("./write-loop-child.ts", import.meta.url));
// Node itself with tsx as a loader (not the tsx binary, whose node child would outlive a SIGKILL sent to it).
const NODE_TSX = [process.execPath, "--import", "tsx", "--conditions=@tsorch/source"] as const;
const KILLS = Number(process.env.TSORCH_KILL_ROUNDS ?? 20);
const FILES = ["model.safetensors", "config.json", "tokenizer.json"] as const;

const sha256 = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");

/** Runs the write loop and kills it `afterMs` after it reports ready (it is then inside one of its writes). */
function killDuringWrites(dir: string, afterMs: number): Promise<string | null> {
  return new Promise((ok) => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), CHILD, "loop", dir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), afterMs));
    child.on("exit", (_code, signal) => ok(signal === "SIGKILL" ? null : `child ended by itself: ${stderr.slice(-2000)}`));
  });
}

describe("files are never half-written (kill -9 during writes)", () => {
  it(`leaves every file whole and equal to a complete version after ${KILLS} kills`, async () => {
    const work = mkdtempSync(join(tmpdir(), "tsorch-kill-write-"));
    try {
      const ref = spawnSync(NODE_TSX[0], [...NODE_TSX.slice(1), CHILD, "reference", join(work, "ref")], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
      expect(ref.status, ref.stderr).toBe(0);
      const versions = Object.fromEntries(FILES.map((f) => [f, [sha256(join(work, "ref", "0", f)), sha256(join(work, "ref", "1", f))]]));
      const sizes = FILES.map((f) => `${f} ${(readFileSync(join(work, "ref", "0", f)).length / 1e6).toFixed(1)} MB`).join(", ");

      const dir = join(work, "out");
      let seed = 17;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
      let checked = 0;
      const temps = new Set<string>();
      for (let i = 0; i < KILLS; i++) {
        expect(await killDuringWrites(dir, Math.floor(rand() * 2000))).toBeNull();
        if (!existsSync(dir)) continue;
        const names = readdirSync(dir);
        for (const n of names) if (n.endsWith(".tmp")) temps.add(n);
        for (const f of FILES) {
          const p = join(dir, f);
          if (!existsSync(p)) continue; // not yet written once: the first round may be killed before any rename
          expect(versions[f], `${f} after kill ${i + 1}`).toContain(sha256(p));
          checked++;
        }
      }
      // The survivors also parse with the project's readers.
      const st = parseSafetensors(new Uint8Array(readFileSync(join(dir, "model.safetensors"))));
      expect(st.entries.map((e) => e.name).sort()).toEqual(["b", "w"]);
      JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
      expect(Tokenizer.fromString(readFileSync(join(dir, "tokenizer.json"), "utf8")).getVocabSize()).toBe(200_000);
      expect(checked).toBeGreaterThan(KILLS);
      console.log(`kill -9 writes: ${KILLS} kills, ${checked} files found whole and equal to a complete version (${sizes}); ${temps.size} kills landed inside a write (each left its temporary file)`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 600_000);
});
