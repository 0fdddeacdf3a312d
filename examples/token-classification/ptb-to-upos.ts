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
const SCONJ = new Set(["that", "if", "whether", "because", "although", "though", "while", "unless", "whereas", "once", "whilst"]);

/**
 * Maps one sentence's PTB tags to UPOS (`null` for a tag the table does not know, so the caller can drop the sentence).
 * @example ptbToUpos(["He", "did", "n't", "go", "to", "Paris"], ["PRP", "VBD", "RB", "VB", "TO", "NNP"]) // ["PRON", "AUX", "PART", "VERB", "ADP", "PROPN"]
 */
export function ptbToUpos(words: string[], tags: string[]): string[] | null {
  const out: string[] = [];
  // The next verb-ish tag after position i, skipping adverbs and negation (did n't really go → VB).
  const nextVerbTag = (i: number): string | undefined => {
    for (let j = i + 1; j < tags.length && j <= i + 4; j++) {
      if (tags[j].startsWith("RB") || NEGATION.has(words[j].toLowerCase())) continue;
      return tags[j];
    }
    return undefined;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i].toLowerCase();
    const t = tags[i];
    let u = TABLE[t];
    if (u === undefined) return null;
    if (t.startsWith("VB")) {
      const next = nextVerbTag(i) ?? "";
      if (BE.has(w)) u = "AUX";
      else if (HAVE.has(w) && next === "VBN") u = "AUX";
      else if (DO.has(w) && next === "VB") u = "AUX";
    } else if (NEGATION.has(w) && t === "RB") u = "PART";
    else if (t === "TO") u = (tags[i + 1] ?? "").startsWith("VB") ? "PART" : "ADP";
    else if (t === "IN" && SCONJ.has(w)) u = "SCONJ";
    else if (t.startsWith("NN") && INDEFINITE_PRONOUNS.has(w)) u = "PRON";
    else if (w === "%") u = "SYM";
    out.push(u);
  }
  return out;
}
