import { describe, expect, it } from "vitest";
import { huntSeededBug } from "../../bench/sections/seeded-bugs.ts";
import type { CheckJobOptions } from "../../checker/check-job.ts";

/** Builds a job of the RFC itself, used here in place of a seeded bug: its stale cpu field after a steal is found within a few dozen runs. */
const rfcJob = (seed: number, outDir: string): CheckJobOptions => ({
  choices: { cpus: 2, variant: "rfc", mutant: null },
  shape: { ops: 8 },
  strategy: "random",
  depth: 1,
  seed,
  runs: 500,
  timeMs: null,
  outDir,
  shard: { index: 0, count: 1 },
  batchRuns: 25,
});

/** Builds a job that finds nothing: the RFC with its fault fixed, on one CPU. */
const cleanJob = (seed: number, outDir: string): CheckJobOptions => ({
  ...rfcJob(seed, outDir),
  choices: { cpus: 1, variant: "steal-sets-cpu", mutant: null },
  runs: 30,
});

describe("huntSeededBug", () => {
  it("records runs, shrink and trace size per seed", () => {
    const row = huntSeededBug("rfc", rfcJob, [1, 2, 3]);

    expect(row.hunts.map((hunt) => hunt.found)).toEqual([true, true, true]);
    expect(row.properties).toEqual(["local-node-cpu-matches-list"]);
    for (const hunt of row.hunts) {
      expect(hunt.runsToViolation).toBeGreaterThan(0);
      expect(hunt.shrunkOps).toBeGreaterThanOrEqual(2);
      expect(hunt.shrinkMs).toBeGreaterThanOrEqual(0);
    }
    expect(row.medianRunsToViolation).toBe([...row.hunts.map((hunt) => hunt.runsToViolation!)].sort((a, b) => a - b)[1]);
  });

  it("counts a seed that finds nothing as the slowest", () => {
    const row = huntSeededBug("none", cleanJob, [1, 2, 3]);

    expect(row.hunts.every((hunt) => !hunt.found)).toBe(true);
    expect(row.medianMsToViolation).toBe(Infinity);
    expect(row.medianRunsToViolation).toBe(Infinity);
    expect(row.medianShrinkMs).toBeNull();
    expect(row.properties).toEqual([]);
  });
});
