import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTrace } from "../../trace/load.ts";
import { replayTrace } from "../../checker/replay.ts";

const TRACES = join(import.meta.dirname, "..", "..", "traces");

/** Trace files of the committed corpus; traces/found holds local check results, which are not part of it. */
function traceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === join(TRACES, "found")) return [];
    if (statSync(path).isDirectory()) return traceFiles(path);
    return name.endsWith(".json") ? [path] : [];
  });
}

describe("trace corpus", () => {
  const files = traceFiles(TRACES);

  it("holds the selftests and at least one counterexample", () => {
    expect(files.filter((file) => file.includes("selftests")).length).toBe(12);
    expect(files.some((file) => loadTrace(file).kind === "counterexample")).toBe(true);
  });

  for (const file of files) {
    it(`replays ${relative(TRACES, file)}`, () => {
      const trace = loadTrace(file);
      const result = replayTrace(trace);
      const expected = trace.expect.violation === null ? "clean" : "reproduced";
      expect(result.message).toBeTypeOf("string");
      expect(result.status, result.message).toBe(expected);
      if (trace.expect.violation !== null && result.report.outcome.kind === "violation") {
        expect(result.report.outcome.violation.property).toBe(trace.expect.violation);
      }
    });
  }
});
