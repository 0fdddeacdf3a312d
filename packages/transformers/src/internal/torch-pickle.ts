// pytorch_model.bin (torch.save's zip + pickle) read by a restricted unpickler: state-dict objects only, never code.
import { inflateRawSync } from "node:zlib";
import { fromTypedArray, type DType, type StorageArray, type Tensor } from "@tsorch/tensor";

/** A refused or broken pytorch_model.bin. */
export class TorchCheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TorchCheckpointError";
  }
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The entries of a zip archive, from its central directory (stored and deflated members; zip64 sizes). */
function readZip(buf: Uint8Array, path: string): Map<string, ZipEntry> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65557); i--) if (dv.getUint32(i, true) === 0x06054b50) ((eocd = i), (i = -1));
  if (eocd < 0) throw new TorchCheckpointError(`${path}: not a zip archive (no end-of-central-directory record). Only torch.save's zip format (PyTorch >= 1.6) is read; re-save with torch.save or convert to safetensors.`);
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== 0x07064b50) throw new TorchCheckpointError(`${path}: broken zip64 locator.`);
    const z64 = Number(dv.getBigUint64(loc + 8, true));
    if (z64 + 56 > buf.length || dv.getUint32(z64, true) !== 0x06064b50) throw new TorchCheckpointError(`${path}: broken zip64 end record.`);
    count = Number(dv.getBigUint64(z64 + 32, true));
    cdOffset = Number(dv.getBigUint64(z64 + 48, true));
  }
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || dv.getUint32(p, true) !== 0x02014b50) throw new TorchCheckpointError(`${path}: truncated or corrupt zip central directory (entry ${i}).`);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nameLen));
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    if (extraEnd + commentLen > buf.length) throw new TorchCheckpointError(`${path}: truncated or corrupt zip central directory (entry ${i} runs past the end of the file).`);
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        const u64 = (): number => {
          if (q + 8 > Math.min(e + 4 + len, extraEnd)) throw new TorchCheckpointError(`${path}: corrupt zip64 extra field (entry ${i}).`);
          return ((q += 8), Number(dv.getBigUint64(q - 8, true)));
        };
        if (size === 0xffffffff) size = u64();
        if (compressedSize === 0xffffffff) compressedSize = u64();
        if (localOffset === 0xffffffff) localOffset = u64();
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, localOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}

function zipRead(buf: Uint8Array, e: ZipEntry, path: string): Uint8Array {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const h = e.localOffset;
  if (h + 30 > buf.length || dv.getUint32(h, true) !== 0x04034b50) throw new TorchCheckpointError(`${path}: corrupt zip member ${e.name}.`);
  const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
  if (start + e.compressedSize > buf.length) throw new TorchCheckpointError(`${path}: the file is truncated (member ${e.name} runs past its end); re-download it.`);
  const raw = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return raw;
  if (e.method === 8) {
    // maxOutputLength: a corrupt or hostile member cannot inflate past the size the directory declares.
    let out: Uint8Array;
    try {
      out = new Uint8Array(inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) }));
    } catch (err) {
      throw new TorchCheckpointError(`${path}: zip member ${e.name} does not inflate (${(err as Error).message}); the file is corrupt, re-download it.`);
    }
    if (out.length !== e.size) throw new TorchCheckpointError(`${path}: zip member ${e.name} inflates to ${out.length} bytes, not the ${e.size} its directory says; the file is corrupt.`);
    return out;
  }
  throw new TorchCheckpointError(`${path}: zip member ${e.name} uses compression method ${e.method}; only stored and deflated members are read.`);
}

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: "float32",
  DoubleStorage: "float64",
  HalfStorage: "float16",
  BFloat16Storage: "bfloat16",
  LongStorage: "int64",
  IntStorage: "int32",
  BoolStorage: "bool",
  ByteStorage: "uint8",
};

