/**
 * `check --workers 2` against `check --workers 1` on the same batch set: the
 * wall-clock time of the command as a user runs it, each in a fresh process,
 * measured in alternating rounds. Each round is framed by two measurements of
 * how much of a second core the machine gave.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../measure.ts";
import type { Workload } from "../workload.ts";
import { measureThreadCapacity } from "./thread-capacity.ts";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

export interface WorkersResult {
  readonly runs: number;
  readonly batches: number;
  /** Wall-clock milliseconds per round, for 1 and 2 workers. */
  readonly oneWorkerMs: readonly number[];
  readonly twoWorkersMs: readonly number[];
  /** Per round, the speed-up of a CPU-bound loop on two threads measured just before and just after the two commands. */
  readonly capacity: readonly (readonly [number, number])[];
  /** Median over rounds of the one-worker time divided by the two-worker time of the same round. */
  readonly speedup: number;
  /** Extra wall-clock milliseconds of a one-batch-per-worker job on 2 workers over 1: the workers' start-up. */
  readonly startupMs: number;
}

/** Loop units of a capacity measurement: about 0.3 s on one thread of the machine the bench was written on (an estimate). */
const CAPACITY_UNITS = 300;

interface CommandResult {
  readonly ms: number;
  readonly runs: number;
  readonly batches: number;
  readonly workers: number;
}

/** Runs `bpf-lru-check check` on `workload`'s configuration with `runs` runs and `workers` workers, and times it. */
function timeCheckCommand(workload: Workload, runs: number, workers: number, outDir: string): CommandResult {
  const options = {
    "--cpus": workload.cpus,
    "--entries": workload.maxEntries,
    "--local-free-target": workload.localFreeTarget,
    "--max-walks": workload.maxWalks,
    "--buckets": workload.buckets,
    "--ops": workload.opsPerCpu,
    "--keys": workload.keys,
    "--variant": workload.variant,
    "--runs": runs,
    "--seed": 1,
    "--workers": workers,
    "--out": outDir,
  };
  const args = ["bin/bpf-lru-check.js", "check", "--json", ...Object.entries(options).flatMap(([name, value]) => [name, String(value)])];
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: REPOSITORY, encoding: "utf8" });
  const ms = performance.now() - started;
  if (child.status !== 0) {
    throw new Error(`bench: bpf-lru-check ${args.slice(1).join(" ")} exited with status ${child.status}: ${child.stderr}${child.stdout}`);
  }
  const summary = JSON.parse(child.stdout) as { runs: number; batches: number; workers: number };
  if (summary.workers !== workers) throw new Error(`bench: asked for ${workers} workers, the job used ${summary.workers}`);
  return { ms, runs: summary.runs, batches: summary.batches, workers: summary.workers };
}

export async function measureWorkers(workload: Workload, runs: number, rounds: number): Promise<WorkersResult> {
  const outDir = mkdtempSync(join(tmpdir(), "bench-workers-"));
  try {
    const oneWorkerMs: number[] = [];
    const twoWorkersMs: number[] = [];
    const capacity: [number, number][] = [];
    let batches = 0;
    for (let round = 0; round < rounds; round++) {
      const before = await measureThreadCapacity(CAPACITY_UNITS);
      const one = timeCheckCommand(workload, runs, 1, outDir);
      const two = timeCheckCommand(workload, runs, 2, outDir);
      const after = await measureThreadCapacity(CAPACITY_UNITS);
      if (one.runs !== two.runs) throw new Error(`bench: 1 worker ran ${one.runs} runs, 2 workers ran ${two.runs}`);
      oneWorkerMs.push(one.ms);
      twoWorkersMs.push(two.ms);
      capacity.push([before.speedup, after.speedup]);
      batches = one.batches;
    }

    // Two batches: one per worker, or both in one thread.
    const smallRuns = 50;
    const smallOne = timeCheckCommand(workload, smallRuns, 1, outDir);
    const smallTwo = timeCheckCommand(workload, smallRuns, 2, outDir);
    return {
      runs,
      batches,
      oneWorkerMs,
      twoWorkersMs,
      capacity,
      speedup: median(oneWorkerMs.map((ms, round) => ms / twoWorkersMs[round])),
      startupMs: smallTwo.ms - smallOne.ms,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
