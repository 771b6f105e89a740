/**
 * Seeded random choices: at each point where another CPU could run, switch
 * with probability `switchProbability` to a runnable CPU picked uniformly
 * among the others, else let the current CPU continue.
 */
import type { ChoiceContext, ChoiceSource } from "./choice-source.ts";
import type { CpuId } from "../points.ts";
import { Prng } from "../prng.ts";

export class RandomSource implements ChoiceSource {
  private readonly prng: Prng;

  constructor(
    seed: number,
    private readonly switchProbability = 0.25,
  ) {
    this.prng = new Prng(seed);
  }

  choose(context: ChoiceContext): CpuId {
    const { current, runnable } = context;
    if (current === null || !context.currentRunnable) return runnable[this.prng.nextInt(runnable.length)];
    if (runnable.length === 1) return current;
    if (this.prng.nextUint32() / 0x1_0000_0000 >= this.switchProbability) return current;

    const pick = this.prng.nextInt(runnable.length - 1);
    const index = runnable.indexOf(current);
    return runnable[(index + 1 + pick) % runnable.length];
  }
}
