/**
 * One batch of a check job, as the job's own thread or a worker thread runs
 * it: the fast-check run of the batch, the unshrunk trace written the moment
 * a violation is found, then shrinking and the shrunk trace written over it.
 * The result is plain data, so a worker can post it to the job's thread.
 */
import type { CheckJobOptions } from "../check-job.ts";
import { batchSeed, runBatch } from "../search.ts";
import type { BatchSpec, BatchStats, ShrinkOutcome } from "../search.ts";
import type { RunReport } from "../run.ts";
import { CoverageRecorder } from "../../model/coverage.ts";
import type { CoverageJson } from "../../model/coverage.ts";
import type { Trace } from "../../trace/format.ts";
import { counterexamplePath } from "../../trace/names.ts";
import type { FoundTrace } from "../../trace/names.ts";
import { writeTraceAtomic } from "../../trace/save.ts";

export interface BatchViolation {
  readonly property: string;
  readonly message: string;
  /** The trace file; null when a batch with a lower index had found a violation first, so nothing was written. */
  readonly tracePath: string | null;
  /** The shrunk trace and its sizes; null when shrinking was skipped because a lower batch had found a violation. */
  readonly shrunk: { readonly outcome: Omit<ShrinkOutcome, "trace">; readonly trace: Trace } | null;
}

export interface BatchResult {
  readonly index: number;
  /** Runs of the batch, fast-check's shrinking runs included. */
  readonly runs: number;
  readonly steps: number;
  /** Runs of the batch up to and including its first violating run; null when no run broke a property. */
  readonly runsToViolation: number | null;
  readonly violation: BatchViolation | null;
  /** Model-transition coverage of the batch's runs, fast-check's shrinking runs included; the job merges it. */
  readonly coverage: CoverageJson | null;
}

export interface BatchHooks {
  /** Whether a batch with an index below `index` has already found a violation, which makes this batch's result moot. */
  readonly isSuperseded: (index: number) => boolean;
  /** Called after the unshrunk trace is written and before shrinking starts. */
  readonly onFound: (index: number, tracePath: string, property: string) => void;
  /** Called after every run with the batch's counts so far. */
  readonly onRun?: (stats: Readonly<BatchStats>) => void;
}

/** Runs batch `index` of `job` with `runs` runs (its seed derives from the job's seed and the index alone). */
export function runBatchTask(job: CheckJobOptions, index: number, runs: number, hooks: BatchHooks): BatchResult {
  const spec: BatchSpec = {
    choices: job.choices,
    shape: job.shape,
    strategy: job.strategy,
    depth: job.depth,
    seed: batchSeed(job.seed, index),
    batchRuns: runs,
    maxSteps: job.maxSteps,
    ...(job.deadline === undefined ? {} : { deadline: job.deadline }),
  };
  const stats: BatchStats = { runs: 0, steps: 0, coverage: new CoverageRecorder() };
  let runsToViolation: number | null = null;
  let tracePath: string | null = null;

  const saveFirst = (trace: Trace): void => {
    if (hooks.isSuperseded(index)) return;
    const path = counterexamplePath(job.outDir, trace as FoundTrace);
    writeTraceAtomic(path, trace);
    tracePath = path;
    hooks.onFound(index, path, trace.violation?.property ?? "unknown");
  };
  const onRun = (report: RunReport): void => {
    if (runsToViolation === null && report.outcome.kind === "violation") runsToViolation = stats.runs;
    hooks.onRun?.(stats);
  };

  const found = runBatch(spec, stats, saveFirst, onRun);
  const counts = { index, runs: stats.runs, steps: stats.steps, runsToViolation, coverage: stats.coverage?.toJSON() ?? null };
  if (found === null) return { ...counts, violation: null };

  const written = tracePath as string | null;
  if (written === null || hooks.isSuperseded(index)) {
    return { ...counts, violation: { property: found.property, message: found.message, tracePath: written, shrunk: null } };
  }

  const { trace, ...outcome } = found.shrink();
  writeTraceAtomic(written, trace);
  const message = trace.violation?.message ?? found.message;
  return { ...counts, violation: { property: found.property, message, tracePath: written, shrunk: { outcome, trace } } };
}
