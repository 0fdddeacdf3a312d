// Shared settings of the fuzz tests (fast-check): case counts and seed from the environment, CPU-time budgets per input.

/**
 * Cases per property: `defaultRuns` in `pnpm test`, `TSORCH_FUZZ_RUNS` (set by `pnpm fuzz`) for the long run.
 * @example fc.assert(property, { numRuns: fuzzRuns(1000), seed: fuzzSeed() })
 */
export function fuzzRuns(defaultRuns: number): number {
  return Number(process.env.TSORCH_FUZZ_RUNS ?? defaultRuns);
}

/** The fast-check seed: fixed (17) so a CI failure reproduces, `TSORCH_FUZZ_SEED` to explore. @example fuzzSeed() // 17 */
export function fuzzSeed(): number {
  return Number(process.env.TSORCH_FUZZ_SEED ?? 17);
}

/**
 * CPU milliseconds of this process since `t0` (CPU, not wall time: a shared test machine stretches wall time).
 * @example const t0 = process.cpuUsage(); parse(bytes); expect(cpuMsSince(t0)).toBeLessThan(2000);
 */
export function cpuMsSince(t0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}
