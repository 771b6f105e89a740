/**
 * Ranges of the configuration and operation fields, shared by the CLI's
 * option checks and the trace schema so that every configuration the CLI
 * accepts can be saved and loaded again. `trace.schema.json` repeats these
 * numbers because JSON has no imports; a test keeps the two in step.
 */

/** INT_MAX of a 32-bit C int: the upper bound of keys, values, seeds and run numbers. */
export const INT_MAX = 2 ** 31 - 1;

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

export const CONFIG_LIMITS = {
  /** Simulated CPUs. */
  cpus: { min: 1, max: 8 },
  maxEntries: { min: 1, max: 4096 },
  localFreeTarget: { min: 1, max: INT_MAX },
  maxWalks: { min: 1, max: INT_MAX },
  /**
   * Hash buckets, a power of two. The kernel's htab sizes its table to
   * roundup_pow_of_two(max_entries), at most 4096 here; 65536 leaves room to
   * experiment without allocating an absurd bucket array.
   */
  buckets: { min: 1, max: 65536 },
} as const satisfies Record<string, IntegerRange>;

/** Keys and values of map operations, and values returned by lookups. */
export const KEY_RANGE: IntegerRange = { min: 0, max: INT_MAX };
export const VALUE_RANGE: IntegerRange = { min: 0, max: INT_MAX };

/** Seeds of the checker's generators, and run numbers within one seed. */
export const SEED_RANGE: IntegerRange = { min: 0, max: INT_MAX };
export const RUN_RANGE: IntegerRange = { min: 0, max: INT_MAX };

/** Returns whether `n` is an integer power of two from 1 to 2^30. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 2 ** 30 && (n & (n - 1)) === 0;
}

/** Returns the powers of two nearest to `n` from below and above, for "use 4 or 8" hints. */
export function nearestPowersOfTwo(n: number): { below: number; above: number } {
  let above = 1;
  while (above < n && above < 2 ** 30) above *= 2;
  const below = above > 1 && above > n ? above / 2 : above;
  return { below, above };
}
