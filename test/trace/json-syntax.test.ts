import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateJsonSyntaxError } from "../../trace/json-syntax.ts";

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("locateJsonSyntaxError", () => {
  it("accepts valid documents", () => {
    for (const text of ["0", "-0.5e+10", ' "a\\u00e9\\n" ', "[]", "{}", '{"a":[1,{"b":null}],"c":true}', "\t[ false ]\r\n"]) {
      expect(locateJsonSyntaxError(text), text).toBeNull();
    }
  });

  const errors: [string, string, number, number][] = [
    ["", "unexpected end of input", 1, 1],
    ["[1,]", 'unexpected "]" where a value must start', 1, 4],
    ["{\n\"a\" 1}", 'unexpected "1" where ":" must follow a property name', 2, 5],
    ["{'a': 1}", "unexpected \"'\" where a property name in double quotes must start", 1, 2],
    ["[1 2]", 'unexpected "2" where "," or "]" must follow', 1, 4],
    ['{"a": 1 "b"}', 'unexpected "\\"" where "," or "}" must follow', 1, 9],
    ["01", "invalid number", 1, 2],
    ["1.", "invalid number", 1, 2],
    ["-", "invalid number", 1, 1],
    ["tru", 'unexpected "t" where a value must start', 1, 1],
    ['"a\\x"', "invalid escape in a string", 1, 3],
    ['"\\u12g4"', "invalid \\u escape", 1, 2],
    ['"a\tb"', 'unexpected "\\t" inside a string, where control characters must be escaped', 1, 3],
    ["[1]]", 'unexpected "]" after the end of the JSON value', 1, 4],
    ["\n\n  [", "unexpected end of input", 3, 4],
  ];

  for (const [text, problem, line, column] of errors) {
    it(`locates ${JSON.stringify(text)}`, () => {
      expect(locateJsonSyntaxError(text)).toEqual({ problem, line, column });
    });
  }

  it("handles nesting deeper than the call stack allows", () => {
    const depth = 200_000;
    expect(locateJsonSyntaxError("[".repeat(depth) + "]".repeat(depth))).toBeNull();
    expect(locateJsonSyntaxError("[".repeat(depth))).toEqual({ problem: "unexpected end of input", line: 1, column: depth + 1 });
  });

  it("agrees with JSON.parse on random and damaged text", () => {
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.nat(), fc.string({ maxLength: 3 }))
      .map(([text, at, length, insert]) => {
        const start = at % (text.length + 1);
        return text.slice(0, start) + insert + text.slice(start + (length % 3));
      });
    const alphabet = fc.constantFrom(..."{}[],:\"\\ 0123456789.eE+-tfnrul\n\tabx".split(""));
    const soup = fc.array(alphabet, { maxLength: 30 }).map((characters) => characters.join(""));

    fc.assert(
      fc.property(fc.oneof(fc.json(), damaged, soup, fc.string()), (text) => {
        expect(locateJsonSyntaxError(text) === null).toBe(parses(text));
      }),
      { numRuns: 3000 },
    );
  });
});
