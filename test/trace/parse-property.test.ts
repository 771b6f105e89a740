import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../cli/errors.ts";
import { parseTrace } from "../../trace/load.ts";
import { findSchemaProblem } from "../../trace/schema-errors.ts";
import { findSemanticProblem } from "../../trace/semantics.ts";
import { LINE_BREAK } from "../cli/input-error-assertions.ts";
import { validTrace } from "./trace-builder.ts";

const SOURCE = "fuzz.json";

type Path = (string | number)[];

/** Lists every path to a value inside `root`, the root itself excluded. */
function pathsOf(root: unknown): Path[] {
  const paths: Path[] = [];
  const visit = (node: unknown, path: Path): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        paths.push([...path, index]);
        visit(item, [...path, index]);
      });
    } else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        paths.push([...path, key]);
        visit(value, [...path, key]);
      }
    }
  };
  visit(root, []);
  return paths;
}

type Mutation = { kind: "set"; value: unknown } | { kind: "delete" } | { kind: "retype" };

/** Returns a value of another JSON type than `value`, chosen by `choice`. */
function retyped(value: unknown, choice: number): unknown {
  const candidates: unknown[] = [String(value), 1, -1, 2 ** 31, 0.5, null, true, [], {}, [value], { value }];
  const different = candidates.filter((candidate) => typeof candidate !== typeof value || Array.isArray(candidate) !== Array.isArray(value));
  return different[choice % different.length];
}

function mutate(root: any, path: Path, mutation: Mutation, choice: number): void {
  const parent = path.slice(0, -1).reduce((node, key) => node[key], root);
  const key = path[path.length - 1]!;
  if (mutation.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (mutation.kind === "set") {
    parent[key] = mutation.value;
  } else {
    parent[key] = retyped(parent[key], choice);
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.constant({ kind: "delete" as const }),
  fc.constant({ kind: "retype" as const }),
);

/** Text of a valid trace with one value somewhere inside replaced, deleted or given another type. */
const mutatedTraceText = fc.tuple(validTrace, fc.nat(), mutation, fc.nat()).map(([trace, pick, change, choice]) => {
  const copy = JSON.parse(JSON.stringify(trace));
  const paths = pathsOf(copy);
  mutate(copy, paths[pick % paths.length]!, change, choice);
  return JSON.stringify(copy, null, 2);
});

const truncatedTraceText = fc
  .tuple(validTrace, fc.nat())
  .map(([trace, cut]) => {
    const text = JSON.stringify(trace, null, 2);
    return text.slice(0, cut % text.length);
  });

/** Parses `text` and checks the outcome: a consistent trace, or a one-line InputError naming the source. */
function checkOutcome(text: string): "accepted" | "rejected" {
  let trace;
  try {
    trace = parseTrace(text, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).not.toMatch(LINE_BREAK);
    expect(message.startsWith(`${SOURCE}: `)).toBe(true);
    expect((error as InputError).exitCode).toBe(2);
    return "rejected";
  }
  expect(findSchemaProblem(trace)).toBeNull();
  expect(findSemanticProblem(trace)).toBeNull();
  return "accepted";
}

describe("parseTrace on arbitrary input", () => {
  it("accepts every generated valid trace", () => {
    fc.assert(
      fc.property(validTrace, (trace) => {
        expect(checkOutcome(JSON.stringify(trace))).toBe("accepted");
      }),
      { numRuns: 300 },
    );
  });

  it("accepts or rejects mutated traces with an InputError", () => {
    let rejected = 0;
    fc.assert(
      fc.property(mutatedTraceText, (text) => {
        if (checkOutcome(text) === "rejected") rejected++;
      }),
      { numRuns: 1500 },
    );
    // Most single mutations break a rule; if none did, the generator would be testing nothing.
    expect(rejected).toBeGreaterThan(500);
  });

  it("rejects truncated traces with an InputError", () => {
    fc.assert(
      fc.property(truncatedTraceText, (text) => {
        expect(checkOutcome(text)).toBe("rejected");
      }),
      { numRuns: 500 },
    );
  });

  it("rejects random JSON and text with an InputError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((value) => JSON.stringify({ format: "bpf-lru-check-trace", version: 1, config: value }))), (text) => {
        expect(checkOutcome(text)).toBe("rejected");
      }),
      { numRuns: 1000 },
    );
  });
});
