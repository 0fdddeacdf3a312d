// Marian's public classes.
export { MarianConfig, MarianMTModel, MarianSinusoidalPositionalEmbedding } from "./modeling-marian.js";
