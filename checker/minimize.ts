/**
 * Minimises a counterexample after fast-check's shrinking: fewer CPUs, fewer
 * operations, fewer context switches, smaller parameters. Each candidate is
 * run with a lenient replay of the current schedule and kept when it breaks
 * the same property. The kept candidate's own recorded schedule then becomes
 * the current one. The budget counts runs, not time, so the result is the
 * same on every machine.
 */
import { LenientReplaySource } from "../harness/choice/replay.ts";
import { countContextSwitches } from "../harness/choice/switch-list.ts";
import type { CpuId } from "../harness/points.ts";
import { runCheck } from "./run.ts";
import type { RunReport } from "./run.ts";
import type { CheckConfig, CpuProgram } from "./types.ts";

export interface Counterexample {
  readonly config: CheckConfig;
  readonly programs: readonly CpuProgram[];
  readonly schedule: readonly CpuId[];
  readonly property: string;
}

export interface MinimizeResult {
  readonly counterexample: Counterexample;
  readonly report: RunReport;
  readonly candidatesTried: number;
}

/** Measures how large a counterexample is: what the minimiser drives down, in order of importance. */
export function counterexampleSize(example: Counterexample): { cpus: number; ops: number; contextSwitches: number; steps: number } {
  return {
    cpus: example.programs.filter((program) => program.length > 0).length,
    ops: example.programs.reduce((sum, program) => sum + program.length, 0),
    contextSwitches: countContextSwitches(example.schedule),
    steps: example.schedule.length,
  };
}

export function minimizeCounterexample(start: Counterexample, maxSteps: number, budget = 3000): MinimizeResult {
  let current = start;
  let report = evaluate(start, maxSteps);
  if (report === null) throw new Error(`harness bug: the counterexample for ${start.property} does not reproduce under lenient replay`);
  let tried = 0;

  const attempt = (candidate: Omit<Counterexample, "property">): boolean => {
    if (tried >= budget) return false;
    tried++;
    const next = { ...candidate, property: current.property };
    const result = evaluate(next, maxSteps);
    if (result === null) return false;
    current = { ...next, schedule: result.schedule };
    report = result;
    return true;
  };

  let improved = true;
  while (improved && tried < budget) {
    improved = false;
    improved = dropCpus(current, attempt) || improved;
    improved = dropOperations(current, attempt) || improved;
    improved = dropContextSwitches(() => current, attempt) || improved;
    improved = shrinkParameters(current, attempt) || improved;
  }
  return { counterexample: current, report, candidatesTried: tried };
}

/** Runs a candidate; returns its report when it breaks the same property, else null. */
function evaluate(example: Counterexample, maxSteps: number): RunReport | null {
  const report = runCheck({
    config: example.config,
    programs: example.programs,
    choices: new LenientReplaySource(example.schedule),
    maxSteps,
    recordEvents: false,
  });
  if (report.outcome.kind !== "violation" || report.outcome.violation.property !== example.property) return null;
  return report;
}

type Attempt = (candidate: Omit<Counterexample, "property">) => boolean;

function dropCpus(example: Counterexample, attempt: Attempt): boolean {
  for (let cpu = example.config.cpus - 1; cpu >= 0 && example.config.cpus > 1; cpu--) {
    const programs = example.programs.filter((_, index) => index !== cpu);
    const schedule = example.schedule.filter((id) => id !== cpu).map((id) => (id > cpu ? id - 1 : id));
    if (attempt({ config: { ...example.config, cpus: example.config.cpus - 1 }, programs, schedule })) return true;
  }
  return false;
}

function dropOperations(example: Counterexample, attempt: Attempt): boolean {
  let improved = false;
  let current = example;
  for (let cpu = 0; cpu < current.programs.length; cpu++) {
    for (let index = current.programs[cpu].length - 1; index >= 0; index--) {
      const programs = current.programs.map((program, id) => (id === cpu ? program.filter((_, i) => i !== index) : program));
      if (attempt({ config: current.config, programs, schedule: current.schedule })) {
        improved = true;
        current = { ...current, programs };
      }
    }
  }
  return improved;
}

/** Removes one run of consecutive steps of one CPU at a time, so that CPU's work moves to its next turn. */
function dropContextSwitches(current: () => Counterexample, attempt: Attempt): boolean {
  let improved = false;
  let segment = 1;
  for (;;) {
    const example = current();
    const bounds = segmentBounds(example.schedule);
    if (segment >= bounds.length) return improved;
    const [start, end] = bounds[segment];
    const schedule = [...example.schedule.slice(0, start), ...example.schedule.slice(end)];
    if (attempt({ config: example.config, programs: example.programs, schedule }) &&
        countContextSwitches(current().schedule) < countContextSwitches(example.schedule)) {
      improved = true;
    } else {
      segment++;
    }
  }
}

function segmentBounds(schedule: readonly CpuId[]): [number, number][] {
  const bounds: [number, number][] = [];
  let start = 0;
  for (let step = 1; step <= schedule.length; step++) {
    if (step === schedule.length || schedule[step] !== schedule[start]) {
      bounds.push([start, step]);
      start = step;
    }
  }
  return bounds;
}

function shrinkParameters(example: Counterexample, attempt: Attempt): boolean {
  const { config } = example;
  const smaller: Partial<CheckConfig>[] = [];
  if (config.buckets > 1) smaller.push({ buckets: 1 });
  if (config.maxEntries > 1) smaller.push({ maxEntries: config.maxEntries - 1 });
  if (config.localFreeTarget > 1) smaller.push({ localFreeTarget: Math.max(1, config.localFreeTarget >> 1) });
  if (config.maxWalks > 1) smaller.push({ maxWalks: Math.max(1, config.maxWalks >> 1) });
  for (const change of smaller) {
    if (attempt({ config: { ...config, ...change }, programs: example.programs, schedule: example.schedule })) return true;
  }
  return false;
}
