// Token-classification post-processing as HF 4.37's TokenClassificationPipeline: pre-entities, word aggregation, entity grouping.

/** Aggregation strategies of the token-classification pipeline. */
export type AggregationStrategy = "none" | "simple" | "first" | "average" | "max";

/** One token before aggregation: its text, class probabilities and character span. */
export interface PreEntity {
  word: string;
  scores: number[];
  start: number | null;
  end: number | null;
  index: number;
  isSubword: boolean;
}

/** A token-level entity (strategy "none"). */
export interface TokenEntity {
  entity: string;
  score: number;
  index?: number;
  word: string;
  start: number | null;
  end: number | null;
}

/** A grouped entity (strategies other than "none"), with HF's field names. */
export interface GroupedEntity {
  entity_group: string;
  score: number;
  word: string;
  start: number | null;
  end: number | null;
}

const argmax = (a: number[]) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

/** B-/I- prefix and tag of a label, as HF's `get_tag` (labels without a prefix count as inside their own tag). */
export function getTag(name: string): [string, string] {
  if (name.startsWith("B-")) return ["B", name.slice(2)];
  if (name.startsWith("I-")) return ["I", name.slice(2)];
  return ["I", name];
}

/**
 * Turns pre-entities into entities for a strategy and drops `ignoreLabels`, as HF's `aggregate` + filter.
 * `tokensToString` joins token strings as the tokenizer's decoder does.
 */
export function aggregateEntities(
  pre: PreEntity[],
  strategy: AggregationStrategy,
  id2label: Record<number, string>,
  tokensToString: (tokens: string[]) => string,
  ignoreLabels: string[] = ["O"],
): (TokenEntity | GroupedEntity)[] {
  let out: (TokenEntity | GroupedEntity)[];
  if (strategy === "none" || strategy === "simple") {
    const entities: TokenEntity[] = pre.map((p) => {
      const i = argmax(p.scores);
      return { entity: id2label[i], score: p.scores[i], index: p.index, word: p.word, start: p.start, end: p.end };
    });
    out = strategy === "none" ? entities : groupEntities(entities, tokensToString);
  } else out = groupEntities(aggregateWords(pre, strategy, id2label, tokensToString), tokensToString);
  return out.filter((e) => !ignoreLabels.includes((e as TokenEntity).entity) && !ignoreLabels.includes((e as GroupedEntity).entity_group));
}

function aggregateWord(group: PreEntity[], strategy: AggregationStrategy, id2label: Record<number, string>, tokensToString: (t: string[]) => string): TokenEntity {
  const word = tokensToString(group.map((e) => e.word));
  let scores: number[];
  if (strategy === "first") scores = group[0].scores;
  else if (strategy === "max") scores = group.reduce((best, e) => (Math.max(...e.scores) > Math.max(...best.scores) ? e : best), group[0]).scores;
  else if (strategy === "average") scores = group[0].scores.map((_, k) => group.reduce((s, e) => s + e.scores[k], 0) / group.length);
  else throw new RangeError(`aggregationStrategy ${JSON.stringify(strategy)} does not aggregate words.`);
  const i = argmax(scores);
  return { entity: id2label[i], score: scores[i], word, start: group[0].start, end: group[group.length - 1].end };
}

/** Merges sub-word tokens into words (`aggregate_words`). */
export function aggregateWords(pre: PreEntity[], strategy: AggregationStrategy, id2label: Record<number, string>, tokensToString: (t: string[]) => string): TokenEntity[] {
  const words: TokenEntity[] = [];
  let group: PreEntity[] | null = null;
  for (const e of pre) {
    if (!group) group = [e];
    else if (e.isSubword) group.push(e);
    else {
      words.push(aggregateWord(group, strategy, id2label, tokensToString));
      group = [e];
    }
  }
  if (group) words.push(aggregateWord(group, strategy, id2label, tokensToString));
  return words;
}

function groupSubEntities(entities: TokenEntity[], tokensToString: (t: string[]) => string): GroupedEntity {
  const tag = entities[0].entity.split("-").slice(1).join("-") || entities[0].entity;
  const score = entities.reduce((s, e) => s + e.score, 0) / entities.length;
  return { entity_group: entities[0].entity.includes("-") ? tag : entities[0].entity, score, word: tokensToString(entities.map((e) => e.word)), start: entities[0].start, end: entities[entities.length - 1].end };
}

/** Groups consecutive entities of one tag that do not start with B- (`group_entities`). */
export function groupEntities(entities: TokenEntity[], tokensToString: (t: string[]) => string): GroupedEntity[] {
  const groups: GroupedEntity[] = [];
  let disagg: TokenEntity[] = [];
  for (const e of entities) {
    if (!disagg.length) {
      disagg.push(e);
      continue;
    }
    const [bi, tag] = getTag(e.entity);
    const [, lastTag] = getTag(disagg[disagg.length - 1].entity);
    if (tag === lastTag && bi !== "B") disagg.push(e);
    else {
      groups.push(groupSubEntities(disagg, tokensToString));
      disagg = [e];
    }
  }
  if (disagg.length) groups.push(groupSubEntities(disagg, tokensToString));
  return groups;
}
