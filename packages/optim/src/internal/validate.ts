// Range checks of optimizer options, with PyTorch's messages (naming the option and the value).

/**
 * Throws `Invalid <what> value: <v>` unless `ok`, as PyTorch's constructors do.
 * @example check("Adam", "learning rate", lr, lr >= 0)
 */
export function check(op: string, what: string, v: unknown, ok: boolean): void {
  if (!ok || (typeof v === "number" && Number.isNaN(v))) throw new RangeError(`${op}: Invalid ${what}: ${Array.isArray(v) ? `(${v.join(", ")})` : String(v)}`);
}

/**
 * Checks a learning rate (a number >= 0).
 * @example checkLr("SGD", 0.1)
 */
export function checkLr(op: string, lr: unknown): void {
  check(op, "learning rate", lr, typeof lr === "number" && lr >= 0);
}
