// Penn Treebank POS tags to Universal POS tags: the standard PTB→UPOS table with the lexical rules UD English-EWT follows.
//
// Used to add CoNLL-2003's PTB POS column as extra (cross-corpus, newswire) training data for UPOS tagging. The table
// is UD's conversion table (as in the UD English guidelines and Petrov et al.'s universal tag set, extended to UPOS);
// the rules resolve the tags PTB merges but UD splits: auxiliaries (be, have, do, modals), `not` / `n't` as PART,
// infinitival `to` (PART) versus the preposition (ADP), subordinating conjunctions (SCONJ) among PTB's IN, indefinite
// pronouns (PTB's NN `something`, UD's PRON) and `%` (SYM).

const TABLE: Record<string, string> = {
  CC: "CCONJ", CD: "NUM", DT: "DET", EX: "PRON", FW: "X", IN: "ADP", JJ: "ADJ", JJR: "ADJ", JJS: "ADJ", LS: "X",
  MD: "AUX", NN: "NOUN", NNS: "NOUN", NNP: "PROPN", NNPS: "PROPN", PDT: "DET", POS: "PART", PRP: "PRON", "PRP$": "PRON",
  RB: "ADV", RBR: "ADV", RBS: "ADV", RP: "ADP", SYM: "SYM", TO: "PART", UH: "INTJ", VB: "VERB", VBD: "VERB", VBG: "VERB",
  VBN: "VERB", VBP: "VERB", VBZ: "VERB", WDT: "PRON", WP: "PRON", "WP$": "PRON", WRB: "ADV", $: "SYM", "#": "SYM",
  ".": "PUNCT", ",": "PUNCT", ":": "PUNCT", "``": "PUNCT", "''": "PUNCT", '"': "PUNCT", "(": "PUNCT", ")": "PUNCT",
  "-LRB-": "PUNCT", "-RRB-": "PUNCT", "-NONE-": "X",
};
const BE = new Set(["be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "'m", "s", "re", "m"]);
const HAVE = new Set(["have", "has", "had", "having", "'ve", "'d", "ve"]);
const DO = new Set(["do", "does", "did"]);
const NEGATION = new Set(["not", "n't", "nt"]);
// PTB tags these NN; UD tags them PRON.
const INDEFINITE_PRONOUNS = new Set(["anything", "anyone", "anybody", "something", "someone", "somebody", "everything", "everyone", "everybody", "nothing", "nobody", "none"]);
const DEMONSTRATIVES = new Set(["this", "that", "these", "those"]);
const SUBJECT_PRONOUNS = new Set(["i", "he", "she", "we", "they"]);
const SCONJ = new Set(["that", "if", "whether", "because", "although", "though", "while", "unless", "whereas", "once", "whilst"]);

/**
 * Maps one sentence's PTB tags to UPOS (`null` for a tag the table does not know, so the caller can drop the sentence).
 * @example ptbToUpos(["He", "did", "n't", "go", "to", "Paris"], ["PRP", "VBD", "RB", "VB", "TO", "NNP"]) // ["PRON", "AUX", "PART", "VERB", "ADP", "PROPN"]
 */
export function ptbToUpos(words: string[], tags: string[]): string[] | null {
  const out: string[] = [];
  const lower = words.map((w) => w.toLowerCase());
  // The next verb-ish tag after position i, skipping adverbs, negation and (for questions) a subject pronoun:
  // "did n't really go" and "do you know" both reach the VB.
  const nextVerbTag = (i: number): string | undefined => {
    for (let j = i + 1; j < tags.length && j <= i + 4; j++) {
      if (tags[j].startsWith("RB") || NEGATION.has(lower[j]) || tags[j] === "PRP" || tags[j] === "EX") continue;
      return tags[j];
    }
    return undefined;
  };
  // PTB's IN opens a clause (UD's SCONJ, deprel mark) when a gerund, a subject pronoun or existential "there" follows.
  const opensClause = (i: number): boolean => {
    const next = tags[i + 1] ?? "";
    return next === "VBG" || next === "EX" || (next === "PRP" && SUBJECT_PRONOUNS.has(lower[i + 1]));
  };
  for (let i = 0; i < words.length; i++) {
    const w = lower[i];
    const t = tags[i];
    let u = TABLE[t];
    if (u === undefined) return null;
    const next = tags[i + 1] ?? "";
    if (t.startsWith("VB")) {
      const nextVerb = nextVerbTag(i) ?? "";
      // Existential "there is" is UD's VERB; every other be is AUX (copula or auxiliary).
      if (BE.has(w)) u = tags[i - 1] === "EX" ? "VERB" : "AUX";
      else if (HAVE.has(w) && nextVerb === "VBN") u = "AUX";
      else if (DO.has(w) && nextVerb === "VB") u = "AUX";
    } else if (NEGATION.has(w) && t === "RB") u = "PART";
    else if (t === "TO") u = next.startsWith("VB") ? "PART" : "ADP";
    else if (t === "IN" && (SCONJ.has(w) || opensClause(i))) u = "SCONJ";
    // Demonstratives stand alone as pronouns ("I like this") and are determiners before a noun phrase ("this car").
    else if (t === "DT" && DEMONSTRATIVES.has(w)) u = /^(NN|JJ|CD)/.test(next) ? "DET" : "PRON";
    else if (t === "WDT" && (w === "what" || w === "which") && /^(NN|JJ)/.test(next)) u = "DET";
    else if (t.startsWith("NN") && INDEFINITE_PRONOUNS.has(w)) u = "PRON";
    else if (w === "%") u = "SYM";
    out.push(u);
  }
  return out;
}
