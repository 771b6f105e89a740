/**
 * Replays a trace: runs its programs under its recorded schedule (or
 * sequentially for a hand-written scenario), with every property checked and
 * the event log on, and compares what happens with what the trace expects.
 */
import type { Trace } from "../trace/format.ts";
import type { CheckConfig, OpResult } from "./types.ts";
import { recordRun, violationOf } from "./trace-builder.ts";
import type { RunReport } from "./run.ts";

export type ReplayStatus =
  /** The trace expects a violation and the replay showed it: exit 1. */
  | "reproduced"
  /**
   * The trace expects no violation and the replay met every expectation, or
   * the replay on another variant or seeded bug no longer shows the recorded
   * violation: exit 0.
   */
  | "clean"
  /** The replay showed a violation, or broke an expectation, that the trace does not expect: exit 1. */
  | "violation"
  /** The replay could not follow the trace, or the expected violation did not happen: exit 2. */
  | "mismatch";

export interface ReplayResult {
  readonly status: ReplayStatus;
  /** One line saying what happened. */
  readonly message: string;
  readonly report: RunReport;
  readonly config: CheckConfig;
}

export const REPLAY_EXIT_CODES: Readonly<Record<ReplayStatus, number>> = { reproduced: 1, clean: 0, violation: 1, mismatch: 2 };

export function replayTrace(trace: Trace, overrides: { mutant?: string | null; variant?: string } = {}): ReplayResult {
  const config: CheckConfig = {
    ...trace.config,
    ...(overrides.variant === undefined ? {} : { variant: overrides.variant }),
    ...(overrides.mutant === undefined ? {} : { mutant: overrides.mutant }),
  };
  const report = recordRun(config, trace.programs, trace.schedule, trace.maxSteps);
  const expected = trace.expect.violation;

  const recordedSteps = trace.schedule === "sequential" ? null : trace.schedule.length;
  const overridden = describeOverrides(trace.config, config);
  if (overridden !== null && expected !== null && (report.outcome.kind !== "violation" || report.outcome.violation.property !== expected)) {
    // The user changed the port on purpose, typically to see whether a fix removes the violation.
    const instead = report.outcome.kind === "violation" ? `; it shows ${report.outcome.violation.property} instead` : "";
    const status: ReplayStatus = report.outcome.kind === "violation" ? "violation" : "clean";
    return { status, message: `the recorded violation of ${expected} does not occur with ${overridden}${instead}`, report, config };
  }
  if (report.outcome.kind === "diverged" && expected !== null && report.outcome.step === recordedSteps) {
    return { status: "mismatch", message: `the recorded violation of ${expected} did not reproduce in the ${recordedSteps} recorded steps`, report, config };
  }
  if (report.outcome.kind === "diverged") {
    return { status: "mismatch", message: `the replay diverged from the recorded schedule at ${report.outcome.message}`, report, config };
  }

  const violation = violationOf(report);
  if (violation !== null) {
    const text = `${violation.property} at step ${violation.step}${violation.cpu === null ? "" : ` on CPU ${violation.cpu}`}: ${violation.message}`;
    if (expected === violation.property) return { status: "reproduced", message: `reproduced ${text}`, report, config };
    if (expected === null) return { status: "violation", message: `violation ${text}`, report, config };
    return { status: "mismatch", message: `expected a violation of ${expected} but the replay showed ${text}`, report, config };
  }

  if (expected !== null) {
    return { status: "mismatch", message: `the recorded violation of ${expected} did not reproduce: the run completed after ${report.outcome.steps} steps`, report, config };
  }

  const broken = brokenExpectation(trace, report);
  if (broken !== null) return { status: "violation", message: `violation expected-results: ${broken}`, report, config };
  return { status: "clean", message: `no violation in ${report.outcome.steps} steps; every expectation met`, report, config };
}

/** Describes what the replay changed in the trace's configuration, or null when nothing. */
function describeOverrides(recorded: CheckConfig, replayed: CheckConfig): string | null {
  const changes: string[] = [];
  if (recorded.variant !== replayed.variant) changes.push(`variant ${replayed.variant}`);
  if (recorded.mutant !== replayed.mutant) changes.push(replayed.mutant === null ? "no seeded bug" : `seeded bug ${replayed.mutant}`);
  return changes.length === 0 ? null : changes.join(" and ");
}

function brokenExpectation(trace: Trace, report: RunReport): string | null {
  const { results, finalKeys } = trace.expect;
  if (results !== undefined) {
    for (let cpu = 0; cpu < results.length; cpu++) {
      for (let index = 0; index < results[cpu].length; index++) {
        const want: OpResult = results[cpu][index];
        const got = report.results[cpu]?.[index];
        if (got !== want) {
          const op = trace.programs[cpu][index];
          return `CPU ${cpu} operation ${index + 1} (${op.op} ${op.key}) returned ${String(got)}, expected ${String(want)}`;
        }
      }
    }
  }
  if (finalKeys !== undefined) {
    const want = JSON.stringify(sortedEntries(finalKeys));
    const got = JSON.stringify(sortedEntries(report.finalKeys));
    if (want !== got) return `final keys ${got}, expected ${want}`;
  }
  return null;
}

function sortedEntries(keys: Readonly<Record<string, number>>): [number, number][] {
  return Object.entries(keys).map(([key, value]): [number, number] => [Number(key), value]).sort((a, b) => a[0] - b[0]);
}
