// Post-processors: public exports.
export type { PostProcessor } from "./post-processor.js";
export { BertProcessing } from "./bert.js";
export { ByteLevelPostProcessor } from "./byte-level.js";
export { RobertaProcessing } from "./roberta.js";
export { PostProcessorSequence } from "./sequence.js";
export { TemplateProcessing, type Piece, type TemplateSpecialToken, type TemplateInput } from "./template.js";
export { postProcessorFromJSON, POST_PROCESSOR_TYPES } from "./from-json.js";
