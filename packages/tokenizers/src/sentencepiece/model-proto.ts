// SentencePiece ModelProto reader: decodes a `.model` file's protobuf wire format (sentencepiece_model.proto) without dependencies.

/** Piece types of sentencepiece_model.proto (`SentencePiece.Type`). */
export const SentencePieceType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** One vocabulary entry: the piece, its score (log probability for Unigram, merge rank for BPE) and its type. */
export interface SentencePiece {
  piece: string;
  score: number;
  type: number;
}

/** The fields of `TrainerSpec` a converter needs; proto defaults where the file omits them. */
export interface SentencePieceTrainerSpec {
  /** UNIGRAM=1, BPE=2, WORD=3, CHAR=4. */
  modelType: number;
  byteFallback: boolean;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
}

/** The fields of `NormalizerSpec`; proto defaults where the file omits them. */
export interface SentencePieceNormalizerSpec {
  name: string;
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

/** A decoded SentencePiece model. */
export interface SentencePieceModel {
  pieces: SentencePiece[];
  trainerSpec: SentencePieceTrainerSpec;
  normalizerSpec: SentencePieceNormalizerSpec;
}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly where: string,
  ) {}
  fail(what: string): never {
    throw new RangeError(`readSentencePieceModel: ${what} at byte ${this.pos} of ${this.where}; the file is not a SentencePiece ModelProto (or is truncated).`);
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) this.fail("varint runs past the end");
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    this.fail("varint longer than 10 bytes");
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.buf.length) this.fail(`length-delimited field of ${n} bytes runs past the end`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  float32(): number {
    if (this.pos + 4 > this.buf.length) this.fail("fixed32 runs past the end");
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else this.fail(`unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) this.fail("field runs past the end");
  }
  /** Calls `on(field, wire)` for each field; `on` returns false to have it skipped. */
  fields(on: (field: number, wire: number) => boolean): void {
    while (this.pos < this.buf.length) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (!on(field, wire)) this.skip(wire);
    }
  }
}

// ignoreBOM: a piece may be U+FEFF itself (Llama has one), which a default decoder would strip.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
/** int32 fields are varints of the two's complement 64-bit value: map back to a signed number. */
const int32 = (v: number): number => (v >= 2 ** 63 ? -1 : v > 0x7fffffff ? v - 2 ** 64 : v);

function readPiece(buf: Uint8Array, where: string): SentencePiece {
  const r = new Reader(buf, where);
  const p: SentencePiece = { piece: "", score: 0, type: SentencePieceType.NORMAL };
  r.fields((f, w) => {
    if (f === 1 && w === 2) p.piece = utf8.decode(r.bytes());
    else if (f === 2 && w === 5) p.score = r.float32();
    else if (f === 3 && w === 0) p.type = r.varint();
    else return false;
    return true;
  });
  return p;
}

function readTrainer(buf: Uint8Array, where: string): SentencePieceTrainerSpec {
  const r = new Reader(buf, where);
  const t: SentencePieceTrainerSpec = { modelType: 1, byteFallback: false, unkId: 0, bosId: 1, eosId: 2, padId: -1 };
  r.fields((f, w) => {
    if (w !== 0) return false;
    if (f === 3) t.modelType = r.varint();
    else if (f === 35) t.byteFallback = r.varint() !== 0;
    else if (f === 40) t.unkId = int32(r.varint());
    else if (f === 41) t.bosId = int32(r.varint());
    else if (f === 42) t.eosId = int32(r.varint());
    else if (f === 43) t.padId = int32(r.varint());
    else return false;
    return true;
  });
  return t;
}

function readNormalizer(buf: Uint8Array | undefined, where: string): SentencePieceNormalizerSpec {
  const n: SentencePieceNormalizerSpec = { name: "", precompiledCharsmap: new Uint8Array(0), addDummyPrefix: true, removeExtraWhitespaces: true, escapeWhitespaces: true };
  if (!buf) return n;
  const r = new Reader(buf, where);
  r.fields((f, w) => {
    if (f === 1 && w === 2) n.name = utf8.decode(r.bytes());
    else if (f === 2 && w === 2) n.precompiledCharsmap = r.bytes().slice();
    else if (f === 3 && w === 0) n.addDummyPrefix = r.varint() !== 0;
    else if (f === 4 && w === 0) n.removeExtraWhitespaces = r.varint() !== 0;
    else if (f === 5 && w === 0) n.escapeWhitespaces = r.varint() !== 0;
    else return false;
    return true;
  });
  return n;
}

/**
 * Decodes a SentencePiece `.model` file (`spiece.model`, `tokenizer.model`, `sentencepiece.bpe.model`, `*.spm`).
 *
 * @example
 * ```ts
 * const model = readSentencePieceModel(new Uint8Array(readFileSync("spiece.model")));
 * model.trainerSpec.modelType; // 1 = Unigram, 2 = BPE
 * model.pieces[5]; // { piece: "▁the", score: -3.1, type: 1 }
 * ```
 */
export function readSentencePieceModel(bytes: Uint8Array, where = "the model file"): SentencePieceModel {
  const r = new Reader(bytes, where);
  const pieces: SentencePiece[] = [];
  let trainer: Uint8Array | undefined;
  let normalizer: Uint8Array | undefined;
  r.fields((f, w) => {
    if (w !== 2) return false;
    if (f === 1) pieces.push(readPiece(r.bytes(), where));
    else if (f === 2) trainer = r.bytes();
    else if (f === 3) normalizer = r.bytes();
    else return false;
    return true;
  });
  if (pieces.length === 0) throw new RangeError(`readSentencePieceModel: ${where} holds no pieces; it is not a SentencePiece model file.`);
  return { pieces, trainerSpec: trainer ? readTrainer(trainer, where) : readTrainer(new Uint8Array(0), where), normalizerSpec: readNormalizer(normalizer, where) };
}
