/**
 * The `check` job: runs batches until the run or time budget is spent or a
 * violation is found, reports progress, writes the counterexample before and
 * after shrinking, and returns a summary.
 *
 * Batch `index` always runs from the seed batchSeed(seed, index), so its
 * outcome depends on nothing but the index. The job runs its batches either
 * in its own thread (runCheckJob) or spread over worker threads
 * (runCheckJobWithWorkers); both report the same summary for the same
 * options (checker/parallel/ledger.ts explains how).
 */
import type { ShrinkOutcome, Strategy } from "./search.ts";
import type { ConfigChoices, ProgramShape } from "./generators.ts";
import type { CoverageJson } from "../model/coverage.ts";
import type { Trace } from "../trace/format.ts";
import { shardBatchCount, shardBatches } from "./parallel/batch-plan.ts";
import { runBatchTask } from "./parallel/batch-task.ts";
import { BatchLedger, LiveCoverage } from "./parallel/ledger.ts";
import { runBatchesInWorkers } from "./parallel/pool.ts";

export interface CheckJobOptions {
  readonly choices: ConfigChoices;
  readonly shape: ProgramShape;
  readonly strategy: Strategy;
  readonly depth: number;
  readonly seed: number;
  /** Stop after this many runs, counted over all shards together; null to stop on time. */
  readonly runs: number | null;
  /** Stop after this many milliseconds; null to stop on runs. */
  readonly timeMs: number | null;
  readonly outDir: string;
  readonly maxSteps?: number;
  /** Wall-clock end (Date.now()) of a --time budget, set when the job starts; batches start no run after it. */
  readonly deadline?: number;
  /** Take only batches whose index is `index` modulo `count` (CI shards); `index` counts from 0. */
  readonly shard: { readonly index: number; readonly count: number };
  readonly batchRuns: number;
}

export interface CheckProgress {
  readonly runs: number;
  readonly steps: number;
  readonly violations: number;
  readonly elapsedMs: number;
  /** Model transitions taken at least once by the batches finished so far. */
  readonly transitionsCovered: number;
}


export interface CheckSummary {
  /** Runs of the batches counted: all batches taken, or those up to the one with the reported violation. */
  readonly runs: number;
  readonly steps: number;
  readonly elapsedMs: number;
  /** Batches counted in `runs` and `steps`. */
  readonly batches: number;
  /** Threads that ran batches: 1 when the job ran them in its own thread. */
  readonly workers: number;
  /** Model-transition coverage of the counted batches, or null while runs record none. */
  readonly coverage: CoverageJson | null;
  readonly violation: null | {
    readonly property: string;
    readonly message: string;
    readonly tracePath: string;
    readonly shrink: Omit<ShrinkOutcome, "trace">;
    readonly trace: Trace;
    /** Index of the batch that found it: the lowest of the violating batches. */
    readonly batch: number;
    /** Runs of the counted batches up to and including the first violating run, shrinking excluded. */
    readonly runsToViolation: number;
  };
}

/** Called after the unshrunk trace of a violation is written and before it is shrunk. */
export type FoundCallback = (path: string, property: string) => void;

/** Runs the job's batches one after another in this thread. */
export function runCheckJob(
  options: CheckJobOptions,
  now: () => number,
  onProgress: (progress: CheckProgress) => void,
  onFound?: FoundCallback,
): CheckSummary {
  options = withDeadline(options);
  const started = now();
  const ledger = new BatchLedger();
  const coverage = new LiveCoverage();
  let runs = 0;
  let steps = 0;

  for (const batch of shardBatches(options)) {
    if (options.timeMs !== null && now() - started >= options.timeMs) break;

    const result = runBatchTask(options, batch.index, batch.runs, {
      isSuperseded: () => false,
      onFound: (_index, path, property) => onFound?.(path, property),
    });
    ledger.add(result);
    coverage.add(result.coverage);
    runs += result.runs;
    steps += result.steps;
    const violations = result.violation === null ? 0 : 1;
    onProgress({ runs, steps, violations, elapsedMs: now() - started, transitionsCovered: coverage.covered() });
    if (result.violation !== null) break;
  }
  return ledger.summarize(now() - started, 1);
}

/**
 * Runs the job's batches on `workers` worker threads, or in this thread
 * when `workers` is 1 or the job has a single batch. The summary is the one
 * runCheckJob returns for the same options.
 */
export async function runCheckJobWithWorkers(
  options: CheckJobOptions,
  workers: number,
  now: () => number,
  onProgress: (progress: CheckProgress) => void,
  onFound?: FoundCallback,
): Promise<CheckSummary> {
  const threads = Math.min(workers, shardBatchCount(options) ?? Infinity);
  if (threads <= 1) return runCheckJob(options, now, onProgress, onFound);
  return runBatchesInWorkers(withDeadline(options), threads, now, onProgress, onFound);
}

/** Sets the wall-clock end of a --time budget, once, when the job starts. */
function withDeadline(options: CheckJobOptions): CheckJobOptions {
  if (options.timeMs === null || options.deadline !== undefined) return options;
  return { ...options, deadline: Date.now() + options.timeMs };
}
