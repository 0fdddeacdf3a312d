// Beam hypotheses and the beam scorer of HF 4.37 (generation/beam_search.py): which beams continue, which finish, and the final pick.

/** A finished hypothesis: its tokens (without the final EOS) and its length-normalised score. */
interface Hypothesis {
  score: number;
  tokens: number[];
}

/** The best `numBeams` finished hypotheses of one prompt (`BeamHypotheses`). */
class BeamHypotheses {
  readonly beams: Hypothesis[] = [];
  worstScore = 1e9;
  constructor(readonly numBeams: number, readonly lengthPenalty: number, readonly earlyStopping: boolean | "never", readonly maxLength: number) {}

  add(tokens: number[], sumLogprobs: number, generatedLen: number): void {
    const score = sumLogprobs / Math.pow(generatedLen, this.lengthPenalty);
    if (this.beams.length < this.numBeams || score > this.worstScore) {
      this.beams.push({ score, tokens });
      if (this.beams.length > this.numBeams) {
        const sorted = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0]);
        this.beams.splice(sorted[0][1], 1);
        this.worstScore = sorted[1][0];
      } else this.worstScore = Math.min(score, this.worstScore);
    }
  }

  isDone(bestSumLogprobs: number, curLen: number, promptLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    if (this.earlyStopping === false) return this.worstScore >= bestSumLogprobs / Math.pow(curLen - promptLen, this.lengthPenalty);
    const maxLen = this.maxLength - promptLen;
    const best = this.lengthPenalty > 0 ? bestSumLogprobs / Math.pow(maxLen, this.lengthPenalty) : bestSumLogprobs / Math.pow(curLen - promptLen, this.lengthPenalty);
    return this.worstScore >= best;
  }
}

/** What one step of the scorer decides: the next beams' scores, tokens and source rows. */
export interface BeamStep {
  scores: number[];
  tokens: number[];
  sourceRows: number[];
}

/**
 * HF's `BeamSearchScorer` for `batch` prompts of `numBeams` beams each: `process` takes the 2·numBeams best
 * candidates of each prompt and keeps numBeams running beams, moving EOS candidates to the finished hypotheses;
 * `finalize` returns the `numReturn` best sequences per prompt and their scores.
 */
export class BeamSearchScorer {
  readonly hyps: BeamHypotheses[];
  readonly done: boolean[];
  constructor(readonly batch: number, readonly numBeams: number, readonly numReturn: number, lengthPenalty: number, earlyStopping: boolean | "never", maxLength: number) {
    this.hyps = Array.from({ length: batch }, () => new BeamHypotheses(numBeams, lengthPenalty, earlyStopping, maxLength));
    this.done = new Array<boolean>(batch).fill(false);
  }

  get isDone(): boolean {
    return this.done.every(Boolean);
  }

  /** One step; `candidates[b]` are (score, token, beam) sorted by score, best first. */
  process(sequences: number[][], candidates: { score: number; token: number; beam: number }[][], pad: number, eos: number[], promptLen: number): BeamStep {
    const n = this.numBeams;
    const curLen = sequences[0].length + 1;
    const out: BeamStep = { scores: new Array(this.batch * n).fill(0), tokens: new Array(this.batch * n).fill(pad), sourceRows: new Array(this.batch * n).fill(0) };
    for (let b = 0; b < this.batch; b++) {
      if (this.done[b]) continue;
      let beamIdx = 0;
      for (let rank = 0; rank < candidates[b].length; rank++) {
        const c = candidates[b][rank];
        const row = b * n + c.beam;
        if (eos.includes(c.token)) {
          if (rank >= n) continue;
          this.hyps[b].add([...sequences[row]], c.score, curLen - promptLen);
        } else {
          out.scores[b * n + beamIdx] = c.score;
          out.tokens[b * n + beamIdx] = c.token;
          out.sourceRows[b * n + beamIdx] = row;
          beamIdx++;
        }
        if (beamIdx === n) break;
      }
      if (beamIdx < n) throw new Error(`generate: beam search found fewer than ${n} continuations for prompt ${b}; raise the candidate count (are most tokens banned?).`);
      this.done[b] = this.done[b] || this.hyps[b].isDone(Math.max(...candidates[b].map((c) => c.score)), curLen, promptLen);
    }
    return out;
  }

  /** The best `numReturn` hypotheses of each prompt, padded with `pad` after their EOS to a common width. */
  finalize(sequences: number[][], beamScores: number[], pad: number, eos: number[], maxLength: number, promptLen: number): { sequences: number[][]; scores: number[] } {
    const n = this.numBeams;
    for (let b = 0; b < this.batch; b++) {
      if (this.done[b]) continue;
      for (let j = 0; j < n; j++) this.hyps[b].add([...sequences[b * n + j]], beamScores[b * n + j], sequences[b * n + j].length - promptLen);
    }
    const best: number[][] = [];
    const scores: number[] = [];
    for (const h of this.hyps) {
      // Stable ascending sort then pop from the end: equal scores return the later-added hypothesis first (as HF).
      const sorted = h.beams.map((x, i) => ({ ...x, i })).sort((a, b) => a.score - b.score || a.i - b.i);
      for (let j = 0; j < this.numReturn; j++) {
        const top = sorted.pop()!;
        best.push(top.tokens);
        scores.push(top.score);
      }
    }
    const lens = best.map((t) => t.length);
    const width = Math.min(Math.max(...lens) + 1, maxLength);
    const out = best.map((t) => {
      const row = new Array<number>(width).fill(pad);
      t.slice(0, width).forEach((v, i) => (row[i] = v));
      if (t.length < width && eos.length) row[t.length] = eos[0];
      return row;
    });
    return { sequences: out, scores };
  }
}
