/**
 * Replays a recorded schedule, one CPU per step. Any step where the recorded
 * CPU cannot run, or where the run needs more steps than were recorded,
 * raises ScheduleDivergence naming the step, the expected CPU and the
 * runnable ones.
 */
import type { ChoiceContext, ChoiceSource } from "./choice-source.ts";
import { ScheduleDivergence, formatCpuList } from "./choice-source.ts";
import type { CpuId } from "../points.ts";

export class ReplaySource implements ChoiceSource {
  constructor(private readonly schedule: readonly CpuId[]) {}

  choose(context: ChoiceContext): CpuId {
    const { step, runnable } = context;
    if (step >= this.schedule.length) {
      throw new ScheduleDivergence(
        step,
        `step ${step}: the recorded schedule ended after ${this.schedule.length} ${this.schedule.length === 1 ? "step" : "steps"}, ` +
          `but ${runnable.length === 1 ? "CPU" : "CPUs"} ${formatCpuList(runnable)} can still run`,
      );
    }
    const expected = this.schedule[step];
    if (!runnable.includes(expected)) {
      throw new ScheduleDivergence(
        step,
        `step ${step}: expected CPU ${expected}, runnable were ${formatCpuList(runnable)}`,
      );
    }
    return expected;
  }
}

/** Runs each CPU to its end before the next, in increasing id order: the schedule of a sequential scenario. */
export class SequentialSource implements ChoiceSource {
  choose(context: ChoiceContext): CpuId {
    const { current, runnable } = context;
    if (current !== null && context.currentRunnable) return current;
    return runnable[0];
  }
}

/**
 * Follows a recorded schedule where it can and never diverges: where the
 * recorded CPU cannot run, or the record has ended, the current CPU
 * continues (or the lowest runnable one when it cannot). The minimiser uses
 * it to try schedules edited from a recorded one.
 */
export class LenientReplaySource implements ChoiceSource {
  constructor(private readonly schedule: readonly CpuId[]) {}

  choose(context: ChoiceContext): CpuId {
    const { step, runnable, current } = context;
    if (step < this.schedule.length && runnable.includes(this.schedule[step])) return this.schedule[step];
    if (current !== null && context.currentRunnable) return current;
    return runnable[0];
  }
}
