// Messages between TokenizerPool and its worker threads.
import type { PackedEncodings } from "./packed-encodings.js";

/** One chunk of texts to encode (pairs[k] is the second text of input k, or null). */
export interface ChunkRequest {
  id: number;
  texts: string[];
  pairs: Array<string | null> | null;
  addSpecialTokens: boolean;
  idsOnly: boolean;
}

/** What a worker answers: ready after loading, a chunk's result, or an error (id -1: loading failed). */
export type WorkerReply =
  | { type: "ready" }
  | { type: "encodings"; id: number; packed: PackedEncodings }
  | { type: "ids"; id: number; lens: Int32Array; ids: Int32Array }
  | { type: "error"; id: number; message: string };
