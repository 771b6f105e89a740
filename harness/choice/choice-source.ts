import type { CpuId } from "../points.ts";

/** What a choice source sees when the engine asks it for the next CPU. */
export interface ChoiceContext {
  /** Index of the decision within the run, starting at 0. */
  readonly step: number;
  /** The CPU that ran the previous step, or null before the first step. */
  readonly current: CpuId | null;
  /** Whether `current` is among `runnable` (false when it finished or blocked). */
  readonly currentRunnable: boolean;
  /** CPUs that can take a step now, in increasing order; never empty. */
  readonly runnable: readonly CpuId[];
}

/**
 * The single source of nondeterminism of a run. The engine calls `choose` at
 * every preemption point, including those with one runnable CPU, and runs the
 * CPU it returns. Implementations must be deterministic functions of their own
 * construction arguments and the contexts they were given.
 */
export interface ChoiceSource {
  choose(context: ChoiceContext): CpuId;
}

/** Raised by a choice source whose recorded schedule cannot be followed. */
export class ScheduleDivergence extends Error {
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
    this.name = "ScheduleDivergence";
  }
}

/** Lists CPUs for messages: "0 and 1", "0, 1 and 3". */
export function formatCpuList(cpus: readonly CpuId[]): string {
  if (cpus.length === 0) return "none";
  if (cpus.length === 1) return String(cpus[0]);
  return `${cpus.slice(0, -1).join(", ")} and ${cpus[cpus.length - 1]}`;
}
