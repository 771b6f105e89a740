import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBatchTask } from "../../../checker/parallel/batch-task.ts";
import type { CheckJobOptions } from "../../../checker/check-job.ts";
import { loadTrace } from "../../../trace/load.ts";

let directory: string;

beforeEach(() => {
  directory = fs.mkdtempSync(join(tmpdir(), "batch-task-"));
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** The RFC on 2 CPUs, whose batch 0 of seed 1 finds the stolen node's stale cpu field within a few runs. */
function rfcJob(): CheckJobOptions {
  return {
    choices: { cpus: 2, variant: "rfc", mutant: null },
    shape: { ops: 16 },
    strategy: "random",
    depth: 1,
    seed: 1,
    runs: 25,
    timeMs: null,
    outDir: directory,
    shard: { index: 0, count: 1 },
    batchRuns: 25,
  };
}

describe("runBatchTask", () => {
  it("writes, announces, shrinks and rewrites a found violation", () => {
    const found: { index: number; path: string; property: string; shrunk: boolean | undefined }[] = [];
    const result = runBatchTask(rfcJob(), 0, 25, {
      isSuperseded: () => false,
      onFound: (index, path, property) => found.push({ index, path, property, shrunk: loadTrace(path).origin?.shrunk }),
    });

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 0, property: "local-node-cpu-matches-list", shrunk: false });
    expect(result.violation?.tracePath).toBe(found[0].path);
    expect(result.violation?.shrunk?.trace.origin?.shrunk).toBe(true);
    expect(loadTrace(found[0].path).schedule).toEqual(result.violation?.shrunk?.trace.schedule);
    expect(result.runsToViolation).toBeGreaterThan(0);
    expect(result.runsToViolation).toBeLessThanOrEqual(25);
    expect(result.runs).toBeGreaterThan(result.runsToViolation!);
  });

  it("neither writes nor shrinks when a lower batch found a violation", () => {
    let announced = 0;
    const result = runBatchTask(rfcJob(), 3, 25, {
      isSuperseded: (index) => index > 0,
      onFound: () => announced++,
    });

    expect(result.violation?.property).toBe("local-node-cpu-matches-list");
    expect(result.violation?.tracePath).toBeNull();
    expect(result.violation?.shrunk).toBeNull();
    expect(announced).toBe(0);
    expect(fs.readdirSync(directory)).toEqual([]);
  });

  it("reports the counts of every run to onRun", () => {
    const seen: number[] = [];
    const result = runBatchTask({ ...rfcJob(), choices: { cpus: 2, variant: "steal-sets-cpu", mutant: null } }, 0, 10, {
      isSuperseded: () => false,
      onFound: () => {},
      onRun: (stats) => seen.push(stats.runs),
    });

    expect(result.violation).toBeNull();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.runs).toBe(10);
  });
});
