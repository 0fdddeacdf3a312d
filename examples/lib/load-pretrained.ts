// Examples' `--model` loading: a checkpoint and its tokenizer from a folder or the Hub, with the offline case explained (no network here: train from scratch instead).
import { AutoTokenizer, HubFileNotFoundError, type PreTrainedModel, type PreTrainedTokenizer } from "@tsorch/transformers";

/** Errors of the Hub client that mean "the Hub could not be reached", not "no such model". */
const OFFLINE = /could not reach|fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i;

/**
 * Loads `id` (a folder or a Hub repository id) with `loadModel` and its tokenizer with AutoTokenizer. A folder that
 * does not exist or a malformed id keeps the loader's own error; a Hub id that cannot be downloaded says so and
 * names the script's offline option (`offlineHint`, e.g. `--from-scratch`).
 * @example const { tok, model } = await loadPretrained("bert-base-cased", (id) => AutoModelForQuestionAnswering.fromPretrained(id), AutoTokenizer, { offlineHint: "--from-scratch" })
 */
export async function loadPretrained<M extends PreTrainedModel>(
  id: string,
  loadModel: (id: string) => Promise<M>,
  tokenizers: Pick<typeof AutoTokenizer, "fromPretrained"> = AutoTokenizer,
  opts: { offlineHint: string },
): Promise<{ tok: PreTrainedTokenizer; model: M }> {
  try {
    const tok = await tokenizers.fromPretrained(id);
    const model = await loadModel(id);
    return { tok, model };
  } catch (e) {
    if (e instanceof HubFileNotFoundError && OFFLINE.test(e.message))
      throw new Error(
        `--model ${JSON.stringify(id)} could not be downloaded from the Hugging Face Hub (${e.message}) — this machine seems to have no internet access. ` +
          `Download the checkpoint on a machine that has (e.g. \`huggingface-cli download ${id} --local-dir ./${id.split("/").pop()}\`) and pass that folder as --model, ` +
          `or run with ${opts.offlineHint} to train a small model offline.`,
        { cause: e },
      );
    throw e;
  }
}
