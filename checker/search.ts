/**
 * The main job: generate configurations, programs and schedules with
 * fast-check, run each one under the engine, and on the first violation
 * save the trace at once, shrink it (fast-check, then the minimiser) and
 * replace the saved trace with the shrunk one.
 *
 * Work is split into batches. A batch is one fast-check run of `batchRuns`
 * cases from a seed derived from the user's seed and the batch index, so
 * the outcome of a batch depends on nothing but its index: parallel workers
 * and CI shards can take any subset of batches.
 */
import fc from "fast-check";
import { PctSource } from "../harness/choice/pct.ts";
import { SwitchListSource } from "../harness/choice/switch-list.ts";
import type { ContextSwitch } from "../harness/choice/switch-list.ts";
import type { PctParameters } from "../harness/choice/pct.ts";
import type { ChoiceSource } from "../harness/choice/choice-source.ts";
import { caseArbitrary, pctArbitrary, switchListArbitrary } from "./generators.ts";
import type { ConfigChoices, GeneratedCase, ProgramShape } from "./generators.ts";
import { minimizeCounterexample, counterexampleSize } from "./minimize.ts";
import { runCheck } from "./run.ts";
import type { RunReport } from "./run.ts";
import { counterexampleTrace, defaultMaxSteps, recordRun } from "./trace-builder.ts";
import type { Trace } from "../trace/format.ts";
import type { CoverageRecorder } from "../model/coverage.ts";

export type Strategy = "random" | "pct";

export interface BatchSpec {
  readonly choices: ConfigChoices;
  readonly shape: ProgramShape;
  readonly strategy: Strategy;
  /** PCT bug depth d: d - 1 priority change points. */
  readonly depth: number;
  readonly seed: number;
  readonly batchRuns: number;
  /** Upper bound on steps per run; undefined derives one from the programs. */
  readonly maxSteps?: number;
  /**
   * Wall-clock time (Date.now()) after which fast-check starts no new run,
   * for --time budgets; a batch cut short this way depends on the machine's speed.
   */
  readonly deadline?: number;
}

export interface BatchStats {
  runs: number;
  steps: number;
  /** Records the model transitions of the batch's runs (fast-check's shrinking runs included), when given. */
  readonly coverage?: CoverageRecorder;
}

export interface FoundViolation {
  readonly property: string;
  readonly message: string;
  /** The unshrunk trace, as written the moment the violation was found. */
  readonly firstTrace: Trace;
  /** Finishes the job: shrinks and returns the shrunk trace. */
  readonly shrink: () => ShrinkOutcome;
}

export interface ShrinkOutcome {
  readonly trace: Trace;
  readonly before: ReturnType<typeof counterexampleSize>;
  readonly after: ReturnType<typeof counterexampleSize>;
  readonly candidatesTried: number;
}

/** Derives the seed of batch `index` from the user's seed (splitmix-style mixing; deterministic). */
export function batchSeed(seed: number, index: number): number {
  let z = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) & 0x7fffffff;
}

interface Input {
  readonly generated: GeneratedCase;
  readonly switches?: ContextSwitch[];
  readonly pct?: PctParameters;
}

function inputArbitrary(spec: BatchSpec): fc.Arbitrary<Input> {
  return caseArbitrary(spec.choices, spec.shape).chain((generated): fc.Arbitrary<Input> => {
    if (spec.strategy === "pct") {
      const ops = generated.programs.reduce((sum, program) => sum + program.length, 0);
      return pctArbitrary(generated.config.cpus, spec.depth, Math.max(1, ops * 12)).map((pct): Input => ({ generated, pct }));
    }
    return switchListArbitrary().map((switches): Input => ({ generated, switches }));
  });
}

function choiceSource(input: Input): ChoiceSource {
  return input.pct !== undefined ? new PctSource(input.pct) : new SwitchListSource(input.switches ?? []);
}

function runInput(input: Input, maxSteps: number | undefined, coverage?: CoverageRecorder): RunReport {
  const { config, programs } = input.generated;
  return runCheck({
    config,
    programs,
    choices: choiceSource(input),
    maxSteps: maxSteps ?? defaultMaxSteps(programs, config),
    recordEvents: false,
    ...(coverage === undefined ? {} : { coverage }),
  });
}

