// The backward engine: walks the graph from the roots in reverse creation order, runs each node once, frees as it goes.

import { keep, scope } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import { fmtShape } from "@tsorch/tensor/backend";
import { enableGrad, noGrad } from "../grad-mode.js";
import { Node } from "./node.js";
import { AccumulateGrad, accumulateInto } from "./accumulate-grad.js";
import type { ApplyContext, Edge } from "./node.js";
import { freedGraphMessage, unpacked } from "./saved.js";
import { Heap } from "./heap.js";

/** A place the engine reports a gradient to, instead of (or besides) running the node there. */
export interface Target {
  readonly edge: Edge;
  /** `owned`: the engine made `g`, and the target now owns it. */
  onGrad(g: Tensor | null, owned: boolean): void;
}

export interface EngineOptions {
  readonly retainGraph: boolean;
  readonly createGraph: boolean;
  /** null: run every node (plain backward). Otherwise only nodes leading to a target run. */
  readonly targets: readonly Target[] | null;
  /** grad(): leaves' accumulators never run; their gradients are only reported. */
  readonly accumulate: boolean;
}

/** A root gradient; `owned` when the engine made it (so it may free it). */
export interface Root {
  readonly edge: Edge;
  readonly grad: Tensor;
  readonly owned: boolean;
}

function withMode<R>(createGraph: boolean, fn: () => R): R {
  return createGraph ? enableGrad(fn) : noGrad(fn);
}

/** Runs backward from `roots`. Call inside `untracked` so nothing it keeps belongs to the caller's scope. */
export function runEngine(roots: readonly Root[], opts: EngineOptions): void {
  const refs = new Map<Tensor, number>();
  const owned = new Set<Tensor>();
  const buffers = new Map<Node, (Tensor | null)[]>();
  const hold = (t: Tensor) => refs.set(t, (refs.get(t) ?? 0) + 1);
  const drop = (t: Tensor) => {
    const n = (refs.get(t) ?? 0) - 1;
    if (n > 0) return void refs.set(t, n);
    refs.delete(t);
    if (owned.delete(t)) t.dispose();
  };
  const ctx: ApplyContext = {
    createGraph: opts.createGraph,
    adopt(t) {
      keep(t);
      owned.delete(t);
    },
    // Only a tensor that alone covers its own storage: a view (or an alias) could share it with another `.grad`.
    canSteal: (t) =>
      owned.has(t) && refs.get(t) === 1 && t.base === null && t.offset === 0 && t.storage.numel === t.numel() && !unpacked.has(t),
  };
  const addTo = (node: Node, nr: number, g: Tensor) => {
    let buf = buffers.get(node);
    if (!buf) buffers.set(node, (buf = new Array<Tensor | null>(node.numOutputs).fill(null)));
    const cur = buf[nr];
    hold(g);
    if (!cur) {
      buf[nr] = g;
      return;
    }
    const sum = withMode(opts.createGraph, () => cur.add(g));
    owned.add(sum);
    hold(sum);
    drop(cur);
    drop(g);
    buf[nr] = sum;
  };

  try {
    for (const r of roots) {
      if (r.owned) owned.add(r.grad);
      addTo(r.edge.node, r.edge.nr, r.grad);
    }
    const { deps, order } = discover(roots.map((r) => r.edge.node));
    const targetsAt = new Map<Node, Target[]>();
    for (const t of opts.targets ?? []) {
      const list = targetsAt.get(t.edge.node) ?? [];
      list.push(t);
      targetsAt.set(t.edge.node, list);
    }
    const runs = opts.targets ? neededNodes(order, targetsAt, opts.accumulate) : null;
    const ready = new Heap<Node>((a, b) => b.seq - a.seq);
    for (const n of order) if ((deps.get(n) ?? 0) === 0) ready.push(n);

    while (ready.size > 0) {
      const node = ready.pop()!;
      const grads = buffers.get(node) ?? new Array<Tensor | null>(node.numOutputs).fill(null);
      buffers.delete(node);
      try {
        runHooks(node, grads, opts.createGraph, hold, drop);
        node.retained?.forEach((t, nr) => {
          const g = grads[nr];
          if (g && !t.isDisposed) scope(() => withMode(opts.createGraph, () => accumulateInto(t, g, ctx)));
        });
        for (const t of targetsAt.get(node) ?? []) {
          const g = grads[t.edge.nr];
          t.onGrad(g, g !== null && owned.delete(g));
        }
        const execute = runs === null ? opts.accumulate || !(node instanceof AccumulateGrad) : runs.has(node);
        if (execute && grads.some((g) => g !== null)) runNode(node, grads, opts, ctx, owned, refs, addTo);
      } finally {
        for (const g of grads) if (g) drop(g);
      }
      for (const e of node.next) {
        if (!e) continue;
        const d = (deps.get(e.node) ?? 0) - 1;
        deps.set(e.node, d);
        if (d === 0) ready.push(e.node);
      }
    }
  } finally {
    for (const buf of buffers.values()) for (const g of buf) if (g) drop(g);
    for (const t of owned) t.dispose();
  }
}

