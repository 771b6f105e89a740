import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCheckJob, runCheckJobWithWorkers } from "../../../checker/check-job.ts";
import type { CheckJobOptions, CheckSummary } from "../../../checker/check-job.ts";
import { InputError } from "../../../cli/errors.ts";
import { loadTrace } from "../../../trace/load.ts";

let directory: string;

beforeEach(() => {
  directory = fs.mkdtempSync(join(tmpdir(), "check-workers-"));
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Builds a job of the RFC on 2 CPUs, where a stolen node keeps the victim's cpu field. The checker finds that within a few dozen runs. */
function rfcJob(overrides: Partial<CheckJobOptions> = {}): CheckJobOptions {
  return {
    choices: { cpus: 2, variant: "rfc", mutant: null },
    shape: { ops: 4 },
    strategy: "random",
    depth: 1,
    // With 5 runs per batch, this seed's batches 0 to 4 find nothing and several later batches find the fault.
    seed: 12,
    runs: 200,
    timeMs: null,
    outDir: directory,
    shard: { index: 0, count: 1 },
    batchRuns: 5,
    ...overrides,
  };
}

/** Builds a job of the RFC with its known fault fixed, so no violation stops it and every batch of the budget runs. */
function cleanJob(overrides: Partial<CheckJobOptions> = {}): CheckJobOptions {
  return {
    choices: { cpus: 3, maxEntries: 6, variant: "steal-sets-cpu", mutant: null },
    shape: { ops: 6 },
    strategy: "random",
    depth: 1,
    seed: 7,
    runs: 300,
    timeMs: null,
    outDir: directory,
    shard: { index: 0, count: 1 },
    batchRuns: 25,
    ...overrides,
  };
}

const clock = () => 0;
const ignore = () => {};

/** The parts of a summary that must not depend on the number of workers. */
function outcome(summary: CheckSummary) {
  return {
    runs: summary.runs,
    steps: summary.steps,
    batches: summary.batches,
    property: summary.violation?.property ?? null,
    batch: summary.violation?.batch ?? null,
    runsToViolation: summary.violation?.runsToViolation ?? null,
    schedule: summary.violation?.trace.schedule ?? null,
    programs: summary.violation?.trace.programs ?? null,
    tracePath: summary.violation?.tracePath ?? null,
    coverage: summary.coverage,
  };
}

describe("check job with workers", () => {
  it("reports the same violation with 1, 2 and 3 workers", async () => {
    const one = await runCheckJobWithWorkers(rfcJob(), 1, clock, ignore);
    const two = await runCheckJobWithWorkers(rfcJob(), 2, clock, ignore);
    const three = await runCheckJobWithWorkers(rfcJob(), 3, clock, ignore);

    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    expect(three.workers).toBe(3);
    expect(one.violation?.property).toBe("local-node-cpu-matches-list");
    expect(one.violation?.batch).toBeGreaterThan(0);
    expect(outcome(two)).toEqual(outcome(one));
    expect(outcome(three)).toEqual(outcome(one));
  });

  it("keeps only the reported trace file", async () => {
    const summary = await runCheckJobWithWorkers(rfcJob(), 3, clock, ignore);

    expect(fs.readdirSync(directory)).toEqual([summary.violation?.tracePath.slice(directory.length + 1)]);
  });

  it("counts the same runs and steps with 1, 2 and 3 workers", async () => {
    const one = await runCheckJobWithWorkers(cleanJob(), 1, clock, ignore);
    const two = await runCheckJobWithWorkers(cleanJob(), 2, clock, ignore);
    const three = await runCheckJobWithWorkers(cleanJob(), 3, clock, ignore);

    expect(one.violation).toBeNull();
    expect(one.coverage?.entries.length).toBeGreaterThan(0);
    expect(one.runs).toBe(300);
    expect(one.batches).toBe(12);
    expect(outcome(two)).toEqual(outcome(one));
    expect(outcome(three)).toEqual(outcome(one));
  });

  it("covers the batches of 1/1 with shards 1/2 and 2/2", async () => {
    const whole = runCheckJob(cleanJob(), clock, ignore);
    const first = runCheckJob(cleanJob({ shard: { index: 0, count: 2 } }), clock, ignore);
    const second = await runCheckJobWithWorkers(cleanJob({ shard: { index: 1, count: 2 } }), 2, clock, ignore);

    expect(second.workers).toBe(2);
    expect(first.batches + second.batches).toBe(whole.batches);
    expect(first.runs + second.runs).toBe(whole.runs);
    expect(first.steps + second.steps).toBe(whole.steps);
    expect(first.steps).not.toBe(second.steps);
  });

  it("writes the unshrunk trace before shrinking it in a worker", async () => {
    const seen: { path: string; shrunk: boolean | undefined; violation: string | null }[] = [];
    const summary = await runCheckJobWithWorkers(rfcJob(), 2, clock, ignore, (path) => {
      const trace = loadTrace(path);
      seen.push({ path, shrunk: trace.origin?.shrunk, violation: trace.violation?.property ?? null });
    });

    expect(summary.workers).toBe(2);
    const reported = seen.find((entry) => entry.path === summary.violation?.tracePath);
    expect(reported).toEqual({ path: summary.violation?.tracePath, shrunk: false, violation: "local-node-cpu-matches-list" });

    const final = loadTrace(summary.violation!.tracePath);
    expect(final.origin?.shrunk).toBe(true);
    expect(final.schedule).toEqual(summary.violation?.trace.schedule);
  });

  it("writes the unshrunk trace before shrinking it in one thread", async () => {
    const shrunkAtFound: (boolean | undefined)[] = [];
    const summary = await runCheckJobWithWorkers(rfcJob(), 1, clock, ignore, (path) => {
      shrunkAtFound.push(loadTrace(path).origin?.shrunk);
    });

    expect(shrunkAtFound).toEqual([false]);
    expect(loadTrace(summary.violation!.tracePath).origin?.shrunk).toBe(true);
  });

  it("rejects with the worker's InputError", async () => {
    const file = join(directory, "not-a-folder");
    fs.writeFileSync(file, "");
    const job = rfcJob({ outDir: join(file, "traces") });

    await expect(runCheckJobWithWorkers(job, 2, clock, ignore)).rejects.toThrow(InputError);
    await expect(runCheckJobWithWorkers(job, 2, clock, ignore)).rejects.toThrow(/not-a-folder/);
    expect(() => runCheckJob(job, clock, ignore)).toThrow(InputError);
  });
});