/**
 * Runs one batch. Returns null when no run broke a property; otherwise the
 * violation, whose unshrunk trace has already been handed to `saveFirst`.
 */
export function runBatch(
  spec: BatchSpec,
  stats: BatchStats,
  saveFirst: (trace: Trace) => void,
  onRun?: (report: RunReport) => void,
): FoundViolation | null {
  let first: { input: Input; report: RunReport; runIndex: number } | null = null;
  let firstTrace: Trace | null = null;
  let firstProperty = "";
  let saveError: { readonly error: unknown } | null = null;
  let runIndex = 0;

  const property = fc.property(inputArbitrary(spec), (input) => {
    // Once saving failed, every shrink candidate passes, so fast-check stops at once.
    if (saveError !== null) return true;
    const report = runInput(input, spec.maxSteps, stats.coverage);
    stats.runs++;
    stats.steps += report.outcome.steps;
    onRun?.(report);
    if (report.outcome.kind !== "violation") {
      if (first === null) runIndex++;
      return true;
    }
    if (first === null) {
      first = { input, report, runIndex };
      firstProperty = report.outcome.violation.property;
      // Saved before fast-check starts shrinking, so a job stopped while shrinking still leaves the trace.
      firstTrace = unshrunkTrace(spec, input, report, runIndex);
      try {
        saveFirst(firstTrace);
      } catch (error) {
        saveError = { error };
      }
      return false;
    }
    // While shrinking, only the property first broken counts as a failure.
    return report.outcome.violation.property !== firstProperty;
  });

  const interrupt = spec.deadline === undefined ? {} : { interruptAfterTimeLimit: Math.max(1, spec.deadline - Date.now()), markInterruptAsFailure: false };
  const result = fc.check(property, { seed: spec.seed, numRuns: spec.batchRuns, endOnFailure: false, ...interrupt });
  // The property callback assigns these; TypeScript does not narrow through assignments made in a callback.
  const failedSave = saveError as { readonly error: unknown } | null;
  const savedTrace = firstTrace as Trace | null;
  if (failedSave !== null) throw failedSave.error;
  if (first === null || savedTrace === null) return null;
  const found: { input: Input; report: RunReport; runIndex: number } = first;
  if (found.report.outcome.kind !== "violation") throw new Error("harness bug: a found run has no violation");
  const violation = found.report.outcome.violation;
  const { config, programs } = found.input.generated;
  const origin = { seed: spec.seed, run: found.runIndex, strategy: spec.strategy, shrunk: false };

  return {
    property: violation.property,
    message: violation.message,
    firstTrace: savedTrace,
    shrink: () => {
      const shrunkInput = (result.counterexample?.[0] as Input | undefined) ?? found.input;
      const shrunkReport = runInput(shrunkInput, spec.maxSteps);
      const start = shrunkReport.outcome.kind === "violation" && shrunkReport.outcome.violation.property === violation.property
        ? { config: shrunkInput.generated.config, programs: shrunkInput.generated.programs, schedule: shrunkReport.schedule }
        : { config, programs, schedule: found.report.schedule };
      const before = counterexampleSize({ config, programs, schedule: found.report.schedule, property: violation.property });
      const maxSteps = spec.maxSteps ?? defaultMaxSteps(start.programs, start.config);
      const minimized = minimizeCounterexample({ ...start, property: violation.property }, maxSteps);
      const final = minimized.counterexample;
      const recorded = recordRun(final.config, final.programs, final.schedule, spec.maxSteps);
      const trace = counterexampleTrace(final.config, final.programs, recorded, { ...origin, shrunk: true }, spec.maxSteps);
      return { trace, before, after: counterexampleSize(final), candidatesTried: minimized.candidatesTried };
    },
  };
}

/** Records the first violating run of a batch with its event log, as it was found. */
function unshrunkTrace(spec: BatchSpec, input: Input, report: RunReport, runIndex: number): Trace {
  const { config, programs } = input.generated;
  const origin = { seed: spec.seed, run: runIndex, strategy: spec.strategy, shrunk: false };
  const recorded = recordRun(config, programs, report.schedule, spec.maxSteps);
  return counterexampleTrace(config, programs, recorded, origin, spec.maxSteps);
}
