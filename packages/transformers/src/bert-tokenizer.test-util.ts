// Test helper: a BERT-style WordPiece tokenizer trained on a few texts with @tsorch/tokenizers, so every id a test uses exists.
import { Tokenizer, WordPieceTrainer, trainFromIteratorSync } from "@tsorch/tokenizers";
import { PreTrainedTokenizer } from "@tsorch/transformers";

/** Trains an uncased WordPiece vocabulary on `texts` with [CLS] … [SEP] templates and the usual special tokens. */
export function trainTestBertTokenizer(texts: string[], opts: { vocabSize: number; modelMaxLength: number }): PreTrainedTokenizer {
  const tok = Tokenizer.fromJSON({
    version: "1.0",
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: { "[UNK]": 0 } },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  });
  trainFromIteratorSync(tok, texts, new WordPieceTrainer({ vocabSize: opts.vocabSize, specialTokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] }));
  const cls = tok.tokenToId("[CLS]")!;
  const sep = tok.tokenToId("[SEP]")!;
  tok.postProcessor = Tokenizer.fromJSON({
    model: { type: "WordLevel", vocab: {}, unk_token: "[UNK]" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } }],
      special_tokens: { "[CLS]": { id: "[CLS]", ids: [cls], tokens: ["[CLS]"] }, "[SEP]": { id: "[SEP]", ids: [sep], tokens: ["[SEP]"] } },
    },
  }).postProcessor;
  return PreTrainedTokenizer.fromTokenizer(tok, { padToken: "[PAD]", unkToken: "[UNK]", clsToken: "[CLS]", sepToken: "[SEP]", maskToken: "[MASK]", tokenizerClass: "BertTokenizerFast", modelMaxLength: opts.modelMaxLength });
}
