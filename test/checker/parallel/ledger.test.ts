import { describe, expect, it } from "vitest";
import { BatchLedger } from "../../../checker/parallel/ledger.ts";
import type { BatchResult } from "../../../checker/parallel/batch-task.ts";
import { CoverageRecorder } from "../../../model/coverage.ts";
import { foundCounterexample } from "../../trace/trace-builder.ts";

function clean(index: number, runs = 25, steps = 100 * (index + 1)): BatchResult {
  return { index, runs, steps, runsToViolation: null, violation: null, coverage: null };
}

function violating(index: number, runsToViolation: number, tracePath: string | null = `found-${index}.json`): BatchResult {
  const outcome = {
    before: { cpus: 2, ops: 8, contextSwitches: 3, steps: 40 },
    after: { cpus: 2, ops: 2, contextSwitches: 1, steps: 20 },
    candidatesTried: 12,
  };
  return {
    index,
    runs: 40,
    steps: 500,
    runsToViolation,
    violation: {
      property: `property-of-batch-${index}`,
      message: `broken in batch ${index}`,
      tracePath,
      shrunk: tracePath === null ? null : { outcome, trace: foundCounterexample() },
    },
    coverage: null,
  };
}

describe("BatchLedger", () => {
  it("reports the violation of the lowest batch index", () => {
    const ledger = new BatchLedger();
    ledger.add(violating(4, 3));
    ledger.add(clean(0));
    ledger.add(violating(2, 7));
    ledger.add(clean(1));
    ledger.add(clean(3));

    const summary = ledger.summarize(10, 3);
    expect(summary.violation?.batch).toBe(2);
    expect(summary.violation?.property).toBe("property-of-batch-2");
    expect(summary.violation?.tracePath).toBe("found-2.json");
  });

  it("counts batches up to the reported one", () => {
    const ledger = new BatchLedger();
    for (const result of [clean(0, 25, 100), clean(1, 25, 200), violating(2, 7), clean(3), violating(4, 3)]) ledger.add(result);

    const summary = ledger.summarize(10, 3);
    expect(summary.batches).toBe(3);
    expect(summary.runs).toBe(25 + 25 + 40);
    expect(summary.steps).toBe(100 + 200 + 500);
    expect(summary.violation?.runsToViolation).toBe(25 + 25 + 7);
  });

  it("counts every batch without a violation", () => {
    const ledger = new BatchLedger();
    for (const index of [2, 0, 1]) ledger.add(clean(index));

    const summary = ledger.summarize(10, 2);
    expect(summary.violation).toBeNull();
    expect(summary.batches).toBe(3);
    expect(summary.runs).toBe(75);
    expect(summary.workers).toBe(2);
  });

  it("lists the traces of violating batches above the reported one", () => {
    const ledger = new BatchLedger();
    for (const result of [clean(0), violating(1, 2), violating(3, 1), violating(5, 4, null), violating(6, 4)]) ledger.add(result);

    expect(ledger.discardedTraces()).toEqual(["found-3.json", "found-6.json"]);
  });

  it("merges the coverage of the counted batches", () => {
    const coverage = (times: number) => {
      const recorder = new CoverageRecorder();
      for (let i = 0; i < times; i++) recorder.record(0, 0, 0);
      return recorder.toJSON();
    };
    const ledger = new BatchLedger();
    ledger.add({ ...clean(0), coverage: coverage(2) });
    ledger.add({ ...clean(1), coverage: coverage(3) });
    ledger.add({ ...violating(2, 1), coverage: null });
    ledger.add({ ...clean(3), coverage: coverage(100) });

    const merged = CoverageRecorder.fromJSON(ledger.summarize(10, 2).coverage!);
    expect(merged.timesTaken(0)).toBe(5);
  });

  it("has no coverage when no batch recorded any", () => {
    const ledger = new BatchLedger();
    ledger.add(clean(0));
    expect(ledger.summarize(10, 1).coverage).toBeNull();
  });
});
