import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeJsonValue, InputError, quoteString, quoteValue, toOneLine } from "../../cli/errors.ts";
import { LINE_BREAK } from "./input-error-assertions.ts";

describe("InputError", () => {
  it("has exit code 2 and its name", () => {
    const error = new InputError("--cpus 9 is out of range; use 1 to 8");
    expect(error.exitCode).toBe(2);
    expect(error.name).toBe("InputError");
    expect(error).toBeInstanceOf(Error);
  });

  it("escapes line breaks in its message", () => {
    expect(new InputError("a\nb\r\nc\u2028d\u0085e\tf").message).toBe("a\\nb\\r\\nc\\u2028d\\u0085e\\tf");
  });

  it("keeps every message on one line", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(new InputError(text).message).not.toMatch(LINE_BREAK);
      }),
    );
  });
});

describe("message values", () => {
  it("shows short plain values bare", () => {
    expect(quoteValue("dfs")).toBe("dfs");
    expect(quoteValue("3/2")).toBe("3/2");
  });

  it("quotes empty, spaced and quoted values", () => {
    expect(quoteValue("")).toBe('""');
    expect(quoteValue(" 4")).toBe('" 4"');
    expect(quoteValue('a"b')).toBe('"a\\"b"');
    expect(quoteValue("é")).toBe('"é"');
  });

  it("cuts long values", () => {
    expect(quoteString("x".repeat(61))).toBe(`"${"x".repeat(60)}…"`);
    expect(quoteValue("x".repeat(61))).toBe(`"${"x".repeat(60)}…"`);
  });

  it("describes JSON values by type", () => {
    expect(describeJsonValue(null)).toBe("null");
    expect(describeJsonValue(2.5)).toBe("2.5");
    expect(describeJsonValue(false)).toBe("false");
    expect(describeJsonValue("a\nb")).toBe('"a\\nb"');
    expect(describeJsonValue([1])).toBe("an array of 1 item");
    expect(describeJsonValue([])).toBe("an array of 0 items");
    expect(describeJsonValue({ a: 1 })).toBe("an object");
  });

  it("toOneLine leaves printable text alone", () => {
    expect(toOneLine("traces/x.json: /config/cpus is 9 …")).toBe("traces/x.json: /config/cpus is 9 …");
  });
});
