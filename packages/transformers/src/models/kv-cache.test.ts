// The key/value cache of every generative family, without generate(): a hand-written greedy loop feeding one token per step
// through `pastKeyValues` reproduces HF's `generate.sequences`, and each cached step's logits equal a full forward without cache.
import { describe, expect, it } from "vitest";
import { noGrad } from "@tsorch/autograd";
import { scope, tensor, type Tensor } from "@tsorch/tensor";
import { classByName, type PastKeyValues, type PreTrainedModel } from "@tsorch/transformers";
import { fixtureNames, fixturesExplicit, fixturesRoot, inputsOf, loadFixture } from "../parity.test-util.js";

const skip = fixtureNames.length === 0 && !fixturesExplicit;
if (skip) console.warn(`kv-cache greedy loop: SKIPPED, no fixture models under ${fixturesRoot}`);

type Forward = (x: Record<string, unknown>) => { logits: Tensor; pastKeyValues?: PastKeyValues; encoderLastHiddenState?: Tensor };
const ids2d = (rows: number[][]) => tensor(rows, { dtype: "int64" });
const rowsOf = (t: Tensor) => (t.tolistSync() as (number | bigint)[][]).map((r) => r.map(Number));

/** Processors this loop implements; a generation config asking for others skips the model (said in the log). */
function unsupported(gc: Record<string, unknown>): string | null {
  const other: [string, unknown][] = [["min_length", 0], ["min_new_tokens", null], ["repetition_penalty", 1], ["no_repeat_ngram_size", 0], ["bad_words_ids", null], ["forced_bos_token_id", null], ["suppress_tokens", null], ["begin_suppress_tokens", null]];
  const bad = other.filter(([k, d]) => gc[k] !== undefined && gc[k] !== d && !(Array.isArray(gc[k]) && (gc[k] as unknown[]).length === 0));
  return bad.length ? bad.map(([k]) => `${k}=${JSON.stringify(gc[k])}`).join(", ") : null;
}

