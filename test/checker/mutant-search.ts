/**
 * The search every seeded bug must fall to, shared by the kill tests and the
 * base-variant test so that both run exactly the same configurations,
 * programs and schedules.
 */
import type { CheckJobOptions } from "../../checker/check-job.ts";
import { mutantJobOptions } from "../../checker/mutant-kill.ts";
import { MUTANT_BASE_VARIANT } from "../../impl/variants.ts";

export const SEARCH_SEED = 1;
/** Runs per seeded bug; on seed 1 the slowest find takes about 1500. */
export const SEARCH_RUNS = 5000;

/** Returns the job options of the seeded-bug search with no seeded bug switched in. */
export function baseVariantJobOptions(outDir: string): CheckJobOptions {
  const hunt = mutantJobOptions("base", { runs: SEARCH_RUNS, seed: SEARCH_SEED, outDir }, outDir);
  return { ...hunt, choices: { variant: MUTANT_BASE_VARIANT, mutant: null } };
}

/** Counts calls instead of reading a clock, so that no test depends on wall-clock time. */
export function tickClock(): () => number {
  let ticks = 0;
  return () => ticks++;
}
