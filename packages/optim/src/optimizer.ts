// Optimizer: parameter groups with per-group options, per-parameter state, zeroGrad, and a resumable state dict (torch.optim.Optimizer).

import { Tensor, untracked } from "@tsorch/tensor";
import { clearGrad } from "@tsorch/autograd";

/** Per-parameter state: tensors (moments) and numbers (step counts), keyed as PyTorch names them (camelCased). */
export type ParamState = Record<string, Tensor | number>;

/** A parameter group as passed in: its parameters and any options overriding the defaults. */
export type ParamGroupInput<O> = { params: Iterable<Tensor> } & Partial<O>;

/** A parameter group as held: every option resolved. `initialLr` is added by schedulers. */
export type ParamGroup<O> = O & { params: Tensor[]; initialLr?: number; [extra: string]: unknown };

/** What `stateDict()` returns: state by parameter index (its position across groups), groups with indices. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: Record<string, unknown>[];
}

/**
 * The base of every optimizer, as `torch.optim.Optimizer`. Subclasses implement `step()` with the update functions
 * of `functional`.
 * @example
 * const opt = new AdamW([{ params: decay, weightDecay: 0.01 }, { params: noDecay, weightDecay: 0 }], { lr: 1e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  readonly paramGroups: ParamGroup<O>[] = [];
  /** State per parameter (created lazily at its first step). */
  readonly state = new Map<Tensor, ParamState>();

  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<O>>,
    readonly defaults: O,
  ) {
    const list = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new RangeError(`${this.constructor.name}: optimizer got an empty parameter list.`);
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>] : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Checks one group's options; subclasses reject out-of-range values by name. */
  protected abstract validate(options: O): void;

  /**
   * Adds a group of parameters with its own options (others from the defaults), as `add_param_group`.
   * @example opt.addParamGroup({ params: head.parameters(), lr: 1e-2 })
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (group === null || typeof group !== "object" || !("params" in group))
      throw new TypeError(`${this.constructor.name}.addParamGroup: expected { params, ...options }, got ${typeof group}.`);
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const [i, p] of params.entries()) {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.constructor.name}: parameter ${i} of group ${this.paramGroups.length} is not a Tensor.`);
      if (!p.isLeaf) throw new TypeError(`${this.constructor.name}: can't optimize a non-leaf Tensor (parameter ${i}, shape [${p.shape.join(", ")}]); pass leaves such as model.parameters().`);
    }
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of params)
      if (seen.has(p)) throw new Error(`${this.constructor.name}: some parameters appear in more than one parameter group (shape [${p.shape.join(", ")}]).`);
    if (new Set(params).size !== params.length) console.warn(`${this.constructor.name}: a parameter group holds duplicate parameters; this will be an error in future versions (as PyTorch warns).`);
    const resolved = { ...this.defaults, ...group, params } as ParamGroup<O>;
    this.validate(resolved);
    this.paramGroups.push(resolved);
  }

  /**
   * Clears the gradients of every parameter: to null (default) or zeroed in place, as `zero_grad(set_to_none)`.
   * @example opt.zeroGrad(); opt.zeroGrad({ setToNone: false })
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const setToNone = opts.setToNone ?? true;
    for (const g of this.paramGroups)
      for (const p of g.params) clearGrad(p, setToNone);
  }

  /**
   * Runs one update; with a closure, evaluates it first (it should clear grads, compute the loss, call backward) and
   * returns its loss.
   * @example opt.step(); const loss = opt.step(() => { opt.zeroGrad(); const l = f(); l.backward(); return l; });
   */
  step<R = undefined>(closure?: () => R): R | undefined {
    const loss = closure ? closure() : undefined;
    for (const g of this.paramGroups) this.updateGroup(g);
    return loss;
  }

  /** Updates one group's parameters that have gradients. */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /**
   * The state of `p`, created by `init` at its first step. State belongs to the optimizer, not to the caller's
   * `scope()` around the training step, so it is created untracked (a scope would free it when the step ends).
   */
  protected stateOf(p: Tensor, init: () => ParamState): ParamState {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = untracked(init)));
    return s;
  }

  /** Creates optimizer-owned tensors outside any caller scope. */
  protected owned<T>(fn: () => T): T {
    return untracked(fn);
  }

  /**
   * The optimizer's state for checkpoints, as `state_dict()`: per-parameter state keyed by the parameter's index
   * across groups, and the groups' options with those indices. Tensors are the live state (save, don't dispose).
   * @example const sd = opt.stateDict(); // { state: { 0: { step: 3, expAvg, expAvgSq } }, paramGroups: [{ lr, …, params: [0, 1] }] }
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...opts } = g;
      return { ...opts, params: params.map((p) => (index.has(p) ? index.get(p)! : (index.set(p, index.size), index.size - 1))) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) if (index.has(p)) state[index.get(p)!] = { ...s };
    return { state, paramGroups };
  }

  /**
   * Restores a `stateDict()` (copies the tensors, casts them to each parameter's dtype and device), as
   * `load_state_dict`. Refuses, by key, a state saved for other parameters (group count, group sizes, shapes).
   * @example opt.loadStateDict(checkpoint.optimizer)
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (!sd || !Array.isArray(sd.paramGroups) || typeof sd.state !== "object")
      throw new TypeError(`${name}.loadStateDict: expected { state, paramGroups } as stateDict() returns.`);
    if (sd.paramGroups.length !== this.paramGroups.length)
      throw new RangeError(`${name}.loadStateDict: loaded state dict has ${sd.paramGroups.length} parameter group(s), this optimizer has ${this.paramGroups.length}.`);
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((g, gi) => {
      const ids = g.params as number[];
      const own = this.paramGroups[gi].params;
      if (!Array.isArray(ids) || ids.length !== own.length)
        throw new RangeError(
          `${name}.loadStateDict: paramGroups[${gi}] has ${Array.isArray(ids) ? ids.length : "no"} parameters in the loaded state dict but ${own.length} here; ` +
            "loaded state dict contains a parameter group that doesn't match the size of optimizer's group.",
        );
      ids.forEach((id, i) => byIndex.set(id, own[i]));
    });
    const newState = new Map<Tensor, ParamState>();
    untracked(() => this.#copyState(sd, byIndex, newState));
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
    sd.paramGroups.forEach((g, gi) => {
      const { params: _ids, ...opts } = g;
      Object.assign(this.paramGroups[gi], opts);
    });
  }

  #copyState(sd: OptimizerStateDict, byIndex: Map<number, Tensor>, newState: Map<Tensor, ParamState>): void {
    const name = this.constructor.name;
    for (const [k, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(k));
      if (!p) throw new RangeError(`${name}.loadStateDict: state[${k}] belongs to no parameter of the loaded paramGroups.`);
      const copy: ParamState = {};
      for (const [key, v] of Object.entries(s)) {
        if (v instanceof Tensor) {
          const isPerElement = v.ndim > 0;
          if (isPerElement && (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i])))
            throw new RangeError(
              `${name}.loadStateDict: state[${k}].${key} has shape [${v.shape.join(", ")}] but parameter ${k} has shape [${p.shape.join(", ")}]; this state was saved for other parameters.`,
            );
          const c = v.detach().to({ device: p.device, dtype: v.isFloatingPoint ? p.dtype : v.dtype });
          copy[key] = c.storage === v.storage ? c.clone() : c;
          if (c.storage === v.storage) c.dispose();
        } else copy[key] = v;
      }
      newState.set(p, copy);
    }
  }

  /** PyTorch's optimizer repr: each group's options. @example console.log(String(opt)) */
  toString(): string {
    const lines = [`${this.constructor.name} (`];
    this.paramGroups.forEach((g, i) => {
      lines.push(`Parameter Group ${i}`);
      for (const k of Object.keys(g).sort()) if (k !== "params") lines.push(`    ${k}: ${fmtOpt(g[k])}`);
    });
    lines.push(")");
    return lines.join("\n");
  }
}

function fmtOpt(v: unknown): string {
  if (Array.isArray(v)) return `(${v.join(", ")})`;
  if (typeof v === "boolean") return v ? "True" : "False";
  return String(v);
}
