import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchRunsAt, shardBatchCount, shardBatches, shardRuns, totalBatches } from "../../../checker/parallel/batch-plan.ts";
import type { PlanOptions } from "../../../checker/parallel/batch-plan.ts";

const plan = (runs: number | null, batchRuns: number, index = 0, count = 1): PlanOptions => ({
  runs,
  batchRuns,
  shard: { index, count },
});

function indicesOf(options: PlanOptions): number[] {
  return [...shardBatches(options)].map((batch) => batch.index);
}

describe("batch plan", () => {
  it("cuts the last batch to the run budget", () => {
    expect([...shardBatches(plan(60, 25))]).toEqual([
      { index: 0, runs: 25 },
      { index: 1, runs: 25 },
      { index: 2, runs: 10 },
    ]);
    expect(totalBatches(plan(60, 25))).toBe(3);
  });

  it("keeps index K - 1 modulo N in shard K/N", () => {
    expect(indicesOf(plan(250, 25, 0, 3))).toEqual([0, 3, 6, 9]);
    expect(indicesOf(plan(250, 25, 1, 3))).toEqual([1, 4, 7]);
    expect(indicesOf(plan(250, 25, 2, 3))).toEqual([2, 5, 8]);
  });

  it("gives a shard past the last batch nothing", () => {
    expect(indicesOf(plan(10, 25, 1, 2))).toEqual([]);
    expect(shardRuns(plan(10, 25, 1, 2))).toBe(0);
    expect(shardBatchCount(plan(10, 25, 1, 2))).toBe(0);
  });

  it("never ends under a time budget", () => {
    const batches = shardBatches(plan(null, 25, 1, 4));
    const first = Array.from({ length: 100 }, () => batches.next().value);
    expect(first.at(-1)).toEqual({ index: 1 + 99 * 4, runs: 25 });
    expect(shardRuns(plan(null, 25, 1, 4))).toBeNull();
    expect(shardBatchCount(plan(null, 25))).toBeNull();
  });

  it("splits the budget's batches exactly among the shards", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 9 }), (runs, batchRuns, count) => {
        const whole = [...shardBatches(plan(runs, batchRuns))];
        const shards = Array.from({ length: count }, (_, index) => [...shardBatches(plan(runs, batchRuns, index, count))]);
        const merged = shards.flat().sort((a, b) => a.index - b.index);

        expect(merged).toEqual(whole);
        expect(whole.reduce((sum, batch) => sum + batch.runs, 0)).toBe(runs);
        shards.forEach((batches, index) => {
          expect(shardRuns(plan(runs, batchRuns, index, count))).toBe(batches.reduce((sum, batch) => sum + batch.runs, 0));
          expect(shardBatchCount(plan(runs, batchRuns, index, count))).toBe(batches.length);
        });
      }),
    );
  });

  it("gives no runs past the budget", () => {
    expect(batchRunsAt(plan(60, 25), 3)).toBe(0);
    expect(batchRunsAt(plan(null, 25), 1000)).toBe(25);
  });
});
