import { createRequire } from "node:module";
import { Tokenizer } from "./src/index.js";
import { readTokenizerJSON, fixturesRoot } from "./src/internal/golden-fixtures.js";
const rust = createRequire(import.meta.url)("tokenizers");
const root = fixturesRoot().root!;
async function diff(name: string, texts: string[], maxShow = 5) {
  const json = readTokenizerJSON(root, name);
  const ours = Tokenizer.fromString(json);
  const r = rust.Tokenizer.fromString(json);
  let bad = 0;
  for (let i = 0; i < texts.length; i += 4096) {
    const chunk = texts.slice(i, i + 4096);
    const re = await r.encodeBatch(chunk);
    chunk.forEach((t, k) => {
      const o = ours.encode(t);
      const a = JSON.stringify([o.ids, o.offsets]);
      const b = JSON.stringify([re[k].getIds(), re[k].getOffsets()]);
      if (a !== b) { if (bad++ < maxShow) console.log(name, JSON.stringify(t), "\n ours", a, "\n rust", b); }
    });
  }
  console.log(`${name}: ${bad}/${texts.length} differ`);
}
const mode = process.argv[2];
if (mode === "cp") {
  const texts: string[] = [];
  for (let c = 0; c < 0x20000; c++) { if (c >= 0xd800 && c <= 0xdfff) continue; texts.push(String.fromCodePoint(c)); }
  for (let c = 0x20000; c < 0x110000; c += 7) texts.push(String.fromCodePoint(c));
  for (const n of process.argv.slice(3)) await diff(n, texts);
} else if (mode === "ws") {
  const ws = ["\t","\v","\f","\r","\n"," ","\u0085","\u00a0","\u1680","\u2000","\u2001","\u2005","\u200a","\u200b","\u2028","\u2029","\u202f","\u205f","\u3000","\ufeff"];
  const texts: string[] = [];
  let ctl = ""; for (let c = 1; c < 0x20; c++) ctl += String.fromCharCode(c);
  texts.push(ctl, "a" + ctl + "b", ws.join(""), "x" + ws.join("") + "y", ws.join("a"));
  for (const a of ws) for (const b of ws) { texts.push(a + b, "w" + a + b + "w", a + "w" + b, "w" + a + "w", a+a+a+"w"); }
  for (let c = 0; c < 0x100; c++) { const ch = String.fromCharCode(c); texts.push(ch, "a" + ch + "b", "a " + ch + " b", ch+ch+ch, " " + ch + "  a"); }
  for (const n of process.argv.slice(3)) await diff(n, texts);
} else if (mode === "rep") {
  const texts: string[] = [];
  for (const ch of "-=_*#.!?~ab0 |:") for (let n = 1; n <= 24; n++) { texts.push(ch.repeat(n)); texts.push("| " + ch.repeat(n) + " |"); }
  for (const n of process.argv.slice(3)) await diff(n, texts);
}