/** The only globals a state dict needs; anything else (os.system, builtins.eval, …) is refused. */
const ALLOWED = new Set([
  "collections.OrderedDict",
  "torch._utils._rebuild_tensor_v2",
  "torch._utils._rebuild_parameter",
  "torch._tensor._rebuild_from_type_v2",
  "torch.nn.parameter.Parameter",
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch.${s}`),
]);

class Global {
  constructor(readonly name: string) {}
}
class StorageRef {
  constructor(readonly dtype: DType, readonly key: string) {}
}
class Mark {}

function typed(bytes: Uint8Array, dtype: DType, path: string, key: string): StorageArray {
  const item = { float32: 4, float64: 8, int64: 8, int32: 4, float16: 2, bfloat16: 2 }[dtype as string] ?? 1;
  if (bytes.length % item !== 0) throw new TorchCheckpointError(`${path}: storage ${key} has ${bytes.length} bytes, not a whole number of ${dtype} elements; the file is corrupt.`);
  // A copy with its own ArrayBuffer: on a Node Buffer, slice() is a view into the whole (pooled) file buffer.
  const b = new Uint8Array(bytes).buffer;
  switch (dtype) {
    case "float32": return new Float32Array(b);
    case "float64": return new Float64Array(b);
    case "int64": return new BigInt64Array(b);
    case "int32": return new Int32Array(b);
    case "float16": case "bfloat16": return new Uint16Array(b);
    case "uint8": case "bool": return new Uint8Array(b);
    default: throw new TorchCheckpointError(`unsupported storage dtype ${dtype}`);
  }
}

/**
 * Reads the state dict of a `torch.save` zip archive (pytorch_model.bin). The pickle is run by a restricted machine
 * that knows only OrderedDict, tensor rebuilds and storages; any other global is refused, so no code from the file
 * ever runs. Returns contiguous tensors by key.
 * @example const sd = loadTorchCheckpoint(readFileSync("pytorch_model.bin"), "pytorch_model.bin");
 */
export function loadTorchCheckpoint(buf: Uint8Array, path: string): Record<string, Tensor> {
  const zip = readZip(buf, path);
  const pkl = [...zip.keys()].find((n) => n.endsWith("/data.pkl") || n === "data.pkl");
  if (!pkl) throw new TorchCheckpointError(`${path}: no data.pkl in the archive; this is not a torch.save checkpoint.`);
  const base = pkl.slice(0, pkl.length - "data.pkl".length);
  const storages = new Map<string, StorageArray>();
  const storage = (ref: StorageRef): StorageArray => {
    let s = storages.get(ref.key);
    if (!s) {
      const e = zip.get(`${base}data/${ref.key}`);
      if (!e) throw new TorchCheckpointError(`${path}: storage ${ref.key} is missing from the archive; the file is truncated or corrupt.`);
      s = typed(zipRead(buf, e, path), ref.dtype, path, ref.key);
      storages.set(ref.key, s);
    }
    return s;
  };
  const rebuild = (args: unknown[]): Tensor => {
    if (!Array.isArray(args)) throw new TorchCheckpointError(`${path}: malformed tensor record (arguments are not a tuple).`);
    const [ref, offset, size, stride] = args as [StorageRef, number, number[], number[]];
    const count = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
    if (!(ref instanceof StorageRef) || !count(offset) || !Array.isArray(size) || !Array.isArray(stride) || size.length !== stride.length || !size.every(count) || !stride.every(count))
      throw new TorchCheckpointError(`${path}: malformed tensor record (storage, offset, size and stride must be a storage, an integer and two tuples of non-negative integers of one length).`);
    const src = storage(ref);
    const n = size.reduce((a, b) => a * b, 1);
    // The last element read is offset + sum((size - 1) * stride): checked once here instead of per element below.
    const last = n === 0 ? -1 : size.reduce((o, d, i) => o + (d - 1) * stride[i], offset);
    if (!Number.isSafeInteger(n) || last >= src.length)
      throw new TorchCheckpointError(`${path}: a tensor of size [${size.join(", ")}], stride [${stride.join(", ")}] at offset ${offset} reads past its storage of ${src.length} elements; the file is corrupt.`);
    const Ctor = src.constructor as new (n: number) => StorageArray;
    let out: StorageArray;
    try {
      out = new Ctor(n);
    } catch (err) {
      throw new TorchCheckpointError(`${path}: cannot allocate a ${ref.dtype} tensor of size [${size.join(", ")}] (${n} elements): ${(err as Error).message}.`);
    }
    const idx = new Array<number>(size.length).fill(0);
    for (let i = 0; i < n; i++) {
      let o = Number(offset);
      for (let d = 0; d < size.length; d++) o += idx[d] * stride[d];
      if (o < 0 || o >= src.length) throw new TorchCheckpointError(`${path}: a tensor reads past its storage (offset ${o} of ${src.length}); the file is corrupt.`);
      (out as unknown as unknown[])[i] = (src as unknown as unknown[])[o];
      for (let d = size.length - 1; d >= 0; d--) if (++idx[d] < size[d]) break; else idx[d] = 0;
    }
    return fromTypedArray(out, size, { dtype: ref.dtype });
  };
  const result = unpickle(zipRead(buf, zip.get(pkl)!, path), path, (pid) => {
    const t = pid as unknown[];
    if (!Array.isArray(t) || t[0] !== "storage" || !(t[1] instanceof Global)) throw new TorchCheckpointError(`${path}: unknown persistent id; only tensor storages are read.`);
    const dtype = STORAGE_DTYPES[(t[1] as Global).name.replace(/^torch\./, "")];
    if (!dtype) throw new TorchCheckpointError(`${path}: storage type ${(t[1] as Global).name} is not supported.`);
    return new StorageRef(dtype, String(t[2]));
  }, (fn, args) => {
    switch (fn.name) {
      case "collections.OrderedDict": return new Map();
      case "torch._utils._rebuild_tensor_v2": return rebuild(args);
      case "torch._utils._rebuild_parameter": return args[0];
      case "torch._tensor._rebuild_from_type_v2": {
        const [inner, , innerArgs] = args as [Global, unknown, unknown[]];
        if (!(inner instanceof Global) || inner.name !== "torch._utils._rebuild_tensor_v2") throw new TorchCheckpointError(`${path}: refusing ${String((inner as Global)?.name)} inside _rebuild_from_type_v2.`);
        return rebuild(innerArgs);
      }
      default: throw new TorchCheckpointError(`${path}: refusing to call ${fn.name}: only state dicts are read.`);
    }
  });
  const entries: [unknown, unknown][] = result instanceof Map ? [...result] : result && typeof result === "object" ? Object.entries(result) : [];
  const out: Record<string, Tensor> = {};
  for (const [k, v] of entries) if (typeof k === "string" && v && typeof v === "object" && "shape" in (v as object)) out[k] = v as Tensor;
  if (!entries.length) throw new TorchCheckpointError(`${path}: the pickle does not hold a state dict (a dict of tensors).`);
  return out;
}

/** A pickle machine over the opcodes torch.save writes (protocol 2), with persistent ids and calls delegated. */
function unpickle(data: Uint8Array, path: string, persistent: (pid: unknown) => unknown, call: (fn: Global, args: unknown[]) => unknown): unknown {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const dec = new TextDecoder("utf-8", { fatal: false });
  let p = 0;
  const need = (n: number) => {
    if (p + n > data.length) throw new TorchCheckpointError(`${path}: the pickle is truncated (needs ${n} byte(s) at ${p}).`);
  };
  const u8 = () => (need(1), data[p++]);
  const u16 = () => (need(2), (p += 2), dv.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), dv.getUint32(p - 4, true));
  const i32 = () => (need(4), (p += 4), dv.getInt32(p - 4, true));
  const bytes = (n: number) => (need(n), (p += n), data.subarray(p - n, p));
  const line = () => {
    const end = data.indexOf(10, p);
    if (end < 0) throw new TorchCheckpointError(`${path}: the pickle is truncated.`);
    const s = dec.decode(data.subarray(p, end));
    p = end + 1;
    return s;
  };
  const popMark = (): unknown[] => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i] instanceof Mark) return stack.splice(i).slice(1);
    throw new TorchCheckpointError(`${path}: malformed pickle (no mark).`);
  };
  const pop = () => {
    if (!stack.length) throw new TorchCheckpointError(`${path}: malformed pickle (stack underflow).`);
    return stack.pop();
  };
  const top = () => stack[stack.length - 1];
  const memoGet = (k: number) => {
    if (!memo.has(k)) throw new TorchCheckpointError(`${path}: malformed pickle (memo entry ${k} read before it was written).`);
    return memo.get(k);
  };
  const list = (): unknown[] => {
    const l = top();
    if (!Array.isArray(l)) throw new TorchCheckpointError(`${path}: malformed pickle (APPEND to a non-list).`);
    return l;
  };
  const global = (name: string) => {
    if (!ALLOWED.has(name)) throw new TorchCheckpointError(`${path}: refusing the global ${name}: pytorch_model.bin may only hold a state dict (tensors and OrderedDict); this file could run code, so it is not loaded. Convert trusted files to safetensors.`);
    return new Global(name);
  };
  const setItem = (d: unknown, k: unknown, v: unknown) => {
    if (d instanceof Map) d.set(k, v);
    else if (d && typeof d === "object") (d as Record<string, unknown>)[String(k)] = v;
    else throw new TorchCheckpointError(`${path}: malformed pickle (SETITEM on a non-dict).`);
  };
  for (let steps = 0; ; steps++) {
    if (steps > 1e8) throw new TorchCheckpointError(`${path}: the pickle does not end.`);
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: bytes(8); break; // FRAME
      case 0x2e: return pop(); // STOP
      case 0x7d: stack.push({}); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x28: stack.push(new Mark()); break; // MARK
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(memoGet(u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(u32())); break; // LONG_BINGET
      case 0x63: { const mod = line(); const name = line(); stack.push(global(`${mod}.${name}`)); break; } // GLOBAL
      case 0x93: { const name = pop(); const mod = pop(); stack.push(global(`${String(mod)}.${String(name)}`)); break; } // STACK_GLOBAL
      case 0x8c: stack.push(dec.decode(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x58: stack.push(dec.decode(bytes(u32()))); break; // BINUNICODE
      case 0x43: stack.push(new Uint8Array(bytes(u8()))); break; // SHORT_BINBYTES
      case 0x42: stack.push(new Uint8Array(bytes(u32()))); break; // BINBYTES
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: { // LONG1
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (n && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x47: stack.push((need(8), (p += 8), dv.getFloat64(p - 8, false))); break; // BINFLOAT
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4e: stack.push(null); break; // NONE
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x73: { const v = pop(); const k = pop(); setItem(top(), k, v); break; } // SETITEM
      case 0x75: { const items = popMark(); const d = top(); for (let i = 0; i + 1 < items.length; i += 2) setItem(d, items[i], items[i + 1]); break; } // SETITEMS
      case 0x61: { const v = pop(); list().push(v); break; } // APPEND
      case 0x65: { const items = popMark(); for (const v of items) list().push(v); break; } // APPENDS
      case 0x51: stack.push(persistent(pop())); break; // BINPERSID
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        if (!(fn instanceof Global) || !Array.isArray(args)) throw new TorchCheckpointError(`${path}: malformed pickle (REDUCE).`);
        stack.push(call(fn, args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop();
        if (!(cls instanceof Global) || !Array.isArray(args)) throw new TorchCheckpointError(`${path}: malformed pickle (NEWOBJ).`);
        stack.push(call(cls, args));
        break;
      }
      case 0x62: pop(); break; // BUILD: OrderedDict's _metadata and tensor state are not needed
      default:
        throw new TorchCheckpointError(`${path}: unsupported pickle opcode 0x${op.toString(16)} at byte ${p - 1}; only the opcodes torch.save writes for state dicts are read.`);
    }
  }
}
