/**
 * The port alone. The physical limit runs the same programs, each CPU's
 * program to its end in CPU order, with no scheduler, no observer and no
 * property checks. The bare threads give a scheduler the same port with no
 * observer, to time scheduling apart from checking.
 */
import { LockOps } from "../harness/points.ts";
import type { CpuThread } from "../harness/points.ts";
import { NULL_OBSERVER } from "../impl/events.ts";
import type { HtabLru } from "../impl/htab-lru.ts";
import { callMapOp, createPort } from "../checker/port.ts";
import { runSequential } from "../impl/sequential.ts";
import type { CpuProgram } from "../checker/types.ts";
import type { BenchInput } from "./workload.ts";

/** Runs one input's programs sequentially; returns the sum of the operations' results, so no call can be optimised away. */
export function runRawPort(input: BenchInput): number {
  const map = barePort(input);
  let sum = 0;
  input.programs.forEach((program, cpu) => {
    for (const op of program) sum += runSequential(callMapOp(map, cpu, op));
  });
  return sum;
}

/** Builds one simulated CPU per program over a port with no observer: a scheduler's work without property checks. */
export function bareThreads(input: BenchInput): CpuThread[] {
  const map = barePort(input);
  return input.programs.map((program, cpu) => programThread(map, cpu, program));
}

function* programThread(map: HtabLru, cpu: number, program: CpuProgram): CpuThread {
  for (const op of program) yield* callMapOp(map, cpu, op);
}

function barePort(input: BenchInput): HtabLru {
  return createPort(input.config, new LockOps(null), NULL_OBSERVER);
}
