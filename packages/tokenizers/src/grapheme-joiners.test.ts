// The Precompiled normalizer's shortcut assumes chars outside its JOINER set always form a grapheme cluster alone; checked here against Intl.Segmenter.
import { describe, expect, it } from "vitest";
import { mayJoinCluster } from "./normalizers/precompiled.js";

describe("mayJoinCluster", () => {
  it("covers every char that Intl.Segmenter joins with a neighbour (planes 0, 1, 2 start, 14)", () => {
    const seg = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    const count = (s: string): number => {
      let n = 0;
      for (const _ of seg.segment(s)) n++;
      return n;
    };
    const bad: string[] = [];
    let checked = 0;
    const ranges: Array<[number, number]> = [
      [0, 0xd7ff],
      [0xe000, 0x2ffff],
      [0xe0000, 0xe0fff],
    ];
    for (const [lo, hi] of ranges) {
      for (let cp = lo; cp <= hi; cp++) {
        if (mayJoinCluster(cp)) continue;
        const c = String.fromCodePoint(cp);
        checked++;
        // Joining after a char (Extend, SpacingMark, ZWJ), before one (Prepend) or with itself (jamo, regional indicators).
        if (count(`a${c}a`) !== 3 || count(c + c) !== 2) bad.push(cp.toString(16));
      }
    }
    console.log(`mayJoinCluster: ${checked} chars outside the joiner set checked against Intl.Segmenter`);
    expect(bad).toEqual([]);
  });
});
