import { describe, expect, it } from "vitest";
import { CHECKER, FC_SCHEDULER, RAW_PORT } from "../../bench/harnesses.ts";
import type { Rate } from "../../bench/measure.ts";
import type { ScalingRow } from "../../bench/sections/scaling.ts";
import type { SeededBugRow } from "../../bench/sections/seeded-bugs.ts";
import { STANDARD_WORKLOAD } from "../../bench/workload.ts";
import { evaluateTargets } from "../../bench/targets.ts";
import type { Measurements } from "../../bench/targets.ts";

/** Rates of `runsPerSecond` in each of three rounds. */
const rates = (...runsPerSecond: number[]): Rate[] => runsPerSecond.map((runs) => ({ runs, steps: 0, ms: 1000 }));

function measurements(overrides: Partial<Measurements> = {}): Measurements {
  const scaling: ScalingRow[] = [
    { change: "standard", workload: STANDARD_WORKLOAD, runsPerSecond: 1000, stepsPerRun: 500, costRatio: 1 },
    { change: "operations x2", workload: STANDARD_WORKLOAD, runsPerSecond: 520, stepsPerRun: 1000, costRatio: 1.92 },
  ];
  return {
    rates: new Map([
      [CHECKER, rates(1000, 1100, 900)],
      [FC_SCHEDULER, rates(40, 50, 45)],
      [RAW_PORT, rates(2000, 2400, 1900)],
    ]),
    scaling,
    workers: { runs: 100, batches: 4, oneWorkerMs: [1000], twoWorkersMs: [520], capacity: [[1.9, 1.95]], speedup: 1.92, startupMs: 300 },
    seededBugs: [],
    ...overrides,
  };
}

const bug = (name: string, medianMsToViolation: number): SeededBugRow => ({
  bug: name,
  hunts: [],
  medianMsToViolation,
  medianRunsToViolation: 10,
  medianShrinkMs: 5,
  medianShrunkOps: 2,
  medianShrunkContextSwitches: 1,
  properties: ["p"],
});

describe("evaluateTargets", () => {
  it("judges each target from same-round ratios", () => {
    const [fc, raw, bugs, workers, linear] = evaluateTargets(measurements());

    expect(fc.met).toBe(true);
    expect(fc.measured).toBe("22.0x");
    expect(raw.met).toBe(true);
    expect(raw.measured).toBe("2.11x");
    expect(bugs.met).toBeNull();
    expect(bugs.margin).toContain("MUTANTS is empty");
    expect(workers.met).toBe(true);
    expect(linear.met).toBe(true);
  });

  it("reports a miss with its factor and the profiles to take", () => {
    const slow = measurements({ rates: new Map([[CHECKER, rates(100)], [FC_SCHEDULER, rates(25)], [RAW_PORT, rates(1000)]]) });
    const [fc, raw] = evaluateTargets(slow);

    expect(fc.met).toBe(false);
    expect(fc.margin).toBe("missed by a factor of 5.00");
    expect(fc.profiles).toContain("checker");
    expect(raw.met).toBe(false);
    expect(raw.margin).toBe("missed by a factor of 3.33");
  });

  it("names the slowest seeded bug", () => {
    const [, , bugs] = evaluateTargets(measurements({ seededBugs: [bug("fast", 120), bug("slow", 1500)] }));

    expect(bugs.met).toBe(false);
    expect(bugs.measured).toBe("slowest: slow, 1500 ms");
    expect(bugs.margin).toBe("missed by a factor of 1.50");
  });

  it("misses the seeded-bug target when a bug is not found", () => {
    const [, , bugs] = evaluateTargets(measurements({ seededBugs: [bug("hidden", Infinity)] }));

    expect(bugs.met).toBe(false);
    expect(bugs.margin).toBe("missed: not found");
  });
});
