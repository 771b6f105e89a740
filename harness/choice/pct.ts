/**
 * Probabilistic Concurrency Testing: Burckhardt, Kothari, Musuvathi and
 * Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of
 * Finding Bugs", ASPLOS 2010.
 *
 * Each CPU gets a distinct initial priority of at least `depth`; d - 1 change
 * points are steps of the run. The highest-priority runnable CPU always runs.
 * At change point number i (1-based) the CPU that took the previous step
 * drops to priority i, below every initial priority. A bug of depth d is then
 * found with probability at least 1 / (n * k^(d-1)) for n CPUs and k steps.
 *
 * How this differs from the paper: a step is one preemption point of the
 * simulated machine (a lock operation or an unlocked shared access), not one
 * instruction, so k counts far fewer steps; k is not known before the run, so
 * change points are drawn from an estimate the caller supplies (a change
 * point beyond the real run length never fires); and a CPU blocked on a lock
 * is not runnable, which the paper also assumes of a disabled thread.
 */
import type { ChoiceContext, ChoiceSource } from "./choice-source.ts";
import type { CpuId } from "../points.ts";
import type { Prng } from "../prng.ts";

export interface PctParameters {
  /** Initial priority per CPU, all distinct and at least `changePoints.length + 1`. */
  readonly priorities: readonly number[];
  /** Steps at which a priority change happens; change i lowers the running CPU to priority i + 1. */
  readonly changePoints: readonly number[];
}

export class PctSource implements ChoiceSource {
  private readonly priorities: number[];
  private readonly changeAt = new Map<number, number>();

  constructor(parameters: PctParameters) {
    this.priorities = [...parameters.priorities];
    parameters.changePoints.forEach((step, index) => {
      if (!this.changeAt.has(step)) this.changeAt.set(step, index + 1);
    });
  }

  choose(context: ChoiceContext): CpuId {
    const lowered = this.changeAt.get(context.step);
    if (lowered !== undefined && context.current !== null) {
      this.priorities[context.current] = lowered;
    }

    let best = context.runnable[0];
    for (const cpu of context.runnable) {
      if (this.priorities[cpu] > this.priorities[best]) best = cpu;
    }
    return best;
  }
}

/** Draws PCT parameters as the paper does: a random priority permutation and d - 1 uniform change points in [1, expectedSteps]. */
export function drawPctParameters(prng: Prng, cpus: number, depth: number, expectedSteps: number): PctParameters {
  const priorities = Array.from({ length: cpus }, (_, cpu) => depth + cpu);
  for (let i = cpus - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    [priorities[i], priorities[j]] = [priorities[j], priorities[i]];
  }
  const changePoints = Array.from({ length: depth - 1 }, () => 1 + prng.nextInt(Math.max(1, expectedSteps)));
  return { priorities, changePoints };
}
