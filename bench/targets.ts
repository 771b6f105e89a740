/**
 * The performance targets the benchmark reports against, each judged from
 * numbers measured side by side in the same bench run.
 */
import { CHECKER, FC_SCHEDULER, RAW_PORT } from "./harnesses.ts";
import type { Rate } from "./measure.ts";
import { medianRatio, runsPerSecond } from "./measure.ts";
import type { ScalingRow } from "./sections/scaling.ts";
import type { SeededBugRow } from "./sections/seeded-bugs.ts";
import type { WorkersResult } from "./sections/workers.ts";

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  /** Null when there was nothing to measure. */
  readonly met: boolean | null;
  /** How far from the target, such as "missed by a factor of 4.2". */
  readonly margin: string;
  /** Profile targets (bench/profile-target.ts names) that explain a miss. */
  readonly profiles: readonly string[];
}

export interface Measurements {
  readonly rates: ReadonlyMap<string, readonly Rate[]>;
  readonly scaling: readonly ScalingRow[];
  readonly workers: WorkersResult;
  readonly seededBugs: readonly SeededBugRow[];
}

const times = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)}x`;

/** "at least" target: met when `value >= goal`. */
function atLeast(target: string, value: number, goal: number, profiles: string[]): TargetResult {
  const met = value >= goal;
  const margin = met ? `met with ${times(value / goal)} to spare` : `missed by a factor of ${(goal / value).toFixed(2)}`;
  return { target, measured: times(value), met, margin, profiles: met ? [] : profiles };
}

/** "at most" target: met when `value <= goal`. */
function atMost(target: string, value: number, goal: number, profiles: string[]): TargetResult {
  const met = value <= goal;
  const margin = met ? `met with ${times(goal / value)} to spare` : `missed by a factor of ${(value / goal).toFixed(2)}`;
  return { target, measured: times(value), met, margin, profiles: met ? [] : profiles };
}

export function evaluateTargets(measurements: Measurements): TargetResult[] {
  const rate = (name: string): readonly Rate[] => {
    const rates = measurements.rates.get(name);
    if (rates === undefined) throw new Error(`bench: no measurement of ${name}`);
    return rates;
  };
  const checkerOverFc = medianRatio(rate(CHECKER), rate(FC_SCHEDULER), runsPerSecond);
  const rawOverChecker = medianRatio(rate(RAW_PORT), rate(CHECKER), runsPerSecond);
  const opsDoubled = measurements.scaling.find((row) => row.change === "operations x2");
  if (opsDoubled === undefined) throw new Error("bench: no measurement with operations doubled");

  return [
    atLeast("checker runs/s >= 20x the fc.scheduler harness", checkerOverFc, 20, ["checker", "fc-scheduler"]),
    atMost("checker at most 3x slower than the raw port", rawOverChecker, 3, ["checker", "raw-port"]),
    seededBugTarget(measurements.seededBugs),
    atLeast("--workers 2 at least 1.8x faster than --workers 1", measurements.workers.speedup, 1.8, []),
    atMost("time per run grows at most linearly in operations (x2 ops: cost <= 2x)", opsDoubled.costRatio, 2, ["checker-double-ops"]),
  ];
}

function seededBugTarget(rows: readonly SeededBugRow[]): TargetResult {
  const target = "every seeded bug found in under 1 s (median over seeds)";
  if (rows.length === 0) {
    return { target, measured: "no seeded bugs", met: null, margin: "impl/variants.ts MUTANTS is empty, so there is nothing to hunt", profiles: [] };
  }
  const slowest = rows.reduce((worst, row) => (row.medianMsToViolation > worst.medianMsToViolation ? row : worst));
  const ms = slowest.medianMsToViolation;
  const measured = `slowest: ${slowest.bug}, ${Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : "not found in most seeds"}`;
  const met = ms < 1000;
  const margin = met ? `met with ${times(1000 / ms)} to spare` : Number.isFinite(ms) ? `missed by a factor of ${(ms / 1000).toFixed(2)}` : "missed: not found";
  return { target, measured, met, margin, profiles: [] };
}
