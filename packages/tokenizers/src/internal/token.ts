// A token produced by a model: id, string value and its [start, end) UTF-16 offsets inside the piece it came from.

/** Model output for one token; offsets are UTF-16 units of the normalized piece. */
export interface Token {
  readonly id: number;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}