function runNode(
  node: Node,
  grads: (Tensor | null)[],
  opts: EngineOptions,
  ctx: ApplyContext,
  owned: Set<Tensor>,
  refs: Map<Tensor, number>,
  addTo: (node: Node, nr: number, g: Tensor) => void,
): void {
  if (node.released) throw new Error(freedGraphMessage(node.name));
  const out = withMode(opts.createGraph, () => scope(() => node.apply(grads, ctx)));
  if (!opts.retainGraph) node.release();
  const isNew = (t: Tensor) => !refs.has(t) && !grads.includes(t);
  const fresh = new Set<Tensor>();
  for (const t of out) if (t && isNew(t)) fresh.add(t);
  for (const t of fresh) owned.add(t);
  const used = new Set<Tensor>();
  node.next.forEach((e, i) => {
    let g = out[i];
    if (!e || !g) return;
    const info = node.inputInfos[i];
    if (info) {
      if (g.shape.length !== info.shape.length || g.shape.some((s, k) => s !== info.shape[k]))
        throw new Error(
          `${node.name} returned an invalid gradient at index ${i}: got shape ${fmtShape(g.shape)} but expected ${fmtShape(info.shape)} (the input's shape).`,
        );
      if (g.dtype !== info.dtype) {
        const src = g;
        g = withMode(opts.createGraph, () => src.to(info.dtype as Tensor["dtype"]));
        owned.add(g);
        fresh.add(g);
      }
    }
    used.add(g);
    addTo(e.node, e.nr, g);
  });
  // Gradients computed for inputs that need none.
  for (const t of fresh) if (!used.has(t) && !refs.has(t) && owned.delete(t)) t.dispose();
}

function runHooks(
  node: Node,
  grads: (Tensor | null)[],
  createGraph: boolean,
  hold: (t: Tensor) => void,
  drop: (t: Tensor) => void,
): void {
  for (let nr = 0; nr < grads.length; nr++) {
    for (const hook of node.hooksFor(nr)) {
      const g = grads[nr];
      if (!g) break;
      const r = withMode(createGraph, () => scope(() => hook(g)));
      if (r === undefined || r === null || r === g) continue;
      if (r.shape.length !== g.shape.length || r.shape.some((s, k) => s !== g.shape[k]))
        throw new Error(`hook: a tensor hook returned a gradient of shape ${fmtShape(r.shape)} for a tensor of shape ${fmtShape(g.shape)}; return a tensor of the same shape (or nothing).`);
      hold(r);
      drop(g);
      grads[nr] = r;
    }
  }
}

/** Every node reachable from the roots, and how many reachable edges point at each. */
function discover(roots: readonly Node[]): { deps: Map<Node, number>; order: Node[] } {
  const deps = new Map<Node, number>();
  const seen = new Set<Node>();
  const order: Node[] = [];
  const stack = [...new Set(roots)];
  for (const r of stack) seen.add(r);
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const e of n.next) {
      if (!e) continue;
      deps.set(e.node, (deps.get(e.node) ?? 0) + 1);
      if (!seen.has(e.node)) {
        seen.add(e.node);
        stack.push(e.node);
      }
    }
  }
  return { deps, order };
}

/** Nodes that must run so every target gets its gradient: those from which a target is reachable. */
function neededNodes(order: readonly Node[], targetsAt: Map<Node, Target[]>, accumulate: boolean): Set<Node> {
  // Reverse creation order visits producers after consumers; process by ascending seq so children come first.
  const sorted = [...order].sort((a, b) => a.seq - b.seq);
  const leadsToTarget = new Set<Node>();
  const runs = new Set<Node>();
  for (const n of sorted) {
    let reaches = false;
    for (const e of n.next) if (e && leadsToTarget.has(e.node)) reaches = true;
    if (reaches) runs.add(n);
    if (targetsAt.has(n) && accumulate && n instanceof AccumulateGrad) runs.add(n);
    if (reaches || targetsAt.has(n)) leadsToTarget.add(n);
  }
  return runs;
}
