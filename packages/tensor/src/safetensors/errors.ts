// The error raised for malformed or unsupported safetensors data, so callers can tell format problems from I/O ones.

/**
 * A safetensors file or input that cannot be read or written; the message names the tensor / field and what to do.
 * @example
 * try { parseSafetensors(bytes); } catch (e) { if (e instanceof SafetensorsError) console.warn(e.message); }
 */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SafetensorsError";
  }
}
