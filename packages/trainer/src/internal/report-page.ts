// The curves page of the HTML report and the live board: uPlot and its CSS inlined, one chart per metric, runs overlaid.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { LogEntry } from "../trainer-state.js";

/** One run's curves: its name and its log entries (as logs.jsonl / trainer_state's log_history hold them). */
export interface RunLogs {
  name: string;
  logs: LogEntry[];
}

let uplotAssets: { js: string; css: string } | null = null;
function assets(): { js: string; css: string } {
  if (!uplotAssets) {
    const req = createRequire(import.meta.url);
    const js = readFileSync(req.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
    const css = readFileSync(req.resolve("uplot/dist/uPlot.min.css"), "utf8");
    uplotAssets = { js, css };
  }
  return uplotAssets;
}

// Keys that are bookkeeping, not curves.
const SKIP = /(^step$|^epoch$|^time$|_runtime$|_samples_per_second$|_steps_per_second$|^total_flos$)/;

// The page's script: builds one uPlot chart per metric key, one series per run; `live` connects to /events (SSE).
const PAGE_SCRIPT = `
const SKIP = ${SKIP};
const COLORS = ["#1f77b4","#d62728","#2ca02c","#ff7f0e","#9467bd","#8c564b","#e377c2","#17becf"];
const runs = new Map();
const charts = new Map();
function keysOf() { const ks = new Set(); for (const r of runs.values()) for (const e of r) for (const k in e) if (!SKIP.test(k) && typeof e[k] === "number") ks.add(k); return [...ks].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)); }
function rank(k) { return k === "loss" ? 0 : k === "learning_rate" ? 1 : k === "grad_norm" ? 2 : k === "eval_loss" ? 3 : 4; }
function dataFor(key) {
  const names = [...runs.keys()];
  const steps = [...new Set(names.flatMap((n) => runs.get(n).filter((e) => typeof e[key] === "number").map((e) => e.step)))].sort((a, b) => a - b);
  const cols = names.map((n) => { const m = new Map(runs.get(n).filter((e) => typeof e[key] === "number").map((e) => [e.step, e[key]])); return steps.map((s) => m.has(s) ? m.get(s) : null); });
  return { names, data: [steps, ...cols] };
}
function draw() {
  const root = document.getElementById("charts");
  for (const key of keysOf()) {
    const { names, data } = dataFor(key);
    let c = charts.get(key);
    if (c && c.names.join() !== names.join()) { c.plot.destroy(); c.box.remove(); charts.delete(key); c = undefined; }
    if (!c) {
      const box = document.createElement("div"); box.className = "chart"; box.dataset.metric = key; root.appendChild(box);
      const opts = { title: key, width: 460, height: 260, scales: { x: { time: false } }, axes: [{ label: "step" }, {}],
        series: [{ label: "step" }, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: { show: data[0].length < 40 } }))] };
      c = { plot: new uPlot(opts, data, box), names, box }; charts.set(key, c);
    } else c.plot.setData(data);
    c.box.dataset.points = String(data[0].length);
  }
  document.getElementById("status").textContent = [...runs].map(([n, l]) => n + ": " + l.length + " entries").join(" · ");
}
for (const r of window.__RUNS__) runs.set(r.name, r.logs);
draw();
if (window.__LIVE__) {
  const es = new EventSource("events");
  es.onmessage = (m) => { const { run, entry } = JSON.parse(m.data); if (!runs.has(run)) runs.set(run, []); runs.get(run).push(entry); pending = true; };
  let pending = false;
  setInterval(() => { if (pending) { pending = false; draw(); } }, 250);
}
`;

const escapeScript = (s: string): string => s.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");

/** The self-contained page (no network): uPlot inlined, the runs' data embedded; `live` adds the SSE connection. */
export function reportPage(runs: RunLogs[], opts: { title?: string; live?: boolean } = {}): string {
  const { js, css } = assets();
  const title = (opts.title ?? "tsorch training report").replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"));
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>${css}
body{font-family:system-ui,sans-serif;margin:16px;background:#fff;color:#222}
#charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #ddd;border-radius:6px;padding:6px}
#status{color:#666;font-size:13px;margin:4px 0 12px}</style>
<script>${escapeScript(js)}</script></head>
<body><h2>${title}</h2><div id="status"></div><div id="charts"></div>
<script>window.__RUNS__ = ${escapeScript(JSON.stringify(runs))}; window.__LIVE__ = ${opts.live ? "true" : "false"};</script>
<script>${escapeScript(PAGE_SCRIPT)}</script>
</body></html>
`;
}
