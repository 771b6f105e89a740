/**
 * The port alone. The physical limit runs the same programs, each CPU's
 * program to its end in CPU order, with no scheduler, no observer and no
 * property checks. The bare threads give a scheduler the same port with no
 * observer, to time scheduling apart from checking.
 */
import { LockOps } from "../harness/points.ts";
import type { CpuThread, Sim } from "../harness/points.ts";
import { NULL_OBSERVER } from "../impl/events.ts";
import { HtabLru } from "../impl/htab-lru.ts";
import { runSequential } from "../impl/sequential.ts";
import type { CpuProgram, MapOp } from "../checker/types.ts";
import type { BenchInput } from "./workload.ts";

/** Runs one input's programs sequentially; returns the sum of the operations' results, so no call can be optimised away. */
export function runRawPort(input: BenchInput): number {
  const map = barePort(input);
  let sum = 0;
  input.programs.forEach((program, cpu) => {
    for (const op of program) sum += runSequential(call(map, cpu, op));
  });
  return sum;
}

/** Builds one simulated CPU per program over a port with no observer: a scheduler's work without property checks. */
export function bareThreads(input: BenchInput): CpuThread[] {
  const map = barePort(input);
  return input.programs.map((program, cpu) => programThread(map, cpu, program));
}

function* programThread(map: HtabLru, cpu: number, program: CpuProgram): CpuThread {
  for (const op of program) yield* call(map, cpu, op);
}

function barePort(input: BenchInput): HtabLru {
  const { config } = input;
  return new HtabLru(
    {
      nrCpus: config.cpus,
      maxEntries: config.maxEntries,
      localFreeTarget: config.localFreeTarget,
      maxWalks: config.maxWalks,
      buckets: config.buckets,
      variant: config.variant,
      mutant: config.mutant,
    },
    new LockOps(null),
    NULL_OBSERVER,
  );
}

function call(map: HtabLru, cpu: number, op: MapOp): Sim<number> {
  switch (op.op) {
    case "update":
      return map.update(cpu, op.key, op.value, op.flags);
    case "lookup":
      return map.lookup(cpu, op.key);
    case "lookup_sys":
      return map.lookupSys(cpu, op.key);
    case "delete":
      return map.delete(cpu, op.key);
  }
}
