// Extended grapheme clusters for the Precompiled normalizer: Intl.Segmenter, run only around the chars that can join a neighbour.

let segmenter: Intl.Segmenter | undefined;

/**
 * Chars that may join a neighbour in an extended grapheme cluster (a superset of Extend, ZWJ, SpacingMark, Prepend,
 * CR, Hangul L/V/T jamo and regional indicators: marks, format chars, and the few letters/symbols with those
 * properties), plus unassigned code points, which a newer Unicode may give any property. Between two chars outside
 * this set there is always a cluster boundary. Checked against Intl.Segmenter in a test.
 */
const JOINER = /^[\p{M}\p{Cf}\p{Cn}\r\u0D4E\u{16D40}-\u{16D7F}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\u0E33\u0EB3\uFF9E\uFF9F\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u{11000}-\u{11FFF}]$/u;
const joinBmp = new Uint8Array(0x10000);

/** Whether `cp` may be part of a multi-char grapheme cluster (see JOINER). */
export function mayJoinCluster(cp: number): boolean {
  if (cp < 0x10000) {
    const v = joinBmp[cp];
    if (v !== 0) return v === 2;
    const r = JOINER.test(String.fromCharCode(cp));
    joinBmp[cp] = r ? 2 : 1;
    return r;
  }
  return JOINER.test(String.fromCodePoint(cp));
}

/** Clusters of `s[a, b)` from Intl.Segmenter, appended to `out` as absolute [start, end) pairs. */
function segmentRange(s: string, a: number, b: number, out: number[]): void {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  // V8's segmenter is quadratic on long strings: segment bounded windows. A window starts on a known boundary and
  // its last cluster may be cut, so that one is redone in the next window (boundaries only look one char ahead).
  let start = a;
  let window = 512;
  while (start < b) {
    const end = Math.min(b, start + window);
    const segs: number[] = [];
    for (const seg of segmenter.segment(s.slice(start, end))) segs.push(start + seg.index, start + seg.index + seg.segment.length);
    if (end === b) {
      for (const x of segs) out.push(x);
      break;
    }
    if (segs.length <= 2) {
      window *= 2;
      continue;
    }
    for (let i = 0; i < segs.length - 2; i++) out.push(segs[i]);
    start = segs[segs.length - 2];
    window = 512;
  }
}

/** Pieces with joiners closer than this (UTF-16 units) share one Intl.Segmenter call, whose fixed cost is high. */
const GAP = 16;
const SPAN = 256;

/**
 * Extended grapheme clusters of `s` as [start, end) UTF-16 pairs. The text is cut wherever two chars outside JOINER
 * meet (a certain boundary); a piece without a joiner is one char, the others go through Intl.Segmenter (neighbouring
 * ones together, from one certain boundary to another). Every rule that joins chars (GB9–GB13, including the
 * look-backs of GB11/GB12/GB9c) only spans chars linked by joiners, so a piece holds all the context its clusters need.
 *
 * With `wholeOnlyIfShort`, clusters of 6 UTF-8 bytes or more may come back cut into single chars (the Precompiled
 * normalizer treats those char by char anyway). Such a cluster has two chars of U+0800 or above, and a piece made only
 * of such chars can have no shorter multi-char cluster, so it is cut into chars without asking the segmenter.
 */
export function graphemes(s: string, wholeOnlyIfShort = false): number[] {
  const n = s.length;
  // Pieces as [start, end, kind] triples; kind 0: one char, 1: for the segmenter, 2: cut into chars.
  const pieces: number[] = [];
  let pieceStart = 0;
  let hasJoiner = false;
  let hasLow = false;
  let prevJoins = true;
  const kind = (): number => (!hasJoiner ? 0 : wholeOnlyIfShort && !hasLow ? 2 : 1);
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    let cp = c;
    let l = 1;
    if ((c & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cp = s.codePointAt(i)!;
      l = 2;
    }
    const joins = c < 0x80 ? c === 13 : mayJoinCluster(cp);
    if (!joins && !prevJoins) {
      pieces.push(pieceStart, i, kind());
      pieceStart = i;
      hasJoiner = false;
      hasLow = false;
    }
    if (joins) hasJoiner = true;
    if (cp < 0x800) hasLow = true;
    prevJoins = joins;
    i += l;
  }
  if (pieceStart < n) pieces.push(pieceStart, n, kind());
  const out: number[] = [];
  const count = pieces.length / 3;
  for (let k = 0; k < count; ) {
    const pk = pieces[k * 3 + 2];
    if (pk !== 1) {
      const a = pieces[k * 3];
      const b = pieces[k * 3 + 1];
      if (pk === 0) out.push(a, b);
      else {
        for (let i = a; i < b; ) {
          const l = (s.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < b && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
          out.push(i, i + l);
          i += l;
        }
      }
      k++;
      continue;
    }
    const start = pieces[k * 3];
    let last = k;
    for (let m = k + 1; m < count && pieces[m * 3 + 1] - start <= SPAN; m++) {
      if (pieces[m * 3 + 2] === 1) last = m;
      else if (pieces[m * 3 + 1] - pieces[last * 3 + 1] > GAP) break;
    }
    segmentRange(s, start, pieces[last * 3 + 1], out);
    k = last + 1;
  }
  return out;
}
