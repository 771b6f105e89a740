import { describe, expect, it } from "vitest";
import { isPowerOfTwo, nearestPowersOfTwo } from "../../trace/limits.ts";

describe("isPowerOfTwo", () => {
  it("accepts powers of two up to 2^30", () => {
    for (let exponent = 0; exponent <= 30; exponent++) expect(isPowerOfTwo(2 ** exponent), String(exponent)).toBe(true);
  });

  it("rejects other numbers", () => {
    for (const n of [0, -2, 3, 6, 12, 65535, 2.5, 2 ** 31, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(isPowerOfTwo(n), String(n)).toBe(false);
    }
  });
});

describe("nearestPowersOfTwo", () => {
  it("brackets a number between powers of two", () => {
    expect(nearestPowersOfTwo(6)).toEqual({ below: 4, above: 8 });
    expect(nearestPowersOfTwo(3)).toEqual({ below: 2, above: 4 });
    expect(nearestPowersOfTwo(65535)).toEqual({ below: 32768, above: 65536 });
  });
});
