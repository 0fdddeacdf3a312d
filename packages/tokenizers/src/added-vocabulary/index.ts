// Added vocabulary: public exports.
export { AddedToken, type AddedTokenOptions } from "./added-token.js";
export { AddedVocabulary } from "./added-vocabulary.js";
