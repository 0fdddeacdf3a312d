// How `Tokenizer.fromFile` reads a file without the core entry importing node:fs: a reader the Node entry registers, else Node's built-ins found at run time.

/** Reads a tokenizer file's text (gunzipped when it is gzip). */
export type TokenizerFileReader = (path: string) => string;

let registered: TokenizerFileReader | null = null;

/** Installs the reader (`@tsorch/tokenizers/node` does this on import). */
export function registerFileReader(reader: TokenizerFileReader): void {
  registered = reader;
}

export interface NodeFs {
  readFileSync(path: string): Uint8Array & { toString(encoding: "utf8"): string };
}
export interface NodeZlib {
  gunzipSync(buf: Uint8Array): Uint8Array & { toString(encoding: "utf8"): string };
}
type GetBuiltin = (id: string) => unknown;

/** Node's fs and zlib through `process.getBuiltinModule` (Node >= 20.16), or null outside Node. */
function nodeBuiltins(): { fs: NodeFs; zlib: NodeZlib } | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  const get = proc?.getBuiltinModule;
  if (typeof get !== "function") return null;
  return { fs: get.call(proc, "node:fs") as NodeFs, zlib: get.call(proc, "node:zlib") as NodeZlib };
}

/** Text of a tokenizer.json or tokenizer.json.gz file, read with Node's built-ins. */
export function readWithNode(path: string, fs: NodeFs, zlib: NodeZlib, where: string): string {
  let buf;
  try {
    buf = fs.readFileSync(path);
  } catch (e) {
    throw new Error(`${where}: cannot read ${path}: ${(e as Error).message}`);
  }
  if (path.endsWith(".gz") || (buf[0] === 0x1f && buf[1] === 0x8b)) buf = zlib.gunzipSync(buf);
  return buf.toString("utf8");
}

/** The text of the file at `path`, or an error saying how to load a tokenizer where there is no file system. */
export function readTokenizerFile(path: string, where: string): string {
  if (registered !== null) return registered(path);
  const node = nodeBuiltins();
  if (node === null) {
    throw new Error(
      `${where}: reading ${JSON.stringify(path)} needs Node's file system (Node >= 20.16, or import "@tsorch/tokenizers/node"). ` +
        "In a browser, fetch the file and call Tokenizer.fromString(await (await fetch(url)).text()).",
    );
  }
  return readWithNode(path, node.fs, node.zlib, where);
}
