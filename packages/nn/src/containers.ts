// Containers, as torch.nn.Sequential, ModuleList, ModuleDict and ParameterList: children keyed "0", "1", … or by name.

import type { Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";

type Callable = { call(x: unknown): unknown };

/**
 * Runs its modules in order, as `nn.Sequential`; keys are "0", "1", … (or the names given in a record).
 * @example const mlp = new Sequential(new Linear(2, 64), new ReLU(), new Linear(64, 2)); mlp.forward(x)
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    if (modules.length === 1 && !(modules[0] instanceof Module)) for (const [k, m] of Object.entries(modules[0])) this.registerModule(k, m);
    else (modules as Module[]).forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Appends a module under the next index. @example seq.append(new ReLU()) */
  append(m: Module): this {
    this.registerModule(String(this.ownModules().size), m);
    return this;
  }

  /** The module at `i` (negative counts from the end). @example seq.get(-1) */
  get(i: number): Module {
    const list = [...this.ownModules().values()];
    const j = i < 0 ? i + list.length : i;
    const m = list[j];
    if (!m) throw new RangeError(`Sequential.get: index ${i} is out of range for ${list.length} modules.`);
    return m;
  }

  get length(): number {
    return this.ownModules().size;
  }

  forward(x: Tensor): Tensor {
    let h: unknown = x;
    for (const m of this.ownModules().values()) if (m) h = (m as unknown as Callable).call(h);
    return h as Tensor;
  }

  [Symbol.iterator](): Iterator<Module> {
    return ([...this.ownModules().values()].filter(Boolean) as Module[])[Symbol.iterator]();
  }
}

/**
 * A list of modules registered under "0", "1", …, as `nn.ModuleList` (no forward of its own).
 * @example this.layer = this.registerModule("layer", new ModuleList(Array.from({ length: 12 }, () => new Block())));
 */
export class ModuleList<M extends Module = Module> extends Module {
  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Appends a module. @example layers.append(new Block()) */
  append(m: M): this {
    this.registerModule(String(this.ownModules().size), m);
    return this;
  }

  /** Appends every module of `modules`. @example layers.extend([new Block(), new Block()]) */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** The module at `i` (negative counts from the end). @example layers.get(0) */
  get(i: number): M {
    const n = this.ownModules().size;
    const j = i < 0 ? i + n : i;
    const m = this.ownModules().get(String(j));
    if (!m) throw new RangeError(`ModuleList.get: index ${i} is out of range for ${n} modules.`);
    return m as M;
  }

  get length(): number {
    return this.ownModules().size;
  }

  [Symbol.iterator](): Iterator<M> {
    return ([...this.ownModules().values()] as M[])[Symbol.iterator]();
  }

  forward(): never {
    throw new Error("ModuleList has no forward(): iterate over it and call each module's forward.");
  }
}

/**
 * Modules by name, as `nn.ModuleDict`.
 * @example const heads = new ModuleDict({ cls: new Linear(64, 2), reg: new Linear(64, 1) }); heads.get("cls")
 */
export class ModuleDict<M extends Module = Module> extends Module {
  constructor(modules: Record<string, M> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  /** Adds or replaces a module. @example heads.set("aux", new Linear(64, 3)) */
  set(key: string, m: M): this {
    this.ownModules().delete(key);
    this.registerModule(key, m);
    return this;
  }

  /** The module under `key`. @example heads.get("cls") */
  get(key: string): M {
    const m = this.ownModules().get(key);
    if (!m) throw new Error(`ModuleDict.get: no module ${JSON.stringify(key)} (keys: ${[...this.ownModules().keys()].join(", ")}).`);
    return m as M;
  }

  has(key: string): boolean {
    return this.ownModules().has(key);
  }

  keys(): string[] {
    return [...this.ownModules().keys()];
  }

  entries(): [string, M][] {
    return [...this.ownModules()] as [string, M][];
  }

  get size(): number {
    return this.ownModules().size;
  }

  forward(): never {
    throw new Error("ModuleDict has no forward(): get a module by key and call its forward.");
  }
}

/**
 * A list of parameters registered under "0", "1", …, as `nn.ParameterList`.
 * @example const scales = new ParameterList([ones([4]), ones([4])]); scales.get(1)
 */
export class ParameterList extends Module {
  constructor(params: Iterable<Tensor> = []) {
    super();
    for (const p of params) this.append(p);
  }

  /** Appends (and registers) a parameter. @example list.append(zeros([3])) */
  append(p: Tensor): this {
    this.registerParameter(String(this.ownParameters().size), p);
    return this;
  }

  /** The parameter at `i`. @example list.get(0) */
  get(i: number): Tensor {
    const n = this.ownParameters().size;
    const p = this.ownParameters().get(String(i < 0 ? i + n : i));
    if (!p) throw new RangeError(`ParameterList.get: index ${i} is out of range for ${n} parameters.`);
    return p;
  }

  get length(): number {
    return this.ownParameters().size;
  }

  [Symbol.iterator](): Iterator<Tensor> {
    return ([...this.ownParameters().values()] as Tensor[])[Symbol.iterator]();
  }

  forward(): never {
    throw new Error("ParameterList has no forward(): use its parameters in the module that owns it.");
  }

  override extraRepr(): string {
    return [...this.ownParameters()].map(([k, p]) => `(${k}): Parameter containing: [torch.${p ? p.dtype : "None"} of size ${p ? p.shape.join("x") : ""}]`).join("\n");
  }
}
