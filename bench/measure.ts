/**
 * Timing helpers: throughput of a harness over a list of inputs, measured
 * in rounds that alternate between harnesses so that a slow spell of a noisy
 * machine hits all of them alike.
 */
import type { BenchInput } from "./workload.ts";

/** Runs one input and returns the steps it took (0 where steps do not apply). */
export type Harness =
  | { readonly name: string; readonly kind: "sync"; readonly run: (input: BenchInput) => number }
  | { readonly name: string; readonly kind: "async"; readonly run: (input: BenchInput) => Promise<number> };

export interface Rate {
  readonly runs: number;
  readonly steps: number;
  readonly ms: number;
}

export const runsPerSecond = (rate: Rate): number => (rate.runs * 1000) / rate.ms;
export const stepsPerSecond = (rate: Rate): number => (rate.steps * 1000) / rate.ms;

/** Runs the inputs in order, over and over, until at least `minMs` have passed. */
export async function measure(harness: Harness, inputs: readonly BenchInput[], minMs: number): Promise<Rate> {
  let runs = 0;
  let steps = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    const input = inputs[runs % inputs.length];
    steps += harness.kind === "sync" ? harness.run(input) : await harness.run(input);
    runs++;
    elapsed = performance.now() - started;
  }
  return { runs, steps, ms: elapsed };
}

/** Measures every harness `rounds` times, alternating, after one untimed warm-up pass each; returns each harness's rates by round. */
export async function measureRounds(
  harnesses: readonly Harness[],
  inputs: readonly BenchInput[],
  rounds: number,
  minMs: number,
): Promise<Map<string, Rate[]>> {
  const rates = new Map<string, Rate[]>(harnesses.map((harness) => [harness.name, []]));
  for (const harness of harnesses) await measure(harness, inputs, Math.min(500, minMs));
  for (let round = 0; round < rounds; round++) {
    for (const harness of harnesses) rates.get(harness.name)!.push(await measure(harness, inputs, minMs));
  }
  return rates;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Returns the median over rounds of the ratio between two harnesses measured in the same round. */
export function medianRatio(numerator: readonly Rate[], denominator: readonly Rate[], of: (rate: Rate) => number): number {
  return median(numerator.map((rate, round) => of(rate) / of(denominator[round])));
}
