// docs/api-surface.md against the runtime exports of tsorch (top level, nn, optim): same names both ways, no layer-author names.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as torch from "tsorch";

const docPath = fileURLToPath(new URL("../../../docs/api-surface.md", import.meta.url));

/** The backticked names of the bullets under `## heading` (up to the next `## `). */
function documented(doc: string, heading: string): string[] {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/api-surface.md: no "## ${heading}" section; keep the section headings the test reads.`);
  const end = doc.indexOf("\n## ", start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const names: string[] = [];
  for (const line of section.split("\n")) if (line.startsWith("- **")) for (const m of line.matchAll(/`([^`]+)`/g)) names.push(m[1].replace(/^@tsorch\/\S+$/, ""));
  return names.filter((n) => n !== "");
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

describe("docs/api-surface.md", () => {
  const doc = readFileSync(docPath, "utf8");
  const surfaces: [string, object][] = [
    ["Top level", torch],
    ["`torch.nn`", torch.nn],
    ["`torch.optim`", torch.optim],
  ];

  it.each(surfaces)("lists exactly the exports of %s", (heading, ns) => {
    const listed = sorted(documented(doc, heading));
    const exported = sorted(Object.keys(ns));
    console.log(`api surface ${heading}: ${exported.length} exports, ${listed.length} documented`);
    expect(listed.filter((n) => !exported.includes(n)), "documented but not exported").toEqual([]);
    expect(exported.filter((n) => !listed.includes(n)), "exported but not documented in docs/api-surface.md").toEqual([]);
  });

  it("exports none of the layer-author names", () => {
    const internal = documented(doc, "Not on the user surface (layer-author API)");
    expect(internal.length).toBeGreaterThan(10);
    expect(internal.filter((n) => n in torch)).toEqual([]);
  });
});
