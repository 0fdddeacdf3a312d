// Encoding.lazy (what TokenizerPool returns): every field is built from its source once, on first read, and only when read.
import { describe, expect, it } from "vitest";
import { Encoding } from "./encoding.js";
import type { LazyEncodingSource } from "./internal/lazy-encoding-source.js";

function source(calls: string[]): LazyEncodingSource<Encoding> {
  const log = <T>(name: string, v: () => T) => (): T => {
    calls.push(name);
    return v();
  };
  return {
    length: 2,
    ids: log("ids", () => [5, 6]),
    typeIds: log("typeIds", () => [0, 0]),
    tokens: log("tokens", () => ["a", "b"]),
    wordIds: log("wordIds", () => [0, null]),
    specialTokensMask: log("specialTokensMask", () => [0, 1]),
    attentionMask: log("attentionMask", () => [1, 1]),
    packedOffsets: log("packedOffsets", () => Int32Array.of(0, 1, 1, 2)),
    sequenceRanges: log("sequenceRanges", () => new Map([[0, [0, 2]]])),
    overflowing: log("overflowing", () => []),
  };
}

describe("Encoding.lazy", () => {
  it("builds each field once, on first read, and nothing for length", () => {
    const calls: string[] = [];
    const e = Encoding.lazy(source(calls), ["ab"]);
    expect(e.length).toBe(2);
    expect(calls).toEqual([]);
    expect(e.offsets).toEqual([[0, 1], [1, 2]]);
    expect(e.offsets).toEqual([[0, 1], [1, 2]]);
    expect(calls).toEqual(["packedOffsets"]);
    expect(e.ids).toBe(e.ids);
    expect(calls).toEqual(["packedOffsets", "ids"]);
    expect(e.toJSON()).toEqual({
      ids: [5, 6],
      typeIds: [0, 0],
      tokens: ["a", "b"],
      offsets: [[0, 1], [1, 2]],
      attentionMask: [1, 1],
      specialTokensMask: [0, 1],
      wordIds: [0, null],
      sequenceIds: [0, 0],
      overflowing: [],
    });
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls.length).toBe(9);
  });

  it("clone, truncate and pad give what they give on an encoding built in place", () => {
    const inPlace = (): Encoding => {
      const e = new Encoding();
      e.ids = [5, 6];
      e.typeIds = [0, 0];
      e.tokens = ["a", "b"];
      e.wordIds = [0, null];
      e.specialTokensMask = [0, 1];
      e.attentionMask = [1, 1];
      e.setPackedOffsets([0, 1, 1, 2]);
      e.sequenceRanges = new Map([[0, [0, 2]]]);
      e.sources = ["ab"];
      return e;
    };
    const ops: Array<(e: Encoding) => Encoding> = [
      (e) => e.clone(),
      (e) => (e.truncate(1, 0, "right"), e),
      (e) => (e.pad(4, 0, 0, "<pad>", "left"), e),
      (e) => (e.pad(3, 0, 0, "<pad>", "right"), e),
      (e) => Encoding.merge([e, inPlace()], false),
      (e) => (e.mergeWith(inPlace(), true), e),
    ];
    for (const op of ops) {
      const got = op(Encoding.lazy(source([]), ["ab"]));
      expect(JSON.stringify(got)).toBe(JSON.stringify(op(inPlace())));
      expect(got.offsetsUtf16).toEqual(op(inPlace()).offsetsUtf16);
    }
    console.log(`Encoding.lazy: ${ops.length} operations equal to in-place encodings`);
  });
});
