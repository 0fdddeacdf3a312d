// pipeline(task, model): HF's pipelines — text in, answers out — with Python's output fields (label, score, entity_group, answer, …).
import { noGrad } from "@tsorch/autograd";
import { scope, tensor, type Tensor } from "@tsorch/tensor";
import type { PreTrainedModel, FromPretrainedOptions } from "../modeling-utils.js";
import { AutoModel, AutoModelForCausalLM, AutoModelForMaskedLM, AutoModelForQuestionAnswering, AutoModelForSeq2SeqLM, AutoModelForSequenceClassification, AutoModelForTokenClassification } from "../auto/auto-classes.js";
import { AutoTokenizer, type ChatMessage, type PreTrainedTokenizer } from "../tokenization/tokenizer.js";
import type { GenerateCallOptions } from "../generation/generate.js";
import { aggregateEntities, type AggregationStrategy, type PreEntity } from "./token-aggregation.js";
import { bestSpans, maskedSoftmax } from "./span-decode.js";

type Row = Record<string, unknown>;
type Out = { logits: Tensor; startLogits?: Tensor; endLogits?: Tensor; lastHiddenState?: Tensor };

const TASKS = {
  "text-classification": "sequenceClassification",
  "sentiment-analysis": "sequenceClassification",
  "zero-shot-classification": "sequenceClassification",
  "token-classification": "tokenClassification",
  ner: "tokenClassification",
  "question-answering": "questionAnswering",
  "fill-mask": "maskedLM",
  "text-generation": "causalLM",
  "text2text-generation": "seq2seqLM",
  summarization: "seq2seqLM",
  translation: "seq2seqLM",
  "feature-extraction": "base",
} as const;
type Task = keyof typeof TASKS;

const AUTO = {
  sequenceClassification: AutoModelForSequenceClassification,
  tokenClassification: AutoModelForTokenClassification,
  questionAnswering: AutoModelForQuestionAnswering,
  maskedLM: AutoModelForMaskedLM,
  causalLM: AutoModelForCausalLM,
  seq2seqLM: AutoModelForSeq2SeqLM,
  base: AutoModel,
};

/** What a model class name must contain to serve a task (HF's head classes). */
const HEAD_NAMES: Record<string, RegExp> = {
  sequenceClassification: /ForSequenceClassification$/,
  tokenClassification: /ForTokenClassification$/,
  questionAnswering: /ForQuestionAnswering$/,
  maskedLM: /ForMaskedLM$/,
  causalLM: /(ForCausalLM|LMHeadModel)$/,
  seq2seqLM: /(ForConditionalGeneration|MTModel)$/,
  base: /./,
};

/** Options of `pipeline`. */
export interface PipelineOptions extends FromPretrainedOptions {
  /** A tokenizer, or where to load it from (default: the model's folder). */
  tokenizer?: PreTrainedTokenizer | string;
}

