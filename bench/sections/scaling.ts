/**
 * Scaling: the checker's throughput when the standard workload's CPUs,
 * entries or operations per CPU double, one at a time, measured in rounds
 * that alternate between the workloads.
 */
import { checkerHarness } from "../harnesses.ts";
import { measure, median, runsPerSecond } from "../measure.ts";
import type { Rate } from "../measure.ts";
import { generateInputs } from "../workload.ts";
import type { BenchInput, Workload } from "../workload.ts";

export interface ScalingRow {
  readonly change: string;
  readonly workload: Workload;
  readonly runsPerSecond: number;
  readonly stepsPerRun: number;
  /** Time per run relative to the standard workload's, as the median of same-round ratios. */
  readonly costRatio: number;
}

export async function measureScaling(standard: Workload, rounds: number, minMs: number): Promise<ScalingRow[]> {
  const cases: { change: string; workload: Workload }[] = [
    { change: "standard", workload: standard },
    { change: "CPUs x2", workload: { ...standard, cpus: 2 * standard.cpus } },
    { change: "entries x2", workload: { ...standard, maxEntries: 2 * standard.maxEntries } },
    { change: "operations x2", workload: { ...standard, opsPerCpu: 2 * standard.opsPerCpu } },
  ];
  const inputs: BenchInput[][] = cases.map((entry) => generateInputs(entry.workload, 200, 1));
  const rates: Rate[][] = cases.map(() => []);

  for (const list of inputs) await measure(checkerHarness, list, Math.min(500, minMs));
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < cases.length; index++) rates[index].push(await measure(checkerHarness, inputs[index], minMs));
  }

  return cases.map((entry, index) => ({
    change: entry.change,
    workload: entry.workload,
    runsPerSecond: median(rates[index].map(runsPerSecond)),
    stepsPerRun: median(rates[index].map((rate) => rate.steps / rate.runs)),
    costRatio: median(rates[index].map((rate, round) => runsPerSecond(rates[0][round]) / runsPerSecond(rate))),
  }));
}
