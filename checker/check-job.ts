/**
 * The `check` job: runs batches until the run or time budget is spent or a
 * violation is found, reports progress, writes the counterexample before and
 * after shrinking, and returns a summary.
 */
import { runBatch, batchSeed } from "./search.ts";
import type { BatchSpec, BatchStats, ShrinkOutcome, Strategy } from "./search.ts";
import type { ConfigChoices, ProgramShape } from "./generators.ts";
import type { Trace } from "../trace/format.ts";
import { writeTraceAtomic } from "../trace/save.ts";
import { counterexamplePath } from "../trace/names.ts";
import type { FoundTrace } from "../trace/names.ts";

export interface CheckJobOptions {
  readonly choices: ConfigChoices;
  readonly shape: ProgramShape;
  readonly strategy: Strategy;
  readonly depth: number;
  readonly seed: number;
  /** Stop after this many runs; null to stop on time. */
  readonly runs: number | null;
  /** Stop after this many milliseconds; null to stop on runs. */
  readonly timeMs: number | null;
  readonly outDir: string;
  readonly maxSteps?: number;
  /** Take only batches whose index is `index` modulo `count` (CI shards). */
  readonly shard: { readonly index: number; readonly count: number };
  readonly batchRuns: number;
}

export interface CheckProgress {
  readonly runs: number;
  readonly steps: number;
  readonly violations: number;
  readonly elapsedMs: number;
}

export interface CheckSummary {
  readonly runs: number;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly batches: number;
  readonly violation: null | {
    readonly property: string;
    readonly message: string;
    readonly tracePath: string;
    readonly shrink: Omit<ShrinkOutcome, "trace">;
    readonly trace: Trace;
  };
}

export function runCheckJob(
  options: CheckJobOptions,
  now: () => number,
  onProgress: (progress: CheckProgress) => void,
  onFound?: (path: string, property: string) => void,
): CheckSummary {
  const started = now();
  const stats: BatchStats = { runs: 0, steps: 0 };
  let batches = 0;

  for (let index = options.shard.index; ; index += options.shard.count) {
    if (options.runs !== null && stats.runs >= options.runs) break;
    if (options.timeMs !== null && now() - started >= options.timeMs) break;

    const remaining = options.runs === null ? options.batchRuns : Math.min(options.batchRuns, options.runs - stats.runs);
    const spec: BatchSpec = {
      choices: options.choices,
      shape: options.shape,
      strategy: options.strategy,
      depth: options.depth,
      seed: batchSeed(options.seed, index),
      batchRuns: remaining,
      maxSteps: options.maxSteps,
    };

    let tracePath = "";
    const found = runBatch(spec, stats, (trace) => {
      tracePath = counterexamplePath(options.outDir, trace as FoundTrace);
      writeTraceAtomic(tracePath, trace);
      onFound?.(tracePath, trace.violation!.property);
    });
    batches++;
    onProgress({ runs: stats.runs, steps: stats.steps, violations: found === null ? 0 : 1, elapsedMs: now() - started });

    if (found !== null) {
      const shrunk = found.shrink();
      writeTraceAtomic(tracePath, shrunk.trace);
      const { trace, ...shrink } = shrunk;
      return {
        runs: stats.runs,
        steps: stats.steps,
        elapsedMs: now() - started,
        batches,
        violation: { property: found.property, message: shrunk.trace.violation?.message ?? found.message, tracePath, shrink, trace },
      };
    }
  }
  return { runs: stats.runs, steps: stats.steps, elapsedMs: now() - started, batches, violation: null };
}
