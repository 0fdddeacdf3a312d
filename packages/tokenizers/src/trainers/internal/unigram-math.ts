// Numeric helpers of Unigram training, with the operation order of the Rust tokenizers crate (so results agree to the last bit where libm agrees).

/**
 * The digamma function by recurrence and asymptotic series, as in Rust's unigram trainer.
 * @example digamma(1) // ≈ -0.5772156649
 */
export function digamma(x: number): number {
  let result = 0;
  while (x < 7) {
    result -= 1 / x;
    x += 1;
  }
  x -= 1 / 2;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  result +=
    Math.log(x) + (1 / 24) * xx2 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
  return result;
}

/**
 * log(exp(x) + exp(y)), or y alone in init mode; differences over 50 are dropped (Rust's rule).
 * @example logSumExp(0, 0, false) // Math.log(2)
 */
export function logSumExp(x: number, y: number, initMode: boolean): number {
  if (initMode) return y;
  const vmin = x > y ? y : x;
  const vmax = x > y ? x : y;
  if (vmax > vmin + 50) return vmax;
  return vmax + Math.log(Math.exp(vmin - vmax) + 1);
}

/**
 * Replaces scores by their log share of the total, in place.
 * @example const p: [string, number][] = [["a", 1], ["b", 1]]; toLogProb(p); p[0][1] // Math.log(0.5)
 */
export function toLogProb(pieces: Array<[string, number]>): void {
  let sum = 0;
  for (const p of pieces) sum += p[1];
  const logsum = Math.log(sum);
  for (const p of pieces) p[1] = Math.log(p[1]) - logsum;
}
