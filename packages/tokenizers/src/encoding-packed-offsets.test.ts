// Encodings that keep their offsets packed (until `offsets` is read) must behave like ones holding [start, end] pairs through clone, merge, truncate and pad.
import { describe, expect, it } from "vitest";
import { Encoding } from "@tsorch/tokenizers";

function make(n: number, seed: number, packed: boolean): Encoding {
  const e = new Encoding();
  e.ids = Array.from({ length: n }, (_, i) => seed * 100 + i);
  e.tokens = e.ids.map(String);
  e.typeIds = e.ids.map(() => 0);
  e.wordIds = e.ids.map((_, i) => i);
  e.specialTokensMask = e.ids.map(() => 0);
  e.attentionMask = e.ids.map(() => 1);
  const pairs = e.ids.map((_, i): [number, number] => [seed + i * 3, seed + i * 3 + 2]);
  if (packed) e.setPackedOffsets(Int32Array.from(pairs.flat()));
  else e.offsets = pairs;
  return e;
}

const view = (e: Encoding): unknown => ({ ids: e.ids, offsets: e.offsets, over: e.overflowing.map(view), ranges: [...e.sequenceRanges] });

describe("packed offsets", () => {
  it("read as the same pairs after clone, merge, mergeWith, truncate and pad", () => {
    let checked = 0;
    for (const n of [0, 1, 5, 9]) {
      const ops: Array<(p: boolean) => Encoding> = [
        (p) => make(n, 1, p).clone(),
        (p) => Encoding.merge([make(n, 1, p), make(2, 7, !p), make(n, 3, p)], false, true),
        (p) => Encoding.merge([make(n, 1, p), make(3, 7, p)], true),
        (p) => {
          const a = make(n, 1, p);
          a.mergeWith(make(3, 5, p), true);
          return a;
        },
        (p) => {
          const a = make(n, 1, p);
          a.truncate(2, 1, "right");
          return a;
        },
        (p) => {
          const a = make(n, 1, p);
          a.truncate(0, 0, "left");
          return a;
        },
        (p) => {
          const a = make(n, 1, p);
          a.pad(12, 0, 0, "[PAD]", "left");
          return a;
        },
      ];
      for (const op of ops) {
        expect(view(op(true))).toEqual(view(op(false)));
        checked++;
      }
    }
    const e = make(3, 2, true);
    e.offsets[0][1] = 99;
    expect(e.offsets[0]).toEqual([2, 99]);
    console.log(`packed offsets: ${checked} operations equal to pair offsets`);
  });
});

describe("JSON of an Encoding", () => {
  it("includes offsets even while they are stored packed", () => {
    const enc = new Encoding();
    enc.ids = [1, 2];
    enc.tokens = ["a", "b"];
    enc.setPackedOffsets([0, 1, 2, 3]);
    const json = JSON.parse(JSON.stringify(enc));
    expect(json.offsets).toEqual([[0, 1], [2, 3]]);
    expect(json.ids).toEqual([1, 2]);
  });
});
