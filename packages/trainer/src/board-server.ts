// The live board: an HTTP server on 127.0.0.1 serving the curves page and pushing new log lines as server-sent events (like Visdom).

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { basename, join, relative } from "node:path";
import { reportPage, type RunLogs } from "./internal/report-page.js";
import type { LogEntry } from "./trainer-state.js";

/** A running board: its address and how to stop it. */
export interface BoardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The run folders under `dir` (itself included): those holding a logs.jsonl, up to three levels deep. */
export function findRuns(dir: string, depth = 3): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  if (existsSync(join(dir, "logs.jsonl"))) out.push(dir);
  if (depth > 0)
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (!n.startsWith(".") && statSync(p).isDirectory()) out.push(...findRuns(p, depth - 1));
    }
  return out;
}

/** Parses the complete lines of a logs.jsonl from byte `from`; returns the entries and the offset after the last newline. */
function readNew(file: string, from: number): { entries: LogEntry[]; next: number } {
  const buf = readFileSync(file);
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end <= from) return { entries: [], next: from };
  const entries = buf.subarray(from, end).toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as LogEntry);
  return { entries, next: end };
}

/**
 * Serves the board of every run under `dir` (folders with logs.jsonl, as `reportTo: ["jsonl"]` writes them) on
 * 127.0.0.1: `/` the page, `/runs` the data as JSON, `/events` new log entries as server-sent events (polled every
 * `pollMs`). Port 0 picks a free port.
 * @example const board = await serveBoard({ dir: "out/runs", port: 6006 }); console.log(board.url); // later: await board.close()
 */
export async function serveBoard(opts: { dir: string; port?: number; host?: string; pollMs?: number; title?: string }): Promise<BoardServer> {
  const host = opts.host ?? "127.0.0.1";
  // Each client has its own offsets: the stream replays every run from its start, then follows new lines.
  const clients = new Map<ServerResponse, Map<string, number>>();
  const nameOf = (run: string) => relative(opts.dir, run) || basename(run);
  const push = (res: ServerResponse, offsets: Map<string, number>) => {
    for (const run of findRuns(opts.dir)) {
      const { entries, next } = readNew(join(run, "logs.jsonl"), offsets.get(run) ?? 0);
      offsets.set(run, next);
      for (const entry of entries) res.write(`data: ${JSON.stringify({ run: nameOf(run), entry })}\n\n`);
    }
  };
  const timer = setInterval(() => {
    for (const [res, offsets] of clients) push(res, offsets);
  }, opts.pollMs ?? 500);
  timer.unref();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(reportPage([], { title: opts.title ?? "tsorch-board", live: true }));
    } else if (path === "/runs") {
      res.writeHead(200, { "content-type": "application/json" });
      const runs: RunLogs[] = findRuns(opts.dir).map((run) => ({ name: nameOf(run), logs: readNew(join(run, "logs.jsonl"), 0).entries }));
      res.end(JSON.stringify(runs));
    } else if (path === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(": connected\n\n");
      const offsets = new Map<string, number>();
      clients.set(res, offsets);
      push(res, offsets);
      req.on("close", () => clients.delete(res));
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`tsorch-board: no page at ${path}; open / for the curves.`);
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (e) => fail(new Error(`tsorch-board: cannot listen on ${host}:${opts.port ?? 0} (${(e as Error).message}); pick another port.`)));
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        clearInterval(timer);
        for (const c of clients.keys()) c.end();
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
