/**
 * The choice source fast-check drives: a list of context switches.
 *
 * Each entry means "let the current CPU take `gap` more steps, then switch to
 * the runnable CPU `offset` places after it". When the list runs out, the
 * current CPU simply continues, so a shorter list means fewer context
 * switches, and fast-check's shrinking of the list (dropping entries, moving
 * gaps and offsets toward 0) shrinks the schedule. When the current CPU
 * cannot continue (it finished or is blocked) the engine needs a forced
 * switch; it goes to the next runnable CPU in increasing id order, wrapping
 * around, and consumes no entry.
 */
import type { ChoiceContext, ChoiceSource } from "./choice-source.ts";
import type { CpuId } from "../points.ts";

export interface ContextSwitch {
  /** Steps the current CPU takes, at points where another CPU could run, before this switch. */
  readonly gap: number;
  /** Position of the runnable CPU to switch to among the others, counted from the current CPU in increasing id order, wrapping. */
  readonly offset: number;
}

export class SwitchListSource implements ChoiceSource {
  private next = 0;
  private stepsUntilSwitch: number;

  constructor(private readonly switches: readonly ContextSwitch[]) {
    this.stepsUntilSwitch = switches.length > 0 ? switches[0].gap : Infinity;
  }

  choose(context: ChoiceContext): CpuId {
    const { current, runnable } = context;
    if (current === null || !context.currentRunnable) return nextAfter(runnable, current ?? -1, 0);
    if (runnable.length === 1) return current;

    if (this.stepsUntilSwitch > 0) {
      this.stepsUntilSwitch--;
      return current;
    }
    const entry = this.switches[this.next++];
    this.stepsUntilSwitch = this.next < this.switches.length ? this.switches[this.next].gap : Infinity;
    return nextAfter(runnable, current, entry.offset);
  }
}

/**
 * Returns a runnable CPU other than `cpu`, counting `skip` places in
 * rotation order: first the ids above `cpu` in increasing order, then those
 * below it. `cpu` may be -1 (no current CPU) or a CPU that cannot run.
 */
function nextAfter(runnable: readonly CpuId[], cpu: CpuId, skip: number): CpuId {
  const others = runnable.includes(cpu) ? runnable.length - 1 : runnable.length;
  let remaining = skip % others;
  for (const candidate of runnable) {
    if (candidate > cpu && remaining-- === 0) return candidate;
  }
  for (const candidate of runnable) {
    if (candidate < cpu && remaining-- === 0) return candidate;
  }
  throw new Error(`harness bug: no runnable CPU other than ${cpu} among ${runnable.join(", ")}`);
}

/** Counts context switches in a recorded schedule: steps whose CPU differs from the previous step's. */
export function countContextSwitches(schedule: readonly CpuId[]): number {
  let switches = 0;
  for (let step = 1; step < schedule.length; step++) {
    if (schedule[step] !== schedule[step - 1]) switches++;
  }
  return switches;
}