let runs = 0;
let steps = 0;
describe.skipIf(skip)("key/value cache: greedy loop by hand vs HF's generate.sequences", () => {
  for (const name of fixtureNames) {
    it(`${name}: cached greedy ids, and cached logits equal uncached ones`, async () => {
      const fx = await loadFixture(name);
      const want = fx.tensors["generate.sequences"];
      if (!want) return;
      const cls = classByName(fx.goldens.class);
      if (!cls) return console.warn(`${name}: ${fx.goldens.class} is not implemented; skipped`);
      const gc = (fx.goldens as unknown as { generation: { generation_config: Record<string, unknown>; kwargs: Record<string, unknown> } }).generation;
      const why = unsupported(gc.generation_config);
      if (why) return console.warn(`${name}: the generation config asks for ${why}; this loop does not implement it (generate.test.ts covers it)`);
      const model = (await cls.fromPretrained(fx.dir)) as PreTrainedModel;
      const forward = (x: Record<string, unknown>) => (model as unknown as { forward: Forward }).forward(x);
      const cfg = model.config;
      const encDec = cfg.isEncoderDecoder;
      const prompt = inputsOf(fx, "generate.input.");
      const maxNew = (gc.kwargs.max_new_tokens as number) ?? 8;
      const eosRaw = gc.generation_config.eos_token_id ?? cfg.eosTokenId;
      const eos = (Array.isArray(eosRaw) ? eosRaw : eosRaw === null || eosRaw === undefined ? [] : [eosRaw]) as number[];
      const pad = (gc.generation_config.pad_token_id ?? cfg.padTokenId ?? eos[0]) as number;
      const forcedEos = gc.generation_config.forced_eos_token_id as number | null | undefined;
      const start = (gc.generation_config.decoder_start_token_id ?? cfg.decoderStartTokenId) as number;
      const promptRows = rowsOf(prompt.inputIds);
      let mask = rowsOf(prompt.attentionMask);
      let seqs = encDec ? promptRows.map(() => [start]) : promptRows.map((r) => [...r]);
      const done = seqs.map(() => false);
      let past: PastKeyValues | null = null;
      let enc: Tensor | null = null;
      await noGrad(async () => {
        for (let step = 0; step < maxNew; step++) {
          const fresh = past ? seqs.map((s) => s.slice(-1)) : seqs;
          const positions = (m: number[][]) => m.map((r) => r.reduce<number[]>((acc, v) => (acc.push((acc.length ? acc[acc.length - 1] : -1) + v), acc), []).map((p, j) => (r[j] ? p : 1)));
          const x: Record<string, unknown> = { useCache: true, ...(past ? { pastKeyValues: past } : {}) };
          if (encDec) {
            x.decoderInputIds = ids2d(fresh);
            x.attentionMask = prompt.attentionMask;
            if (enc) x.encoderOutputs = { lastHiddenState: enc };
            else x.inputIds = prompt.inputIds;
          } else {
            x.inputIds = ids2d(fresh);
            x.attentionMask = ids2d(mask);
            x.positionIds = ids2d(positions(mask).map((r) => r.slice(-fresh[0].length))); // HF: cumsum(mask) - 1, pads at 1
          }
          const out = forward(x);
          expect(out.pastKeyValues, `${name}: no pastKeyValues with useCache`).toBeTruthy();
          const layer0 = out.pastKeyValues![0];
          expect(layer0.length, `${name}: a layer cache holds [key, value${encDec ? ", crossKey, crossValue" : ""}]`).toBe(encDec ? 4 : 2);
          expect(layer0[0].shape[2], `${name}: cached self-attention length`).toBe(seqs[0].length);
          const last = out.logits.select(1, out.logits.shape[1] - 1); // [B, V]
          // The same step without a cache: the whole sequence again; its last logits must agree.
          const full = scope(() => {
            const y: Record<string, unknown> = encDec ? { decoderInputIds: ids2d(seqs), attentionMask: prompt.attentionMask, inputIds: prompt.inputIds } : { inputIds: ids2d(seqs), attentionMask: ids2d(mask), positionIds: ids2d(positions(mask)) };
            const o = forward(y);
            return o.logits.select(1, o.logits.shape[1] - 1); // [B, V]
          });
          const a = last.contiguous().dataSync() as Float32Array;
          const b = full.contiguous().dataSync() as Float32Array;
          const scale = Math.max(...Array.from(b, Math.abs));
          const err = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
          expect(err, `${name} step ${step}: cached vs uncached logits`).toBeLessThanOrEqual(1e-4 * scale + 1e-5);
          const v = last.shape[1];
          const next = seqs.map((_, r) => {
            if (done[r]) return pad;
            if (forcedEos !== null && forcedEos !== undefined && step === maxNew - 1) return forcedEos; // ForcedEOSTokenLogitsProcessor at max_length - 1
            let best = 0;
            for (let j = 1; j < v; j++) if (a[r * v + j] > a[r * v + best]) best = j;
            return best;
          });
          seqs = seqs.map((s, r) => [...s, next[r]]);
          next.forEach((t, r) => (done[r] = done[r] || eos.includes(t)));
          mask = mask.map((m) => [...m, 1]);
          past = out.pastKeyValues!;
          if (encDec && !enc) enc = out.encoderLastHiddenState!;
          steps++;
          if (done.every(Boolean)) break;
        }
      });
      const width = want.shape[1];
      const got = seqs.map((s) => [...s, ...new Array<number>(Math.max(0, width - s.length)).fill(pad)]);
      expect(got, `${name}: greedy ids with the cache`).toEqual(rowsOf(want));
      runs++;
    }, 120_000);
  }
  it("reports what it checked", () => console.log(`kv-cache greedy loop: ${runs} models matched generate.sequences over ${steps} cached steps (each checked against an uncached forward)`));
});
