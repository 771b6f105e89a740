/**
 * The benchmark's workloads: configurations, programs of exactly the given
 * length, and switch lists, all drawn from the checker's own fast-check
 * arbitraries with fixed seeds, so every harness measured in one bench run
 * executes the same inputs.
 */
import fc from "fast-check";
import { caseArbitrary, switchListArbitrary } from "../checker/generators.ts";
import type { ContextSwitch } from "../harness/choice/switch-list.ts";
import type { CheckConfig, CpuProgram, MapOp } from "../checker/types.ts";

export interface Workload {
  readonly cpus: number;
  readonly maxEntries: number;
  readonly localFreeTarget: number;
  readonly maxWalks: number;
  readonly buckets: number;
  /** Operations per CPU, exactly. */
  readonly opsPerCpu: number;
  readonly keys: number;
  readonly variant: string;
}

/** 4 CPUs, 16 entries, LOCAL_FREE_TARGET 4, MAX_WALKS 4, 8 buckets, 32 operations per CPU over 24 keys, the RFC with its known fault fixed. */
export const STANDARD_WORKLOAD: Workload = {
  cpus: 4,
  maxEntries: 16,
  localFreeTarget: 4,
  maxWalks: 4,
  buckets: 8,
  opsPerCpu: 32,
  keys: 24,
  variant: "steal-sets-cpu",
};

/** One run's input: programs and the context switches that schedule them. */
export interface BenchInput {
  readonly config: CheckConfig;
  readonly programs: readonly CpuProgram[];
  readonly switches: readonly ContextSwitch[];
}

export function workloadConfig(workload: Workload): CheckConfig {
  return {
    cpus: workload.cpus,
    maxEntries: workload.maxEntries,
    localFreeTarget: workload.localFreeTarget,
    maxWalks: workload.maxWalks,
    buckets: workload.buckets,
    variant: workload.variant,
    mutant: null,
  };
}

/**
 * Generates `count` inputs from `seed`. The checker's program arbitrary
 * draws up to N operations per CPU; here the operations it draws are
 * concatenated into programs of exactly `opsPerCpu`, so that doubling the
 * operations doubles the work of every run.
 */
export function generateInputs(workload: Workload, count: number, seed: number): BenchInput[] {
  const config = workloadConfig(workload);
  const choices = { ...config };
  const cases = caseArbitrary(choices, { ops: workload.opsPerCpu, keys: workload.keys });
  // A drawn program has opsPerCpu / 2 operations on average, so three cases per input leave the pool larger than needed.
  const pool: MapOp[] = fc.sample(cases, { seed, numRuns: 3 * count }).flatMap((generated) => generated.programs.flat());
  if (pool.length === 0) throw new Error("bench: the program arbitrary drew no operations");

  const switchLists = fc.sample(switchListArbitrary(), { seed: seed + 1, numRuns: count });
  let next = 0;
  const takeOps = (length: number): MapOp[] => {
    const ops: MapOp[] = [];
    while (ops.length < length) ops.push(pool[next++ % pool.length]);
    return ops;
  };
  return switchLists.map((switches) => ({
    config,
    programs: Array.from({ length: workload.cpus }, () => takeOps(workload.opsPerCpu)),
    switches,
  }));
}
