// The grapheme shortcuts assume chars outside the JOINER set never join a neighbour; checked here against Intl.Segmenter, char by char and on random texts.
import { describe, expect, it } from "vitest";
import { graphemes, mayJoinCluster } from "./internal/graphemes.js";

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

describe("graphemes", () => {
  it("equals Intl.Segmenter on the whole text for random mixes of joining chars", () => {
    const seg = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    const pool = [..."aé \r\nक्षि्ष\u200d\u200c\u0301\u0E01\u0E33\u1100\u1161\u11A8가각\uFE0F"].concat(["😀", "👍", "🏽", "🇫", "🇷", "👨", "\u{E0067}", "\u{110BD}", "\u0600", "\u{16D63}"]);
    let x = 99;
    const r = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 4294967296;
    };
    let checked = 0;
    for (let t = 0; t < 20000; t++) {
      let s = "";
      // Mostly short texts; every 10th is long with stretches of plain letters, to exercise how pieces are grouped.
      const len = t % 10 === 0 ? Math.floor(r() * 120) : Math.floor(r() * 10);
      for (let k = 0; k < len; k++) s += r() < 0.3 && t % 10 === 0 ? "abcdefghijklmnopqrst".slice(0, 1 + Math.floor(r() * 20)) : pool[Math.floor(r() * pool.length)];
      const want: number[] = [];
      for (const g of seg.segment(s)) want.push(g.index, g.index + g.segment.length);
      expect(graphemes(s), JSON.stringify(s)).toEqual(want);
      checked++;
    }
    console.log(`graphemes: ${checked} random texts equal to Intl.Segmenter`);
  });
});
