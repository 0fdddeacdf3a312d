// Module: the base of every layer, as torch.nn.Module; names are declared once, at registration, and are the state-dict keys.

import { Tensor, untracked } from "@tsorch/tensor";
import { clearGrad } from "@tsorch/autograd";
import type { DType } from "@tsorch/tensor";
import { DTYPES, isFloatingPoint } from "@tsorch/tensor";
import { loadStateDictInto, type LoadStateDictOptions, type LoadStateDictResult } from "./internal/load-state-dict.js";
import { moduleRepr } from "./internal/repr.js";
import { addHook, callWithHooks, type ForwardHook, type ForwardPreHook, type RemovableHandle } from "./internal/hooks.js";

/** Options of `registerBuffer`. */
export interface BufferOptions {
  /** Whether the buffer is part of `stateDict()` (default true), as PyTorch's `persistent`. */
  persistent?: boolean;
}

/** Options of `registerParameter`. */
export interface ParameterOptions {
  /** Whether the parameter is trained (default true). */
  requiresGrad?: boolean;
}

/** Where `Module.to` moves parameters and buffers. */
export type ModuleTarget = DType | string | { device?: string; dtype?: DType };

/** A module's state: key -> tensor, keys as PyTorch / Hugging Face write them. */
export type StateDict = Record<string, Tensor>;

const NAME_RE = /^[^.]+$/;

/**
 * The base class of layers and models, as `torch.nn.Module`. Parameters, buffers and submodules are registered
 * under the name PyTorch (or Hugging Face) uses, which becomes their state-dict key; the TypeScript property that
 * holds them may be named differently (camelCase), with no rename table:
 * @example
 * class Block extends Module {
 *   readonly selfAttn = this.registerModule("self_attn", new MultiheadAttention(64, 4));
 *   readonly lnF = this.registerModule("ln_f", new LayerNorm([64]));
 *   forward(x: Tensor): Tensor { return this.lnF.forward(x); }
 * }
 * new Block().stateDict(); // { "self_attn.in_proj_weight": …, "ln_f.weight": …, "ln_f.bias": … }
 */
export abstract class Module {
  /** Whether the module is in training mode (dropout active), as `Module.training`. */
  training = true;
  readonly #parameters = new Map<string, Tensor | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, Module | null>();

  /** The computation; subclasses declare their own signature. */
  abstract forward(...args: never[]): unknown;

  /**
   * Runs `forward` between the forward hooks, as calling a module in PyTorch (`model(x)`); `forward` skips them.
   * @example const logits = model.call(ids) as Tensor;
   */
  call(...args: Parameters<this["forward"]>): ReturnType<this["forward"]> {
    return callWithHooks(this, args, (...a) => (this.forward as (...x: unknown[]) => unknown)(...a)) as ReturnType<this["forward"]>;
  }

