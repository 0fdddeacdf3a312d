// Examples' SQuAD v1.1 reader (XQuAD's format): questions with their context, article and answers, every field checked with file, line and JSON path in the error.
import { readFileSync } from "node:fs";
import { DataFileError, lineOf } from "./data-file-error.js";

/** One question of a SQuAD file: answers by text and `answerStart` in code points of `context` (as Python indexes). */
export interface SquadQuestion {
  id: string;
  question: string;
  context: string;
  answers: { text: string[]; answerStart: number[] };
  /** Index of the article (`data[i]`) the question belongs to: splits by article keep contexts out of the other split. */
  article: number;
  title: string;
}

type Json = Record<string, unknown>;

/**
 * Where JSON.parse stopped: the position its message gives (Node 20), else the shortest prefix that fails for a reason
 * other than ending early (newer V8 messages quote the text instead), found by bisection.
 */
function jsonErrorOffset(raw: string, message: string): number {
  const m = /position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  const failsInside = (n: number): boolean => {
    try {
      JSON.parse(raw.slice(0, n));
      return false;
    } catch (e) {
      const msg = (e as Error).message;
      const at = /position (\d+)/.exec(msg);
      return at ? Number(at[1]) < n : !/end of JSON input|Unterminated/i.test(msg);
    }
  };
  let lo = 0;
  let hi = raw.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(mid + 1)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a SQuAD v1.1 JSON file (`{ data: [{ title, paragraphs: [{ context, qas: [{ id, question, answers: [{ text,
 * answer_start }] }] }] }] }`). A field of the wrong type, a question without answers, or an answer whose text is not
 * at its `answer_start` stops with the file, the line and the JSON path of the offending entry.
 * @example const qs = readSquad("../shared/datasets/xquad/xquad.en.json"); qs[0].answers.text[0] // "308"
 */
export function readSquad(path: string): SquadQuestion[] {
  const raw = readFileSync(path, "utf8");
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    const line = lineOf(raw, jsonErrorOffset(raw, (e as Error).message));
    throw new DataFileError(path, line, `is not valid JSON (${(e as Error).message})`, "a SQuAD v1.1 JSON file");
  }
  // The line of an entry: where its id (or, failing that, its text) first occurs in the file.
  const where = (needle: string | undefined): number | undefined => {
    if (!needle) return undefined;
    const at = raw.indexOf(JSON.stringify(needle).slice(1, -1));
    return at < 0 ? undefined : lineOf(raw, at);
  };
  const fail = (jsonPath: string, got: string, expected: string, near?: string): never => {
    throw new DataFileError(path, where(near), `${jsonPath} ${got}`, expected);
  };
  if (!isObj(doc) || !Array.isArray(doc.data)) fail("the top level", "has no \"data\" array", 'a SQuAD v1.1 file: { "version": …, "data": [{ "title", "paragraphs": [...] }] }');
  const out: SquadQuestion[] = [];
  (doc as { data: unknown[] }).data.forEach((article, a) => {
    const ap = `data[${a}]`;
    if (!isObj(article) || !Array.isArray(article.paragraphs)) return fail(ap, "has no \"paragraphs\" array", 'an article { "title", "paragraphs": [{ "context", "qas" }] }', isObj(article) ? String(article.title ?? "") : undefined);
    const title = typeof article.title === "string" ? article.title : `article ${a}`;
    article.paragraphs.forEach((para, p) => {
      const pp = `${ap}.paragraphs[${p}]`;
      if (!isObj(para) || typeof para.context !== "string") return fail(pp, "has no \"context\" string", 'a paragraph { "context": string, "qas": [...] }', title);
      if (!Array.isArray(para.qas)) return fail(pp, "has no \"qas\" array", 'a paragraph { "context": string, "qas": [{ "id", "question", "answers" }] }', para.context.slice(0, 40));
      const context = para.context;
      const chars = [...context];
      para.qas.forEach((qa, q) => {
        const qp = `${pp}.qas[${q}]`;
        const id = isObj(qa) && typeof qa.id === "string" ? qa.id : undefined;
        if (!isObj(qa) || id === undefined || typeof qa.question !== "string")
          return fail(qp, "lacks an \"id\" or \"question\" string", 'a question { "id": string, "question": string, "answers": [{ "text", "answer_start" }] }', id ?? context.slice(0, 40));
        if (!Array.isArray(qa.answers) || qa.answers.length === 0)
          return fail(`${qp} (id ${id})`, "has no answers", 'at least one answer { "text": string, "answer_start": integer } (SQuAD v1.1 has no unanswerable questions)', id);
        const text: string[] = [];
        const answerStart: number[] = [];
        (qa.answers as unknown[]).forEach((ans, k) => {
          const kp = `${qp}.answers[${k}] (id ${id})`;
          if (!isObj(ans) || typeof ans.text !== "string" || !Number.isInteger(ans.answer_start) || (ans.answer_start as number) < 0)
            return fail(kp, `is ${JSON.stringify(ans)}`, '{ "text": string, "answer_start": integer ≥ 0 }', id);
          const start = ans.answer_start as number;
          const len = [...ans.text].length;
          const found = chars.slice(start, start + len).join("");
          if (found !== ans.text)
            return fail(kp, `says ${JSON.stringify(ans.text)} starts at character ${start}, but the context has ${JSON.stringify(found)} there`, "answer_start to index the answer's first character in the context (code points, as Python counts)", id);
          text.push(ans.text);
          answerStart.push(start);
        });
        out.push({ id, question: qa.question as string, context, answers: { text, answerStart }, article: a, title });
      });
    });
  });
  if (out.length === 0) throw new DataFileError(path, undefined, "holds no questions", "a SQuAD file with at least one article, paragraph and question");
  return out;
}
