import { describe, expect, it } from "vitest";
import { SwitchListSource, countContextSwitches } from "../../harness/choice/switch-list.ts";
import { PctSource, drawPctParameters } from "../../harness/choice/pct.ts";
import { RandomSource } from "../../harness/choice/random.ts";
import { LenientReplaySource, ReplaySource } from "../../harness/choice/replay.ts";
import { ScheduleDivergence, formatCpuList } from "../../harness/choice/choice-source.ts";
import { Prng } from "../../harness/prng.ts";

const context = (step: number, current: number | null, runnable: number[]) => ({
  step,
  current,
  currentRunnable: current !== null && runnable.includes(current),
  runnable,
});

describe("SwitchListSource", () => {
  it("switches after the gap to the offset CPU", () => {
    const source = new SwitchListSource([{ gap: 2, offset: 1 }]);
    expect(source.choose(context(0, null, [0, 1, 2]))).toBe(0);
    expect(source.choose(context(1, 0, [0, 1, 2]))).toBe(0);
    expect(source.choose(context(2, 0, [0, 1, 2]))).toBe(0);
    expect(source.choose(context(3, 0, [0, 1, 2]))).toBe(2);
    expect(source.choose(context(4, 2, [0, 1, 2]))).toBe(2);
  });

  it("wraps offsets around the other CPUs", () => {
    const source = new SwitchListSource([{ gap: 0, offset: 5 }]);
    source.choose(context(0, null, [0, 1, 2]));
    // Others of CPU 0 in rotation order are 1 and 2; offset 5 modulo 2 picks the second.
    expect(source.choose(context(1, 0, [0, 1, 2]))).toBe(2);
  });

  it("forces a switch without consuming an entry", () => {
    const source = new SwitchListSource([{ gap: 0, offset: 0 }]);
    expect(source.choose(context(0, 1, [0, 2]))).toBe(2);
    expect(source.choose(context(1, 2, [0, 2]))).toBe(0);
  });

  it("keeps the current CPU when the list is empty", () => {
    const source = new SwitchListSource([]);
    expect(source.choose(context(5, 1, [0, 1, 2]))).toBe(1);
  });
});

describe("ReplaySource", () => {
  it("follows the recorded CPUs", () => {
    const source = new ReplaySource([1, 0]);
    expect(source.choose(context(0, null, [0, 1]))).toBe(1);
    expect(source.choose(context(1, 1, [0, 1]))).toBe(0);
  });

  it("raises a divergence naming the step", () => {
    const source = new ReplaySource([2]);
    expect(() => source.choose(context(0, null, [0, 1]))).toThrow(ScheduleDivergence);
    expect(() => source.choose(context(0, null, [0, 1]))).toThrow("step 0: expected CPU 2, runnable were 0 and 1");
  });

  it("raises a divergence when the record ends early", () => {
    const source = new ReplaySource([0]);
    expect(() => source.choose(context(1, 0, [0, 1]))).toThrow("step 1: the recorded schedule ended after 1 step, but CPUs 0 and 1 can still run");
  });

  it("lenient replay falls back to the current CPU", () => {
    const source = new LenientReplaySource([3]);
    expect(source.choose(context(0, 1, [0, 1]))).toBe(1);
    expect(source.choose(context(1, 1, [0, 2]))).toBe(0);
  });
});

describe("PctSource", () => {
  it("runs the highest-priority runnable CPU", () => {
    const source = new PctSource({ priorities: [3, 5, 4], changePoints: [] });
    expect(source.choose(context(0, null, [0, 1, 2]))).toBe(1);
    expect(source.choose(context(1, 1, [0, 2]))).toBe(2);
  });

  it("lowers the running CPU at a change point", () => {
    const source = new PctSource({ priorities: [2, 3], changePoints: [4] });
    expect(source.choose(context(3, 1, [0, 1]))).toBe(1);
    expect(source.choose(context(4, 1, [0, 1]))).toBe(0);
    expect(source.choose(context(5, 0, [0, 1]))).toBe(0);
  });

  it("draws distinct priorities above the depth", () => {
    const parameters = drawPctParameters(new Prng(1), 4, 3, 100);
    expect([...parameters.priorities].sort()).toEqual([3, 4, 5, 6]);
    expect(parameters.changePoints).toHaveLength(2);
    for (const point of parameters.changePoints) {
      expect(point).toBeGreaterThanOrEqual(1);
      expect(point).toBeLessThanOrEqual(100);
    }
  });
});

describe("RandomSource", () => {
  it("repeats its choices for the same seed", () => {
    const pick = (seed: number) => {
      const source = new RandomSource(seed, 0.5);
      const choices: number[] = [];
      let current: number | null = null;
      for (let step = 0; step < 50; step++) {
        current = source.choose(context(step, current, [0, 1, 2, 3]));
        choices.push(current);
      }
      return choices;
    };
    expect(pick(42)).toEqual(pick(42));
    expect(pick(42)).not.toEqual(pick(43));
  });
});

describe("schedule helpers", () => {
  it("counts context switches", () => {
    expect(countContextSwitches([0, 0, 1, 1, 0, 2])).toBe(3);
    expect(countContextSwitches([])).toBe(0);
  });

  it("formats CPU lists", () => {
    expect(formatCpuList([0])).toBe("0");
    expect(formatCpuList([0, 1, 3])).toBe("0, 1 and 3");
  });
});
