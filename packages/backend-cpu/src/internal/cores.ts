// Physical core count for the default thread count (torch's default): /proc/cpuinfo core ids, else the OS's count.

import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/** Physical cores of this machine (hyperthreads counted once), at least 1. */
export function physicalCores(): number {
  try {
    const text = readFileSync("/proc/cpuinfo", "utf8");
    const ids = new Set<string>();
    let phys = "0";
    for (const line of text.split("\n")) {
      const [k, v] = line.split(":").map((s) => s.trim());
      if (k === "physical id") phys = v;
      else if (k === "core id") ids.add(`${phys}/${v}`);
    }
    if (ids.size > 0) return Math.min(ids.size, availableParallelism());
  } catch {
    // Not Linux: fall through.
  }
  return Math.max(1, availableParallelism());
}
