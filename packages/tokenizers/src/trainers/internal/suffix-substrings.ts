// Frequent substrings for Unigram seeding: the suffix-tree internal nodes (right-maximal repeats) that Rust's `esaxx_rs::suffix` enumerates.

/** A repeated substring of the text: its code points and how many times it occurs. */
export interface RepeatedSubstring {
  start: number;
  length: number;
  freq: number;
}

/**
 * Suffix array of a sequence of integers by prefix doubling with counting sorts (O(n log n)).
 * @example suffixArray(Int32Array.from([2, 1, 2, 1])) // Int32Array [3, 1, 2, 0]
 */
export function suffixArray(text: Int32Array): Int32Array {
  const n = text.length;
  const sa = new Int32Array(n);
  if (n === 0) return sa;
  // Initial ranks: code points compressed to 0..m-1.
  const distinct = Array.from(new Set(text)).sort((a, b) => a - b);
  const code = new Map<number, number>();
  distinct.forEach((v, i) => code.set(v, i));
  let rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[i] = code.get(text[i]) ?? 0;
  let classes = distinct.length;
  let cnt = new Int32Array(Math.max(classes, n) + 1);
  for (let i = 0; i < n; i++) cnt[rank[i]]++;
  for (let i = 1; i < cnt.length; i++) cnt[i] += cnt[i - 1];
  for (let i = n - 1; i >= 0; i--) sa[--cnt[rank[i]]] = i;
  const tmp = new Int32Array(n);
  let next = new Int32Array(n);
  for (let k = 1; classes < n; k <<= 1) {
    // Order by the second half: suffixes shorter than k first, then by the ranks of i + k.
    let p = 0;
    for (let i = n - k; i < n; i++) tmp[p++] = i;
    for (let j = 0; j < n; j++) if (sa[j] >= k) tmp[p++] = sa[j] - k;
    cnt = new Int32Array(classes + 1);
    for (let i = 0; i < n; i++) cnt[rank[i]]++;
    for (let i = 1; i <= classes; i++) cnt[i] += cnt[i - 1];
    for (let i = n - 1; i >= 0; i--) sa[--cnt[rank[tmp[i]]]] = tmp[i];
    next[sa[0]] = 0;
    classes = 1;
    for (let i = 1; i < n; i++) {
      const a = sa[i - 1];
      const b = sa[i];
      const ra = a + k < n ? rank[a + k] : -1;
      const rb = b + k < n ? rank[b + k] : -1;
      if (rank[a] !== rank[b] || ra !== rb) classes++;
      next[b] = classes - 1;
    }
    [rank, next] = [next, rank];
  }
  return sa;
}

/**
 * Every substring occurring at least twice whose occurrences are not all followed by the same
 * character (the internal nodes of the suffix tree), with its number of occurrences.
 * @example repeatedSubstrings(Int32Array.from([97, 98, 0, 97, 98, 0])).length // 3: "ab\0", "b\0", "\0"
 */
export function repeatedSubstrings(text: Int32Array): RepeatedSubstring[] {
  const out: RepeatedSubstring[] = [];
  forEachRepeatedSubstring(text, (start, length, freq) => out.push({ start, length, freq }));
  return out;
}

/**
 * Calls `visit(start, length, freq)` for each substring {@link repeatedSubstrings} lists, without
 * materializing the list (it has up to one entry per character of the text).
 * @example forEachRepeatedSubstring(Int32Array.from([1, 1]), (s, l, f) => console.log(s, l, f)) // 0 1 2
 */
export function forEachRepeatedSubstring(text: Int32Array, visit: (start: number, length: number, freq: number) => void): void {
  const n = text.length;
  const sa = suffixArray(text);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[sa[i]] = i;
  // Kasai: lcp[i] = longest common prefix of suffixes sa[i - 1] and sa[i].
  const lcp = new Int32Array(n + 1);
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (rank[i] > 0) {
      const j = sa[rank[i] - 1];
      while (i + h < n && j + h < n && text[i + h] === text[j + h]) h++;
      lcp[rank[i]] = h;
      if (h > 0) h--;
    } else {
      h = 0;
    }
  }
  // Bottom-up traversal of the lcp intervals.
  const stackLcp: number[] = [0];
  const stackLb: number[] = [0];
  for (let i = 1; i <= n; i++) {
    const cur = i < n ? lcp[i] : 0;
    let lb = i - 1;
    while (cur < stackLcp[stackLcp.length - 1]) {
      const d = stackLcp.pop() ?? 0;
      lb = stackLb.pop() ?? 0;
      visit(sa[lb], d, i - lb);
    }
    if (cur > stackLcp[stackLcp.length - 1]) {
      stackLcp.push(cur);
      stackLb.push(lb);
    }
  }
}