  /** Adds a hook run before `call` reaches `forward` (it may replace the arguments). @example m.registerForwardPreHook((m, args) => console.log(args)) */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    return addHook(this, "pre", hook as ForwardPreHook);
  }

  /** Adds a hook run after `forward` in `call` (it may replace the output), as `register_forward_hook`. @example const h = m.registerForwardHook((m, args, out) => feats.push(out)); h.remove(); */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    return addHook(this, "post", hook as ForwardHook);
  }

  // ---- registration -------------------------------------------------------------------------------------------

  #checkName(kind: string, name: string, own: Map<string, unknown>): void {
    if (typeof name !== "string" || !NAME_RE.test(name))
      throw new TypeError(`${this.constructor.name}.register${kind}: name ${JSON.stringify(name)} must be a non-empty string without ".".`);
    for (const [other, map] of [["parameter", this.#parameters], ["buffer", this.#buffers], ["module", this.#modules]] as const)
      if (map !== own && map.has(name))
        throw new Error(`${this.constructor.name}.register${kind}: ${JSON.stringify(name)} is already registered as a ${other}; pick another name.`);
  }

  /**
   * Registers a parameter under `name` (its state-dict key within this module) and returns it, marked as requiring
   * gradients. A tensor made by an op is detached first, as `nn.Parameter(t)`. Registering another module's
   * parameter ties the two (both keys appear in `stateDict()`, the tensor once in `parameters()`).
   * @example this.weight = this.registerParameter("weight", empty([out, inp]));
   */
  registerParameter<T extends Tensor | null>(name: string, value: T, opts: ParameterOptions = {}): T {
    this.#checkName("Parameter", name, this.#parameters);
    if (value === null) {
      this.#parameters.set(name, null);
      return value;
    }
    if (!(value instanceof Tensor)) throw new TypeError(`${this.constructor.name}.registerParameter(${JSON.stringify(name)}): expected a Tensor or null.`);
    let p: Tensor = value;
    if (!p.isLeaf) p = p.detach();
    const rg = opts.requiresGrad ?? (p.requiresGrad || isFloatingPoint(p.dtype));
    if (p.requiresGrad !== rg) p.requiresGrad = rg;
    this.#parameters.set(name, p);
    return p as T;
  }

  /**
   * Registers a buffer (state that is not trained: running statistics, position ids, masks) and returns it.
   * Non-persistent buffers are left out of `stateDict()`, as PyTorch's `persistent=False`.
   * @example this.positionIds = this.registerBuffer("position_ids", arange(0, 512).view(1, -1), { persistent: false });
   */
  registerBuffer<T extends Tensor | null>(name: string, value: T, opts: BufferOptions = {}): T {
    this.#checkName("Buffer", name, this.#buffers);
    if (value !== null && !(value instanceof Tensor)) throw new TypeError(`${this.constructor.name}.registerBuffer(${JSON.stringify(name)}): expected a Tensor or null.`);
    this.#buffers.set(name, value);
    if (opts.persistent === false) this.#nonPersistent.add(name);
    else this.#nonPersistent.delete(name);
    return value;
  }

  /**
   * Registers a submodule under `name` (the next segment of its state-dict keys) and returns it.
   * @example this.selfAttn = this.registerModule("self", new BertSelfAttention(config));
   */
  registerModule<M extends Module | null>(name: string, module: M): M {
    this.#checkName("Module", name, this.#modules);
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${this.constructor.name}.registerModule(${JSON.stringify(name)}): expected a Module or null.`);
    this.#modules.set(name, module);
    return module;
  }

  /** Alias of `registerModule`, as `Module.add_module`. @example seq.addModule("fc", new Linear(2, 2)) */
  addModule<M extends Module | null>(name: string, module: M): M {
    return this.registerModule(name, module);
  }

  /** Internal for containers: the own registries (name -> value), in registration order. */
  protected ownModules(): Map<string, Module | null> {
    return this.#modules;
  }

  protected ownParameters(): Map<string, Tensor | null> {
    return this.#parameters;
  }

  // ---- traversal ----------------------------------------------------------------------------------------------

  /**
   * (name, module) for this module and every descendant, each module once, as `named_modules()`.
   * @example for (const [name, m] of model.namedModules()) console.log(name, m.constructor.name);
   */
  namedModules(prefix = "", memo: Set<Module> = new Set()): [string, Module][] {
    if (memo.has(this)) return [];
    memo.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, m] of this.#modules) if (m) out.push(...m.namedModules(prefix ? `${prefix}.${name}` : name, memo));
    return out;
  }

  /** Every module in the tree (this one first). @example model.modules().length */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** (name, child) of the direct submodules. @example model.namedChildren() */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [n, m] of this.#modules) if (m && !seen.has(m)) (seen.add(m), out.push([n, m]));
    return out;
  }

  /** The direct submodules. @example model.children() */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  #named(kind: "p" | "b", prefix: string, recurse: boolean, removeDuplicate: boolean): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    const mods: [string, Module][] = recurse ? this.namedModules(prefix, removeDuplicate ? new Set() : new Set()) : [[prefix, this]];
    for (const [mp, m] of mods) {
      const map = kind === "p" ? m.#parameters : m.#buffers;
      for (const [n, t] of map) {
        if (!t || (removeDuplicate && seen.has(t))) continue;
        seen.add(t);
        out.push([mp ? `${mp}.${n}` : n, t]);
      }
    }
    return out;
  }

  /**
   * (name, parameter) pairs, each tensor once (tied weights under their first name), as `named_parameters()`.
   * @example for (const [name, p] of model.namedParameters()) console.log(name, p.shape);
   */
  namedParameters(opts: { prefix?: string; recurse?: boolean; removeDuplicate?: boolean } = {}): [string, Tensor][] {
    return this.#named("p", opts.prefix ?? "", opts.recurse ?? true, opts.removeDuplicate ?? true);
  }

  /** The parameters, each once, as `parameters()`. @example new AdamW(model.parameters(), { lr: 1e-3 }) */
  parameters(recurse = true): Tensor[] {
    return this.namedParameters({ recurse }).map(([, p]) => p);
  }

  /** (name, buffer) pairs, persistent or not, as `named_buffers()`. @example model.namedBuffers() */
  namedBuffers(opts: { prefix?: string; recurse?: boolean; removeDuplicate?: boolean } = {}): [string, Tensor][] {
    return this.#named("b", opts.prefix ?? "", opts.recurse ?? true, opts.removeDuplicate ?? true);
  }

  /** The buffers. @example model.buffers() */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers({ recurse }).map(([, b]) => b);
  }

  /**
   * The submodule at a dotted path, as `get_submodule`.
   * @example model.getSubmodule("encoder.layer.0")
   */
  getSubmodule(target: string): Module {
    if (target === "") return this;
    let m: Module = this;
    const parts = target.split(".");
    for (let i = 0; i < parts.length; i++) {
      const next = m.#modules.get(parts[i]);
      if (!next)
        throw new Error(`getSubmodule: ${m.constructor.name} at ${JSON.stringify(parts.slice(0, i).join(".") || "<root>")} has no submodule ${JSON.stringify(parts[i])} (it has: ${[...m.#modules.keys()].join(", ") || "none"}).`);
      m = next;
    }
    return m;
  }

  /** The parameter at a dotted path, as `get_parameter`. @example model.getParameter("fc1.weight") */
  getParameter(target: string): Tensor {
    const i = target.lastIndexOf(".");
    const m = this.getSubmodule(i < 0 ? "" : target.slice(0, i));
    const p = m.#parameters.get(target.slice(i + 1));
    if (!p) throw new Error(`getParameter: ${m.constructor.name} has no parameter ${JSON.stringify(target.slice(i + 1))} (path ${JSON.stringify(target)}).`);
    return p;
  }

  /** The buffer at a dotted path, as `get_buffer`. @example model.getBuffer("embeddings.position_ids") */
  getBuffer(target: string): Tensor {
    const i = target.lastIndexOf(".");
    const m = this.getSubmodule(i < 0 ? "" : target.slice(0, i));
    const b = m.#buffers.get(target.slice(i + 1));
    if (!b) throw new Error(`getBuffer: ${m.constructor.name} has no buffer ${JSON.stringify(target.slice(i + 1))} (path ${JSON.stringify(target)}).`);
    return b;
  }

  /**
   * Calls `fn` on every submodule (children first) and then on this module, as `Module.apply`. Returns this.
   * @example model.apply((m) => { if (m instanceof Linear) init.zeros_(m.bias!); });
   */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  // ---- modes and conversion ------------------------------------------------------------------------------------

  /** Sets training mode on this module and every descendant, as `train(mode)`. @example model.train() */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (dropout off), as `eval()`. @example model.eval() */
  eval(): this {
    return this.train(false);
  }

  /**
   * Sets `requiresGrad` on every parameter, as `requires_grad_()`; freezes the module with `false`.
   * @example model.embeddings.requiresGrad_(false)
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Clears the gradients of every parameter, as `zero_grad()`: to null by default, or to zeros with
   * `{ setToNone: false }`.
   * @example model.zeroGrad()
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    for (const p of this.parameters()) clearGrad(p, opts.setToNone ?? true);
  }

  /**
   * Moves and/or casts every parameter and buffer, as `Module.to`: a device name, a dtype (only floating-point
   * tensors are cast, as PyTorch), or both. The properties that held the old tensors are updated; the old tensors
   * are disposed, so build optimizers after moving.
   * @example model.to("webgpu"); model.to("float16"); model.to({ device: "cpu", dtype: "float32" })
   */
  to(target: ModuleTarget): this {
    const t = typeof target === "string" ? ((DTYPES as readonly string[]).includes(target) ? { dtype: target as DType } : { device: target }) : target;
    return this.applyToTensors((x) => {
      const dtype = t.dtype !== undefined && isFloatingPoint(x.dtype) && isFloatingPoint(t.dtype) ? t.dtype : undefined;
      return x.to({ device: t.device, dtype });
    });
  }

  /** Casts floating-point parameters and buffers to float32. @example model.float() */
  float(): this {
    return this.to("float32");
  }

  /** Casts floating-point parameters and buffers to float16. @example model.half() */
  half(): this {
    return this.to("float16");
  }

  /**
   * Replaces every parameter and buffer by `fn(tensor)` (PyTorch's `_apply`), keeping `requiresGrad` and moving the
   * gradient along; properties holding the old tensor are pointed at the new one.
   * @example model.applyToTensors((t) => t.to("cpu"))
   */
  applyToTensors(fn: (t: Tensor) => Tensor): this {
    // The new tensors belong to the module, not to a scope the caller may be in.
    return untracked(() => this.#applyToTensors(fn));
  }

  #applyToTensors(fn: (t: Tensor) => Tensor): this {
    const done = new Map<Tensor, Tensor>();
    const convert = (x: Tensor): Tensor => {
      const known = done.get(x);
      if (known) return known;
      const y0 = fn(x.detach());
      let y = y0;
      if (y0.storage === x.storage && y0.shape === x.shape) (y0.dispose(), (y = x));
      else {
        y = y0.isLeaf ? y0 : y0.detach();
        if (x.requiresGrad) y.requiresGrad = true;
        if (x.grad) {
          const g = fn(x.grad.detach());
          y.grad = g;
        }
      }
      done.set(x, y);
      return y;
    };
    for (const m of this.modules()) {
      for (const map of [m.#parameters, m.#buffers])
        for (const [n, x] of map) {
          if (!x) continue;
          const y = convert(x);
          if (y !== x) map.set(n, y);
        }
      // Point the camelCase properties at the new tensors: the property name is not known, the identity is.
      for (const key of Object.keys(m)) {
        const v = (m as unknown as Record<string, unknown>)[key];
        if (v instanceof Tensor && done.has(v) && done.get(v) !== v) (m as unknown as Record<string, unknown>)[key] = done.get(v);
      }
    }
    for (const [x, y] of done) if (x !== y) x.dispose();
    return this;
  }

  // ---- state ----------------------------------------------------------------------------------------------------

  /**
   * Parameters and persistent buffers by key (`encoder.layer.0.attention.self.query.weight`), in PyTorch's order.
   * The values are the module's own tensors (not copies): read or save them, don't dispose them.
   * @example await saveFile(model.stateDict(), "model.safetensors")
   */
  stateDict(prefix = ""): StateDict {
    const out: StateDict = {};
    const visit = (m: Module, p: string): void => {
      for (const [n, t] of m.#parameters) if (t) out[p + n] = t;
      for (const [n, t] of m.#buffers) if (t && !m.#nonPersistent.has(n)) out[p + n] = t;
      for (const [n, c] of m.#modules) if (c) visit(c, `${p}${n}.`);
    };
    visit(this, prefix);
    return out;
  }

  /**
   * Copies values from a state dict into the parameters and buffers, as `load_state_dict`. Values are cast to each
   * tensor's dtype and device. A shape mismatch is always an error; missing and unexpected keys are errors when
   * `strict` (default true), and are returned either way.
   * @example const { missingKeys, unexpectedKeys } = model.loadStateDict(await loadFile(path), { strict: false });
   */
  loadStateDict(stateDict: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadStateDictInto(this.constructor.name, this.stateDict(), stateDict, opts);
  }

  /**
   * Number of parameter elements (each tied tensor once); `{ trainableOnly: true }` counts those requiring grad.
   * @example model.numParameters() // 36704
   */
  numParameters(opts: { trainableOnly?: boolean } = {}): number {
    let n = 0;
    for (const p of this.parameters()) if (!opts.trainableOnly || p.requiresGrad) n += p.numel();
    return n;
  }

  /** Disposes every parameter and buffer of the tree. @example model.dispose() */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) {
      t.grad?.dispose();
      t.dispose();
    }
  }

  /** The text between the parentheses of this module's repr (`in_features=2, out_features=3, bias=True`). */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's module repr: the class name, `extraRepr()`, then each child indented. @example console.log(String(model)) */
  toString(): string {
    return moduleRepr(this.constructor.name, this.extraRepr(), this.namedChildrenForRepr());
  }

  /** Children with their registered names, duplicates included (as PyTorch prints them). */
  protected namedChildrenForRepr(): [string, string][] {
    const out: [string, string][] = [];
    for (const [n, m] of this.#modules) out.push([n, m ? m.toString() : "None"]);
    return out;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
