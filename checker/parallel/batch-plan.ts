/**
 * Which batches a check job takes, and how many runs each one has.
 *
 * With a run budget the set of batches is fixed before the job starts:
 * batches 0, 1, 2, ... each of `batchRuns` runs, the last one cut so that
 * they add up to the budget. A shard K/N keeps the batches whose index is
 * K - 1 modulo N, so the N shards of one budget together run exactly the
 * batches of the unsharded job. With a time budget the sequence of a shard
 * has no end, and the job takes batches until time is up.
 */
import type { CheckJobOptions } from "../check-job.ts";

export type PlanOptions = Pick<CheckJobOptions, "runs" | "shard" | "batchRuns">;

/** Runs of batch `index`: `batchRuns`, or fewer for the last batch of a run budget, or 0 past the budget. */
export function batchRunsAt(options: PlanOptions, index: number): number {
  if (options.runs === null) return options.batchRuns;
  return Math.max(0, Math.min(options.batchRuns, options.runs - index * options.batchRuns));
}

/** Number of batches of the whole job (all shards together), or null when time bounds it. */
export function totalBatches(options: PlanOptions): number | null {
  if (options.runs === null) return null;
  return Math.ceil(options.runs / options.batchRuns);
}

/**
 * Returns the batch indices of this job's shard in increasing order, each
 * with its number of runs. The iteration ends with the run budget; under a
 * time budget it never ends.
 */
export function* shardBatches(options: PlanOptions): Generator<{ readonly index: number; readonly runs: number }, void, void> {
  const total = totalBatches(options);
  for (let index = options.shard.index; total === null || index < total; index += options.shard.count) {
    yield { index, runs: batchRunsAt(options, index) };
  }
}

/** Number of batches of this job's shard under a run budget, or null under a time budget. */
export function shardBatchCount(options: PlanOptions): number | null {
  const total = totalBatches(options);
  if (total === null) return null;
  const { index: first, count } = options.shard;
  return first >= total ? 0 : Math.ceil((total - first) / count);
}

/** Runs this shard takes under a run budget, or null under a time budget. */
export function shardRuns(options: PlanOptions): number | null {
  const total = totalBatches(options);
  const batches = shardBatchCount(options);
  if (total === null || batches === null) return null;
  if (batches === 0) return 0;

  // Only the last batch of the whole job may have fewer than batchRuns runs.
  const last = total - 1;
  const lastInShard = (last - options.shard.index) % options.shard.count === 0;
  const shortfall = lastInShard ? options.batchRuns - batchRunsAt(options, last) : 0;
  return batches * options.batchRuns - shortfall;
}
