/**
 * The kill table: runs the checker against each seeded bug with a run budget
 * and reports whether it was found, how fast, by which property, and how
 * small the shrunk trace is.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCheckJob } from "./check-job.ts";
import type { CheckJobOptions } from "./check-job.ts";
import { MUTANT_BASE_VARIANT } from "../impl/variants.ts";

export interface KillRow {
  readonly mutant: string;
  readonly found: boolean;
  /** Runs up to and including the first violating run (all runs when not found). */
  readonly runs: number;
  /** Milliseconds to the first violation, shrinking excluded; for a bug not found, the time the whole hunt took. */
  readonly msToViolation: number;
  readonly property: string | null;
  readonly shrunkOps: number | null;
  readonly shrunkContextSwitches: number | null;
  /** The shrunk trace, when the hunt was given an output folder; null for hunts in a temporary folder, which is removed. */
  readonly tracePath: string | null;
}

export interface KillOptions {
  readonly runs: number;
  readonly seed: number;
  /** Folder for the traces of found bugs; a temporary folder when null (removed afterwards). */
  readonly outDir: string | null;
}

/** Builds the job options that hunt one seeded bug: every configuration field generated, as in a default check. */
export function mutantJobOptions(mutant: string, options: KillOptions, outDir: string): CheckJobOptions {
  return {
    choices: { variant: MUTANT_BASE_VARIANT, mutant },
    shape: { ops: 12 },
    strategy: "random",
    depth: 1,
    seed: options.seed,
    runs: options.runs,
    timeMs: null,
    outDir,
    shard: { index: 0, count: 1 },
    batchRuns: 25,
  };
}

export function huntMutant(mutant: string, options: KillOptions, now: () => number): KillRow {
  const outDir = options.outDir ?? mkdtempSync(join(tmpdir(), "bpf-lru-check-mutant-"));
  try {
    const started = now();
    let msToViolation = 0;
    const summary = runCheckJob(mutantJobOptions(mutant, options, outDir), now, () => {}, () => {
      msToViolation = now() - started;
    });
    if (summary.violation === null) {
      return { mutant, found: false, runs: summary.runs, msToViolation: summary.elapsedMs, property: null, shrunkOps: null, shrunkContextSwitches: null, tracePath: null };
    }
    const { after } = summary.violation.shrink;
    return {
      mutant,
      found: true,
      runs: summary.violation.runsToViolation,
      msToViolation,
      property: summary.violation.property,
      shrunkOps: after.ops,
      shrunkContextSwitches: after.contextSwitches,
      tracePath: options.outDir === null ? null : summary.violation.tracePath,
    };
  } finally {
    if (options.outDir === null) rmSync(outDir, { recursive: true, force: true });
  }
}
