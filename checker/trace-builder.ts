/**
 * Turns a run into a trace file and a trace file back into a run.
 */
import { ReplaySource, SequentialSource } from "../harness/choice/replay.ts";
import type { ChoiceSource } from "../harness/choice/choice-source.ts";
import type { Trace, TraceViolation } from "../trace/format.ts";
import { TRACE_FORMAT, TRACE_VERSION } from "../trace/format.ts";
import { TOOL_NAME, TOOL_VERSION } from "./version.ts";
import { runCheck } from "./run.ts";
import type { RunReport } from "./run.ts";
import type { CheckConfig, CpuProgram } from "./types.ts";

export interface TraceOrigin {
  readonly seed: number;
  readonly run: number;
  readonly strategy: string;
  readonly shrunk: boolean;
}

/** Default bound on steps per run: generous for the programs the checker generates. */
export function defaultMaxSteps(programs: readonly CpuProgram[], config: CheckConfig): number {
  const ops = programs.reduce((sum, program) => sum + program.length, 0);
  // An operation usually takes a few dozen steps. A steal can visit every CPU
  // and a flush or shrink can reach every node, so the bound stays far above both.
  return 10_000 + ops * (200 + 8 * config.cpus + 4 * config.maxEntries);
}

/** Re-runs a recorded schedule with the event log on, to attach to a trace. */
export function recordRun(config: CheckConfig, programs: readonly CpuProgram[], schedule: readonly number[] | "sequential", maxSteps?: number): RunReport {
  const choices: ChoiceSource = schedule === "sequential" ? new SequentialSource() : new ReplaySource(schedule);
  return runCheck({ config, programs, choices, maxSteps: maxSteps ?? defaultMaxSteps(programs, config), recordEvents: true });
}

export function violationOf(report: RunReport): TraceViolation | null {
  if (report.outcome.kind !== "violation") return null;
  const { property, message, step, cpu } = report.outcome.violation;
  return { property, message, step, cpu };
}

/** Builds a counterexample trace from a report recorded with events. */
export function counterexampleTrace(config: CheckConfig, programs: readonly CpuProgram[], report: RunReport, origin: TraceOrigin, maxSteps?: number): Trace {
  const violation = violationOf(report);
  const description = violation === null
    ? "A recorded run that showed no violation."
    : `${origin.shrunk ? "Shrunk" : "Unshrunk"} counterexample for ${violation.property}: ${violation.message}`;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    kind: "counterexample",
    description,
    config,
    programs,
    schedule: report.schedule,
    ...(maxSteps === undefined ? {} : { maxSteps }),
    expect: { violation: violation?.property ?? null },
    origin,
    violation,
    events: report.events ?? [],
  };
}
