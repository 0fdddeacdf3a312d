// Worker-thread side of TokenizerPool: loads the tokenizer once, then encodes each chunk it is sent and transfers the packed result back.
import { parentPort, workerData } from "node:worker_threads";
import { Tokenizer } from "../tokenizer.js";
import { packEncodings } from "./internal/packed-encodings.js";
import type { ChunkRequest, WorkerReply } from "./internal/pool-protocol.js";

const port = parentPort;
if (port === null) throw new Error("pool-worker.ts runs as a worker thread of TokenizerPool, not on its own.");
let tokenizer: Tokenizer;
/** The token text of an id, as `Tokenizer.idToToken` (added tokens first, then the model's vocabulary). */
const idToToken = (id: number): string | undefined => tokenizer.idToToken(id);
try {
  tokenizer = Tokenizer.fromString((workerData as { json: string }).json);
  // The pool pads the whole batch together on the calling thread, as Tokenizer.encodeBatch does.
  tokenizer.padding = null;
  port.postMessage({ type: "ready" } satisfies WorkerReply);
} catch (e) {
  port.postMessage({ type: "error", id: -1, message: (e as Error).message } satisfies WorkerReply);
}

port.on("message", (req: ChunkRequest) => {
  try {
    const inputs = req.pairs === null ? req.texts : req.texts.map((t, k) => (req.pairs![k] === null ? t : ([t, req.pairs![k]] as [string, string])));
    const encs = tokenizer.encodeBatch(inputs, { addSpecialTokens: req.addSpecialTokens });
    const transfer: ArrayBuffer[] = [];
    if (req.idsOnly) {
      const lens = new Int32Array(encs.length);
      let total = 0;
      encs.forEach((e, k) => {
        lens[k] = e.ids.length;
        total += e.ids.length;
      });
      const ids = new Int32Array(total);
      let t = 0;
      for (const e of encs) {
        ids.set(e.ids, t);
        t += e.ids.length;
      }
      port.postMessage({ type: "ids", id: req.id, lens, ids } satisfies WorkerReply, [lens.buffer, ids.buffer]);
    } else {
      const packed = packEncodings(encs, transfer, idToToken);
      port.postMessage({ type: "encodings", id: req.id, packed } satisfies WorkerReply, transfer);
    }
  } catch (e) {
    port.postMessage({ type: "error", id: req.id, message: (e as Error).message } satisfies WorkerReply);
  }
});
