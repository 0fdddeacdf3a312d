// serde_json's default float reading: correctly rounded when the significand and the power of ten are exact, else one rounding more.
import { describe, expect, it } from "vitest";
import { rustJsonF64, serdeJsonParseF64 } from "./serde-json-f64.js";

describe("serde_json f64", () => {
  it("reads up to 15 significant digits exactly like JSON.parse", () => {
    for (const t of ["0", "-0.5", "1.25", "-5.129043102264404", "123456789012345", "1e-7", "2.5E+10", "-3.0e2", "0.000001"]) {
      expect(serdeJsonParseF64(t), t).toBe(JSON.parse(t));
    }
  });
  it("rounds a significand above 2^53 first, then divides: one ULP off for some 17-digit scores", () => {
    expect(serdeJsonParseF64("-12.130167007446289")).toBe(-12.130167007446287);
    expect(Number(12130167007446289n) / 1e15).toBe(12.130167007446287);
    expect(rustJsonF64(-12.130167007446289)).toBe(-12.130167007446287);
  });
  it("drops digits that would overflow a u64 and shifts the exponent for integer ones", () => {
    expect(serdeJsonParseF64("123456789012345678901234")).toBe(Number(12345678901234567890n) * 1e4);
    expect(serdeJsonParseF64("0.123456789012345678901234")).toBe(Number(1234567890123456789n) / 1e19);
  });
  it("says NaN for text that is not a JSON number", () => {
    for (const t of ["", "01", "1.", ".5", "+1", "1e", "NaN"]) expect(serdeJsonParseF64(t), t).toBeNaN();
  });
});
