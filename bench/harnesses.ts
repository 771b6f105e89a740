/**
 * The harnesses the benchmark compares on the same inputs: the checker, the
 * engine alone, fast-check's scheduler with and without the checks, and the
 * raw port. Each counts violations, which the standard workload should have
 * none of, so the report can flag a run that did not complete.
 */
import { runEngine } from "../harness/engine.ts";
import { SwitchListSource } from "../harness/choice/switch-list.ts";
import { runCheck } from "../checker/run.ts";
import { defaultMaxSteps } from "../checker/trace-builder.ts";
import { runThreadsWithFcScheduler, runWithFcScheduler } from "./fc-scheduler/run.ts";
import type { Harness } from "./measure.ts";
import { bareThreads, runRawPort } from "./raw-port.ts";
import type { BenchInput } from "./workload.ts";

export const CHECKER = "checker, every property";
export const ENGINE_ONLY = "engine alone, no checks";
export const FC_SCHEDULER = "fc.scheduler, every property";
export const FC_SCHEDULER_ONLY = "fc.scheduler alone, no checks";
export const RAW_PORT = "raw port, sequential";

/** Runs that ended in a violation, per harness name. */
export const violationCounts = new Map<string, number>();

function countViolation(name: string, violated: boolean): void {
  if (violated) violationCounts.set(name, (violationCounts.get(name) ?? 0) + 1);
}

const maxStepsOf = (input: BenchInput): number => defaultMaxSteps(input.programs, input.config);
const noChecks = { afterStep: () => {}, atEnd: () => {} };

export const checkerHarness: Harness = {
  name: CHECKER,
  kind: "sync",
  run: (input) => {
    const { outcome } = runCheck({
      config: input.config,
      programs: input.programs,
      choices: new SwitchListSource(input.switches),
      maxSteps: maxStepsOf(input),
      recordEvents: false,
    });
    countViolation(CHECKER, outcome.kind !== "completed");
    return outcome.steps;
  },
};

export const engineOnlyHarness: Harness = {
  name: ENGINE_ONLY,
  kind: "sync",
  run: (input) => {
    const outcome = runEngine({ threads: bareThreads(input), choices: new SwitchListSource(input.switches), maxSteps: maxStepsOf(input) });
    countViolation(ENGINE_ONLY, outcome.kind !== "completed");
    return outcome.steps;
  },
};

export const fcSchedulerHarness: Harness = {
  name: FC_SCHEDULER,
  kind: "async",
  run: async (input) => {
    const result = await runWithFcScheduler(input, maxStepsOf(input));
    countViolation(FC_SCHEDULER, result.kind !== "completed");
    return result.steps;
  },
};

export const fcSchedulerOnlyHarness: Harness = {
  name: FC_SCHEDULER_ONLY,
  kind: "async",
  run: async (input) => {
    const result = await runThreadsWithFcScheduler(bareThreads(input), input.switches, maxStepsOf(input), noChecks);
    countViolation(FC_SCHEDULER_ONLY, result.kind !== "completed");
    return result.steps;
  },
};

export const rawPortHarness: Harness = {
  name: RAW_PORT,
  kind: "sync",
  run: (input) => {
    runRawPort(input);
    return 0;
  },
};
