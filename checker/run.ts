/**
 * One checker run: the port on simulated CPUs with every property attached
 * (checked-system.ts), driven by the engine with the given choice source.
 * Returns the recorded schedule, the results and the event log. This and
 * checked-system.ts are the only places that tie the harness to the LRU.
 */
import { runEngine } from "../harness/engine.ts";
import type { RunOutcome, Violation } from "../harness/engine.ts";
import type { ChoiceSource } from "../harness/choice/choice-source.ts";
import { SubjectFault } from "../harness/points.ts";
import type { CpuId, CpuThread } from "../harness/points.ts";
import { observeLru } from "../impl/observe.ts";
import type { TraceEvent } from "../trace/format.ts";
import { CheckedSystem } from "./checked-system.ts";
import type { CheckOptions } from "./checked-system.ts";
import type { CheckConfig, CpuProgram, OpResult } from "./types.ts";

export interface RunSetup extends CheckOptions {
  readonly config: CheckConfig;
  readonly programs: readonly CpuProgram[];
  readonly choices: ChoiceSource;
  readonly maxSteps: number;
  /** Build the per-step event log (slower; needed for traces and replay). */
  readonly recordEvents: boolean;
}

export interface RunReport {
  readonly outcome: RunOutcome;
  /** The CPU chosen at each step, recorded as each decision was made. */
  readonly schedule: readonly CpuId[];
  /** Per CPU, the results of the operations that ended. */
  readonly results: readonly (readonly OpResult[])[];
  readonly events: readonly TraceEvent[] | null;
  /** Keys and values reachable from the hash table at the end (or at the violation). */
  readonly finalKeys: Readonly<Record<string, number>>;
  readonly evictions: number;
}

/** Runs the programs once and checks every property; a fault of the port becomes a violation, never an exception. */
export function runCheck(setup: RunSetup): RunReport {
  const system = new CheckedSystem(setup.config, setup.programs, setup);
  const schedule: CpuId[] = [];
  const threads: CpuThread[] = setup.programs.map((program, cpu) => system.cpuThread(cpu, program));

  let outcome = runEngine({
    threads,
    choices: setup.choices,
    maxSteps: setup.maxSteps,
    onDecision: (_step, cpu, point) => {
      schedule.push(cpu);
      system.stepStarted(cpu, point);
    },
    afterStep: (step, cpu) => system.stepEnded(step, cpu),
    describeCpu: (cpu) => system.describeCpu(cpu),
  });
  if (outcome.kind === "completed") outcome = finalOutcome(system, outcome.steps);

  return {
    outcome,
    schedule,
    results: system.results,
    events: system.log === null ? null : system.log.events,
    finalKeys: observeLru(system.map).htab.keys,
    evictions: system.evictions,
  };
}

function finalOutcome(system: CheckedSystem, steps: number): RunOutcome {
  try {
    system.checkFinalState();
    return { kind: "completed", steps };
  } catch (error) {
    if (!(error instanceof SubjectFault)) throw error;
    const violation: Violation = { property: error.property, message: `at the end of the run: ${error.message}`, step: Math.max(0, steps - 1), cpu: null };
    return { kind: "violation", steps, violation };
  }
}
