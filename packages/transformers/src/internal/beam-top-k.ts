// Beam search's candidate selection: torch.topk over the flattened [beams·V] scores of one prompt, HF's beam_search step.
/**
 * torch.topk over the flattened `[beams·V]` scores `row + beamScore` (rounded to float32, as the tensor sum is): the k
 * largest, larger first, the lower flat index first on ties. One pass with a sorted window of k, not a sort of beams·V
 * objects: a translation model's vocabulary makes that sort most of a beam step.
 */
export function topCandidates(rows: readonly Float32Array[], beamScores: readonly number[], k: number): { score: number; token: number; beam: number }[] {
  const bestScore = new Float64Array(k);
  const bestFlat = new Float64Array(k);
  let count = 0;
  let flat = 0;
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j];
    const bs = beamScores[j];
    for (let t = 0; t < r.length; t++, flat++) {
      const v = Math.fround(r[t] + bs);
      // Visited in increasing flat index, so an equal score never displaces one already kept.
      if (count === k && !(v > bestScore[k - 1])) continue;
      let i = count < k ? count++ : k - 1;
      while (i > 0 && v > bestScore[i - 1]) {
        bestScore[i] = bestScore[i - 1];
        bestFlat[i] = bestFlat[i - 1];
        i--;
      }
      bestScore[i] = v;
      bestFlat[i] = flat;
    }
  }
  const V = rows.length > 0 ? rows[0].length : 0;
  return Array.from({ length: count }, (_, i) => ({ score: bestScore[i], token: bestFlat[i] % V, beam: Math.floor(bestFlat[i] / V) }));
}
