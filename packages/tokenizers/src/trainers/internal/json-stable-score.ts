// Scores that read back identically in the Rust library: its serde_json float parser is not correctly rounded beyond 15 significant digits.

/**
 * Rounds a score to 15 significant digits. Such a number prints with at most 15 digits, and
 * serde_json (significand as f64 divided by a power of ten) then parses it exactly, so a saved
 * tokenizer.json means the same model to the Rust library as to us. 17-digit scores can come back
 * one ulp off in Rust and flip exact ties between segmentations.
 * @example jsonStableScore(-9.306463073422071) // -9.30646307342207
 */
export function jsonStableScore(score: number): number {
  return Number.isFinite(score) ? Number(score.toPrecision(15)) : score;
}
