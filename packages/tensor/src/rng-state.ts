// The generator state as JSON (the seed is a bigint, which JSON.stringify refuses), as torch.get_rng_state's bytes are for torch.save.
import type { GeneratorState } from "./ops/random.js";

/** {@link GeneratorState} with the seed as a decimal string: what `JSON.stringify` can write. */
export interface GeneratorStateJSON {
  readonly seed: string;
  readonly offset: number;
}

/**
 * A generator state ready for `JSON.stringify`.
 * @example const saved = JSON.stringify(generatorStateToJSON(getRngState()));
 */
export function generatorStateToJSON(state: GeneratorState): GeneratorStateJSON {
  return { seed: state.seed.toString(), offset: state.offset };
}

/**
 * The generator state written by {@link generatorStateToJSON}, checked.
 * @example setRngState(generatorStateFromJSON(JSON.parse(saved)));
 */
export function generatorStateFromJSON(json: GeneratorStateJSON): GeneratorState {
  if (!json || typeof json.seed !== "string" || !/^\d+$/.test(json.seed) || !Number.isSafeInteger(json.offset) || json.offset < 0)
    throw new TypeError(`generatorStateFromJSON: expected { seed: "<decimal digits>", offset: <non-negative integer> }, got ${JSON.stringify(json)}.`);
  return { seed: BigInt(json.seed), offset: json.offset };
}
