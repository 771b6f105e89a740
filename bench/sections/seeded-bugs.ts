/**
 * Time to find each seeded bug: the job the kill table runs
 * (checker/mutant-kill.ts mutantJobOptions), once per seed, timing the run
 * to the first violation and the shrinking after it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCheckJob } from "../../checker/check-job.ts";
import type { CheckJobOptions } from "../../checker/check-job.ts";
import { mutantJobOptions } from "../../checker/mutant-kill.ts";
import { MUTANTS } from "../../impl/variants.ts";
import { median } from "../measure.ts";

export interface HuntResult {
  readonly seed: number;
  readonly found: boolean;
  /** Milliseconds from the start of the job to the unshrunk trace on disk, or the whole job when nothing was found. */
  readonly msToViolation: number;
  readonly runsToViolation: number | null;
  readonly shrinkMs: number | null;
  readonly property: string | null;
  readonly shrunkOps: number | null;
  readonly shrunkContextSwitches: number | null;
}

export interface SeededBugRow {
  readonly bug: string;
  readonly hunts: readonly HuntResult[];
  /** Medians over the seeds; a seed that found nothing counts as the longest time and the most runs. */
  readonly medianMsToViolation: number;
  readonly medianRunsToViolation: number;
  /** Medians over the seeds that found the bug, or null when none did. */
  readonly medianShrinkMs: number | null;
  readonly medianShrunkOps: number | null;
  readonly medianShrunkContextSwitches: number | null;
  readonly properties: readonly string[];
}

/** Runs `jobFor(seed, outDir)` for each seed and times how soon it finds a violation and how long shrinking takes. */
export function huntSeededBug(bug: string, jobFor: (seed: number, outDir: string) => CheckJobOptions, seeds: readonly number[]): SeededBugRow {
  const hunts = seeds.map((seed) => hunt(seed, jobFor));
  const found = hunts.filter((result) => result.found);
  const orNull = (values: number[]): number | null => (values.length === 0 ? null : median(values));
  return {
    bug,
    hunts,
    medianMsToViolation: median(hunts.map((result) => (result.found ? result.msToViolation : Infinity))),
    medianRunsToViolation: median(hunts.map((result) => result.runsToViolation ?? Infinity)),
    medianShrinkMs: orNull(found.map((result) => result.shrinkMs!)),
    medianShrunkOps: orNull(found.map((result) => result.shrunkOps!)),
    medianShrunkContextSwitches: orNull(found.map((result) => result.shrunkContextSwitches!)),
    properties: [...new Set(found.map((result) => result.property!))],
  };
}

/** Hunts every bug of impl/variants.ts MUTANTS with a run budget per seed. */
export function huntAllSeededBugs(seeds: readonly number[], runs: number): SeededBugRow[] {
  return MUTANTS.map((mutant) =>
    huntSeededBug(mutant.name, (seed, outDir) => mutantJobOptions(mutant.name, { runs, seed, outDir }, outDir), seeds),
  );
}

function hunt(seed: number, jobFor: (seed: number, outDir: string) => CheckJobOptions): HuntResult {
  const outDir = mkdtempSync(join(tmpdir(), "bench-seeded-bug-"));
  try {
    const started = performance.now();
    let foundAt: number | null = null;
    const summary = runCheckJob(jobFor(seed, outDir), () => performance.now(), () => {}, () => {
      foundAt = performance.now();
    });
    const ended = performance.now();
    const violation = summary.violation;
    const foundTime = foundAt as number | null;
    if (violation === null || foundTime === null) {
      return { seed, found: false, msToViolation: ended - started, runsToViolation: null, shrinkMs: null, property: null, shrunkOps: null, shrunkContextSwitches: null };
    }
    return {
      seed,
      found: true,
      msToViolation: foundTime - started,
      runsToViolation: violation.runsToViolation,
      shrinkMs: ended - foundTime,
      property: violation.property,
      shrunkOps: violation.shrink.after.ops,
      shrunkContextSwitches: violation.shrink.after.contextSwitches,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
