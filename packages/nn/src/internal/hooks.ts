// Forward hooks of modules (register_forward_pre_hook / register_forward_hook), kept beside the modules in a WeakMap.

/** A handle that removes a hook, as PyTorch's `RemovableHandle`. */
export interface RemovableHandle {
  remove(): void;
}

/** Runs before `forward`; may return replacement arguments. */
export type ForwardPreHook<M = unknown> = (module: M, args: unknown[]) => unknown[] | void;
/** Runs after `forward`; may return a replacement output. */
export type ForwardHook<M = unknown> = (module: M, args: unknown[], output: unknown) => unknown;

interface Hooks {
  pre: Set<ForwardPreHook>;
  post: Set<ForwardHook>;
}

const table = new WeakMap<object, Hooks>();

function hooksOf(m: object): Hooks {
  let h = table.get(m);
  if (!h) table.set(m, (h = { pre: new Set(), post: new Set() }));
  return h;
}

/** Adds a hook and returns its handle. @example addHook(m, "post", (mod, args, out) => console.log(out)) */
export function addHook(m: object, kind: "pre" | "post", fn: ForwardPreHook | ForwardHook): RemovableHandle {
  const set = hooksOf(m)[kind] as Set<unknown>;
  set.add(fn);
  return { remove: () => void set.delete(fn) };
}

/**
 * Runs `forward` between the module's hooks, as `Module.__call__`.
 * @example callWithHooks(m, [x], (...a) => m.forward(...a))
 */
export function callWithHooks(m: object, args: unknown[], forward: (...a: unknown[]) => unknown): unknown {
  const h = table.get(m);
  if (!h) return forward(...args);
  for (const pre of h.pre) {
    const r = pre(m, args);
    if (r !== undefined) args = r;
  }
  let out = forward(...args);
  for (const post of h.post) {
    const r = post(m, args, out);
    if (r !== undefined) out = r;
  }
  return out;
}
