// Shared pieces of the slow-tokenizer converters: a special token's text from a config value, and the added_tokens entries of tokenizer.json.
type Json = Record<string, unknown>;

/** The text of a special token given as a string or as an AddedToken object (`{ content }`), else `fallback`. */
export const content = (v: unknown, fallback: string): string => (typeof v === "string" ? v : v && typeof v === "object" && typeof (v as Json).content === "string" ? ((v as Json).content as string) : fallback);

/** tokenizer.json `added_tokens` entries (special, not normalized) for those of `tokens` the vocabulary holds, by id. */
export function addedTokens(vocab: Record<string, number>, tokens: string[]): Json[] {
  const seen = new Set<string>();
  return tokens
    .filter((t) => t in vocab && !seen.has(t) && seen.add(t))
    .map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }))
    .sort((a, b) => (a.id as number) - (b.id as number));
}
