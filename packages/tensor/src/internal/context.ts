// A context variable that follows async calls: AsyncLocalStorage in Node, a plain stack elsewhere (browsers).

interface AlsLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

type AlsCtor = new <T>() => AlsLike<T>;

// process.getBuiltinModule (Node >= 20.16) gives AsyncLocalStorage without a static node: import, so browser bundles stay clean.
function findAsyncLocalStorage(): AlsCtor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.("node:async_hooks") as { AsyncLocalStorage?: AlsCtor } | undefined;
  return mod?.AsyncLocalStorage;
}

const Als = findAsyncLocalStorage();

/** True when context variables follow `await` exactly (Node); in browsers, nested scopes must not interleave across awaits. */
export const contextFollowsAwait = Als !== undefined;

/**
 * A value with a default, overridden for the duration of a call (and, in Node, everything that call awaits).
 * @example const mode = new ContextVar(true); mode.run(false, () => mode.get()) // false
 */
export class ContextVar<T> {
  private readonly als: AlsLike<{ v: T }> | undefined = Als ? new Als<{ v: T }>() : undefined;
  private stack: T[] = [];

  constructor(private fallback: T) {}

  /** The current value. */
  get(): T {
    if (this.als) {
      const s = this.als.getStore();
      return s ? s.v : this.fallback;
    }
    return this.stack.length ? this.stack[this.stack.length - 1] : this.fallback;
  }

  /** Sets the value for the rest of the current context (as `torch.set_grad_enabled` without `with`). */
  set(value: T): void {
    if (this.als) {
      const s = this.als.getStore();
      if (s) s.v = value;
      else this.fallback = value;
    } else if (this.stack.length) this.stack[this.stack.length - 1] = value;
    else this.fallback = value;
  }

  /** Runs `fn` with the value set; restored afterwards, also when `fn` returns a promise. */
  run<R>(value: T, fn: () => R): R {
    if (this.als) return this.als.run({ v: value }, fn);
    this.stack.push(value);
    const depth = this.stack.length;
    let out: R;
    try {
      out = fn();
    } catch (e) {
      this.stack.length = depth - 1;
      throw e;
    }
    if (out instanceof Promise) {
      // Without async context tracking the value stays set until the promise settles.
      return out.finally(() => {
        this.stack.length = depth - 1;
      }) as R;
    }
    this.stack.length = depth - 1;
    return out;
  }
}