const softmaxRow = (r: number[]) => {
  const m = Math.max(...r);
  const e = r.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const rowsOf = (t: Tensor): number[][] => {
  const [b, c] = t.shape;
  const d = t.to("float32").contiguous().dataSync() as Float32Array;
  return Array.from({ length: b }, (_, i) => Array.from(d.subarray(i * c, (i + 1) * c)));
};

/**
 * A task pipeline: a model, its tokenizer, and the task's pre- and post-processing. Call it with `run(inputs, options)`.
 * @example const clf = await pipeline("sentiment-analysis", "./my-model"); await clf.run("I love it") // [{ label: "POSITIVE", score: 0.99 }]
 */
export class Pipeline {
  constructor(readonly task: Task, readonly model: PreTrainedModel, readonly tokenizer: PreTrainedTokenizer) {}

  #forward(inputs: Row): Out {
    return (this.model as unknown as { forward(i: Row): Out }).forward(inputs);
  }

  #maxLen(): number {
    const c = this.model.config as unknown as { maxPositionEmbeddings?: number };
    return Math.min(this.tokenizer.modelMaxLength, c.maxPositionEmbeddings ?? Infinity, 1e6);
  }

  /** The device the model's weights are on; inputs go there. */
  get device(): string {
    return this.model.parameters()[0]?.device ?? "cpu";
  }

  #place<T extends Record<string, Tensor | undefined>>(t: T): T {
    const d = this.device;
    if (d === "cpu") return t;
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v?.to(d)])) as T;
  }

  #batch(texts: string[], opts: Row = {}): Row {
    const enc = this.tokenizer.call(texts, { padding: true, truncation: true, maxLength: this.#maxLen(), ...opts });
    return { ...this.#place(enc.toTensors()), _enc: enc };
  }

  /** Runs the task on one input or a list (`batchSize` rows per forward); outputs are shaped as Python's. */
  async run(inputs: unknown, opts: Row = {}): Promise<unknown> {
    if (inputs === undefined || inputs === null) throw new TypeError(`${this.task}: no input given.`);
    this.model.eval();
    switch (this.task) {
      case "text-classification":
      case "sentiment-analysis":
        return this.#classify(inputs, opts);
      case "zero-shot-classification":
        return this.#zeroShot(inputs, opts);
      case "token-classification":
      case "ner":
        return this.#ner(inputs, opts);
      case "question-answering":
        return this.#qa(inputs, opts);
      case "fill-mask":
        return this.#fillMask(inputs, opts);
      case "text-generation":
        return this.#generateText(inputs, opts);
      case "feature-extraction":
        return this.#features(inputs);
      default:
        return this.#text2text(inputs, opts);
    }
  }

  #list<T>(inputs: T | T[]): [T[], boolean] {
    return Array.isArray(inputs) ? [inputs, true] : [[inputs], false];
  }

  async #classify(inputs: unknown, opts: Row): Promise<unknown> {
    const isPair = (x: unknown) => !!x && typeof x === "object" && !Array.isArray(x) && "text" in (x as Row);
    const [list, batched] = this.#list(inputs as unknown);
    const cfg = this.model.config;
    const fn = (opts.functionToApply as string | undefined) ?? (cfg.problemType === "multi_label_classification" || cfg.numLabels === 1 ? "sigmoid" : "softmax");
    const topK = opts.topK === undefined ? 1 : (opts.topK as number | null);
    const out: unknown[] = [];
    for (const item of list) {
      const text = isPair(item) ? String((item as Row).text) : item;
      if (typeof text !== "string") throw new TypeError(`${this.task}: inputs must be strings or { text, text_pair } objects.`);
      const pair = isPair(item) ? ((item as Row).text_pair as string | undefined) ?? ((item as Row).textPair as string | undefined) : undefined;
      const logits = noGrad(() => scope(() => rowsOf(this.#forward(this.#batch([text], pair !== undefined ? { textPair: [pair] } : {})).logits)))[0];
      const scores = fn === "softmax" ? softmaxRow(logits) : fn === "sigmoid" ? logits.map(sigmoid) : logits;
      const ranked = scores.map((score, i) => ({ label: cfg.id2label[i] ?? `LABEL_${i}`, score })).sort((a, b) => b.score - a.score);
      out.push(topK === 1 && opts.topK === undefined ? ranked[0] : ranked.slice(0, topK ?? ranked.length));
    }
    return !batched && opts.topK === undefined ? out : batched ? out : out[0];
  }

  async #zeroShot(inputs: unknown, opts: Row): Promise<unknown> {
    const labels = (opts.candidateLabels ?? opts.candidate_labels) as string[] | string | undefined;
    const cands = typeof labels === "string" ? labels.split(",").map((s) => s.trim()) : labels;
    if (!cands?.length) throw new RangeError("zero-shot-classification: pass { candidateLabels: [...] } with at least one label.");
    const template = (opts.hypothesisTemplate as string | undefined) ?? "This example is {}.";
    const l2i = Object.fromEntries(Object.entries(this.model.config.label2id).map(([k, v]) => [k.toLowerCase(), v]));
    const entail = Object.entries(l2i).find(([k]) => k.startsWith("entail"))?.[1];
    if (entail === undefined) throw new RangeError("zero-shot-classification: the model's label2id has no entailment label; use an NLI model (labels contradiction / neutral / entailment).");
    const contra = Object.entries(l2i).find(([k]) => k.startsWith("contra"))?.[1] ?? (entail === 0 ? 2 : 0);
    const [list, batched] = this.#list(inputs as string);
    const results = list.map((seq) => {
      const logits = noGrad(() => scope(() => rowsOf(this.#forward(this.#batch(cands.map(() => seq), { textPair: cands.map((c) => template.replace("{}", c)) })).logits)));
      const scores = opts.multiLabel ? logits.map((r) => softmaxRow([r[contra], r[entail]])[1]) : softmaxRow(logits.map((r) => r[entail]));
      const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
      return { sequence: seq, labels: order.map(([, i]) => cands[i]), scores: order.map(([s]) => s) };
    });
    return batched ? results : results[0];
  }

  async #ner(inputs: unknown, opts: Row): Promise<unknown> {
    const strategy = ((opts.aggregationStrategy as string | undefined) ?? "none") as AggregationStrategy;
    if (!["none", "simple", "first", "average", "max"].includes(strategy)) throw new RangeError(`token-classification: aggregationStrategy must be none, simple, first, average or max (got ${JSON.stringify(strategy)}).`);
    const [list, batched] = this.#list(inputs as string);
    const wordAware = !!(this.tokenizer.backend.model as unknown as { continuingSubwordPrefix?: string }).continuingSubwordPrefix || this.tokenizer.backend.toJSON().model !== undefined && !!((this.tokenizer.backend.toJSON().model as Row).continuing_subword_prefix);
    const results = list.map((sentence) => {
      if (typeof sentence !== "string") throw new TypeError("token-classification: inputs must be strings.");
      const b = this.#batch([sentence], { returnOffsetsMapping: true, returnSpecialTokensMask: true });
      const enc = (b._enc as { inputIds: number[][]; offsetMapping: [number, number][][]; specialTokensMask: number[][] });
      const logits = noGrad(() => scope(() => {
        const l = this.#forward(b).logits.select(0, 0); // [T, C]
        return rowsOf(l);
      }));
      const pre: PreEntity[] = [];
      const unk = this.tokenizer.unkTokenId;
      logits.forEach((row, idx) => {
        if (enc.specialTokensMask[0][idx]) return;
        const id = enc.inputIds[0][idx];
        let word = this.tokenizer.backend.idToToken(id) ?? "";
        const [s, e] = enc.offsetMapping[0][idx];
        const ref = sentence.slice(s, e);
        let isSubword = wordAware ? word.length !== ref.length : s > 0 && !sentence.slice(s - 1, s + 1).includes(" ");
        if (id === unk) ((word = ref), (isSubword = false));
        pre.push({ word, scores: softmaxRow(row), start: s, end: e, index: idx, isSubword });
      });
      const toString = (tokens: string[]) => this.tokenizer.convertTokensToString(tokens);
      return aggregateEntities(pre, strategy, this.model.config.id2label, toString, (opts.ignoreLabels as string[] | undefined) ?? ["O"]);
    });
    return batched ? results : results[0];
  }

  async #qa(inputs: unknown, opts: Row): Promise<unknown> {
    const items = (Array.isArray(inputs) ? inputs : [inputs]) as Row[];
    const topK = (opts.topK as number | undefined) ?? 1;
    const maxAnswerLen = (opts.maxAnswerLen as number | undefined) ?? 15;
    const docStride = (opts.docStride as number | undefined) ?? 128;
    const maxSeqLen = (opts.maxSeqLen as number | undefined) ?? Math.min(384, this.#maxLen());
    const results = items.map((item) => {
      const question = (item?.question ?? opts.question) as string;
      const context = (item?.context ?? opts.context) as string;
      if (typeof question !== "string" || typeof context !== "string") throw new TypeError("question-answering: pass { question, context } strings.");
      if (!question.trim() || !context.trim()) throw new RangeError(`question-answering: the ${!question.trim() ? "question" : "context"} is empty.`);
      const enc = this.tokenizer.call([question], { textPair: [context], truncation: "only_second", maxLength: maxSeqLen, stride: Math.min(docStride, Math.floor(maxSeqLen / 2)), returnOverflowingTokens: true, returnOffsetsMapping: true, padding: true });
      const t = this.#place(enc.toTensors());
      const { starts, ends } = noGrad(() => scope(() => {
        const o = this.#forward(t);
        return { starts: rowsOf(o.startLogits!), ends: rowsOf(o.endLogits!) };
      }));
      const answers: { score: number; start: number; end: number; answer: string }[] = [];
      let minNull = 1e6;
      for (let w = 0; w < enc.length; w++) {
        const seq = enc.sequenceIds(w);
        const allowed = seq.map((s, j) => s === 1 && enc.attentionMask[w][j] === 1);
        const cls = enc.inputIds[w].indexOf(this.tokenizer.clsTokenId ?? -1);
        const allowedWithCls = allowed.map((a, j) => a || j === cls);
        const ps = maskedSoftmax(starts[w], allowedWithCls);
        const pe = maskedSoftmax(ends[w], allowedWithCls);
        if (opts.handleImpossibleAnswer) minNull = Math.min(minNull, ps[0] * pe[0]);
        ps[0] = 0;
        pe[0] = 0;
        const words = enc.wordIds(w);
        const offs = enc.offsetMapping![w];
        const wordSpan = (tok: number, side: 0 | 1) => {
          const word = words[tok];
          let v = offs[tok][side];
          if (word === null) return v;
          for (let j = 0; j < words.length; j++) if (words[j] === word && seq[j] === 1) v = side === 0 ? Math.min(v, offs[j][0]) : Math.max(v, offs[j][1]);
          return v;
        };
        for (const sp of bestSpans(ps, pe, topK, maxAnswerLen, allowed)) {
          const s = (opts.alignToWords ?? true) ? wordSpan(sp.start, 0) : offs[sp.start][0];
          const e = (opts.alignToWords ?? true) ? wordSpan(sp.end, 1) : offs[sp.end][1];
          answers.push({ score: sp.score, start: s, end: e, answer: context.slice(s, e) });
        }
      }
      if (opts.handleImpossibleAnswer) answers.push({ score: minNull, start: 0, end: 0, answer: "" });
      answers.sort((a, b) => b.score - a.score);
      const top = answers.slice(0, topK);
      return top.length === 1 ? top[0] : top;
    });
    return Array.isArray(inputs) ? results : results[0];
  }

  async #fillMask(inputs: unknown, opts: Row): Promise<unknown> {
    const mask = this.tokenizer.maskTokenId;
    if (mask === null) throw new RangeError("fill-mask: the tokenizer has no mask token.");
    const topK = (opts.topK as number | undefined) ?? 5;
    const targets = opts.targets === undefined ? null : (Array.isArray(opts.targets) ? opts.targets : [opts.targets]).map((t) => {
      const id = this.tokenizer.backend.tokenToId(String(t)) ?? this.tokenizer.encode(String(t), { addSpecialTokens: false })[0];
      if (id === undefined) throw new RangeError(`fill-mask: target ${JSON.stringify(t)} is not in the vocabulary.`);
      return id;
    });
    const [list, batched] = this.#list(inputs as string);
    const results = list.map((text) => {
      const b = this.#batch([text]);
      const ids = (b._enc as { inputIds: number[][] }).inputIds[0];
      const positions = ids.flatMap((id, j) => (id === mask ? [j] : []));
      if (positions.length === 0) throw new RangeError(`fill-mask: no mask token (${this.tokenizer.maskToken}) in ${JSON.stringify(text)}; put one where a word should be predicted.`);
      const logits = noGrad(() => scope(() => rowsOf(this.#forward(b).logits.select(0, 0)))); // [T, V]
      const perMask = positions.map((p) => {
        const probs = softmaxRow(logits[p]);
        const cand = (targets ?? probs.map((_, i) => i)).map((i) => [probs[i], i] as const).sort((a, c) => c[0] - a[0]).slice(0, topK);
        return cand.map(([score, token]) => {
          const filled = ids.map((x, j) => (j === p ? token : x));
          return { score, token, token_str: this.tokenizer.decode([token]), sequence: this.tokenizer.decode(filled, { skipSpecialTokens: true }) };
        });
      });
      return perMask.length === 1 ? perMask[0] : perMask;
    });
    return batched ? results : results[0];
  }

  async #generateText(inputs: unknown, opts: Row): Promise<unknown> {
    const chat = Array.isArray(inputs) && inputs.length > 0 && typeof inputs[0] === "object" && inputs[0] !== null && "role" in (inputs[0] as Row);
    const list: (string | ChatMessage[])[] = chat ? [inputs as ChatMessage[]] : Array.isArray(inputs) ? (inputs as string[]) : [inputs as string];
    const { returnFullText = true, ...gen } = opts as { returnFullText?: boolean } & GenerateCallOptions;
    const results: unknown[] = [];
    for (const item of list) {
      const prompt = typeof item === "string" ? item : (this.tokenizer.applyChatTemplate(item, { addGenerationPrompt: true, tokenize: false }) as string);
      if (typeof prompt !== "string") throw new TypeError("text-generation: inputs must be strings or chat messages.");
      const ids = this.tokenizer.encode(prompt, { addSpecialTokens: typeof item === "string" });
      if (!ids.length) throw new RangeError("text-generation: the prompt tokenizes to nothing; give some text (or a model whose tokenizer adds a BOS token).");
      const out = (await this.model.generate(this.#place({ ids: tensor([ids], { dtype: "int64" }) }).ids, { maxNewTokens: 50, ...gen, padTokenId: gen.padTokenId ?? this.tokenizer.padTokenId ?? this.tokenizer.eosTokenId ?? undefined })) as Tensor;
      const all = (await out.tolist()) as number[][];
      const seqs = all.map((r) => {
        const fresh = this.tokenizer.decode(r.slice(ids.length), { skipSpecialTokens: true });
        if (typeof item !== "string") return { generated_text: [...item, { role: "assistant", content: fresh }] };
        return { generated_text: returnFullText ? prompt + fresh : fresh };
      });
      results.push(seqs);
    }
    return list.length === 1 && !Array.isArray(inputs) ? results[0] : chat ? results[0] : results;
  }

  async #text2text(inputs: unknown, opts: Row): Promise<unknown> {
    const field = this.task === "summarization" ? "summary_text" : this.task.startsWith("translation") ? "translation_text" : "generated_text";
    const [list, batched] = this.#list(inputs as string);
    const prefix = this.#taskPrefix();
    const results: unknown[] = [];
    for (const text of list) {
      if (typeof text !== "string") throw new TypeError(`${this.task}: inputs must be strings.`);
      const enc = this.tokenizer.call([prefix + text], { truncation: true, maxLength: this.#maxLen() });
      const t = this.#place(enc.toTensors());
      const out = (await this.model.generate({ inputIds: t.inputIds, attentionMask: t.attentionMask }, opts as GenerateCallOptions)) as Tensor;
      results.push(this.tokenizer.batchDecode(out, { skipSpecialTokens: true }).map((s) => ({ [field]: s })));
    }
    return batched ? results : results[0];
  }

  #taskPrefix(): string {
    const params = this.model.config.getExtra("task_specific_params") as Record<string, { prefix?: string }> | undefined;
    return params?.[this.task]?.prefix ?? "";
  }

  async #features(inputs: unknown): Promise<unknown> {
    const [list, batched] = this.#list(inputs as string);
    const results = [];
    for (const text of list) {
      const h = noGrad(() => scope(() => {
        const o = this.#forward(this.#batch([text])) as Out & { lastHiddenState?: Tensor };
        return (o.lastHiddenState ?? (o as unknown as { logits: Tensor }).logits).to("float32");
      }));
      results.push(await h.tolist());
      h.dispose();
    }
    return batched ? results : results[0];
  }
}

/**
 * Builds a pipeline for a task, as `transformers.pipeline`: the model from a folder / the HF cache / the Hub (or an
 * instance), its tokenizer, and the task's processing. `translation_xx_to_yy` names select T5-style prefixes.
 * @example
 * const ner = await pipeline("ner", "./bert-ner", { device: "cpu" });
 * await ner.run("Angela Merkel visited Paris", { aggregationStrategy: "simple" });
 */
export async function pipeline(task: string, model?: string | PreTrainedModel, opts: PipelineOptions = {}): Promise<Pipeline> {
  const base = (task.startsWith("translation") ? "translation" : task) as Task;
  if (!(base in TASKS)) throw new RangeError(`pipeline: unknown task ${JSON.stringify(task)}; known tasks: ${Object.keys(TASKS).join(", ")}, translation_xx_to_yy.`);
  if (model === undefined) throw new RangeError(`pipeline("${task}"): pass a model (a folder, a Hub id or a model instance); this offline build has no default checkpoint per task.`);
  const head = TASKS[base];
  const m = typeof model === "string" ? await AUTO[head].fromPretrained(model, opts) : model;
  if (!HEAD_NAMES[head].test(m.constructor.name))
    throw new RangeError(`pipeline("${task}"): ${m.constructor.name} has no ${head} head; load the model with the matching class (e.g. Auto${head[0].toUpperCase()}${head.slice(1)}).`);
  const tokSrc = opts.tokenizer ?? (typeof model === "string" ? model : undefined);
  if (!tokSrc) throw new RangeError(`pipeline("${task}"): pass { tokenizer } when giving a model instance.`);
  const tok = typeof tokSrc === "string" ? await AutoTokenizer.fromPretrained(tokSrc, opts) : tokSrc;
  if (opts.device && typeof model !== "string") m.to(opts.device);
  return new Pipeline(task as Task, m, tok);
}
