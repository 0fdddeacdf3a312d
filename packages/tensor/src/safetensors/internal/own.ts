// Own-property assignment that is safe for any key: a tensor named "__proto__" must become a key, not a prototype.

/** Sets `obj[key] = value` as an own enumerable property, whatever the key. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
