// Examples' shared step: a BERT-style WordPiece tokenizer trained on the training text with @tsorch/tokenizers (Chinese characters split as BERT does).
import { Tokenizer, WordPieceTrainer, trainFromIteratorSync } from "@tsorch/tokenizers";
import { PreTrainedTokenizer } from "@tsorch/transformers";

/**
 * Trains an uncased (or cased) WordPiece vocabulary of `vocabSize` on `texts` and wraps it as a Hugging Face tokenizer
 * with [CLS] … [SEP] templates, so `savePretrained` writes files Python's AutoTokenizer loads.
 */
export function trainBertTokenizer(texts: Iterable<string | string[]>, opts: { vocabSize?: number; lowercase?: boolean; modelMaxLength?: number } = {}): PreTrainedTokenizer {
  const tok = Tokenizer.fromJSON({
    version: "1.0",
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: opts.lowercase ?? true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: { "[UNK]": 0 } },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  });
  trainFromIteratorSync(tok, texts, new WordPieceTrainer({ vocabSize: opts.vocabSize ?? 8000, specialTokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] }));
  const id = (t: string) => tok.tokenToId(t)!;
  tok.postProcessor = Tokenizer.fromJSON({
    model: { type: "WordLevel", vocab: {}, unk_token: "[UNK]" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } }],
      special_tokens: { "[CLS]": { id: "[CLS]", ids: [id("[CLS]")], tokens: ["[CLS]"] }, "[SEP]": { id: "[SEP]", ids: [id("[SEP]")], tokens: ["[SEP]"] } },
    },
  }).postProcessor;
  return PreTrainedTokenizer.fromTokenizer(tok, { padToken: "[PAD]", unkToken: "[UNK]", clsToken: "[CLS]", sepToken: "[SEP]", maskToken: "[MASK]", tokenizerClass: "BertTokenizerFast", modelMaxLength: opts.modelMaxLength ?? 128 });
}
