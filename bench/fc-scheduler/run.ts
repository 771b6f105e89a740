/**
 * The comparison harness: the checker's run, but with every preemption
 * point awaited through fast-check's promise scheduler instead of the
 * synchronous engine.
 *
 * Each simulated CPU becomes an async task that, before each step, awaits a
 * promise scheduled with `s.schedule(...)`. The scheduler comes from
 * `fc.schedulerFor(ordering)`, whose task selector reads `ordering` lazily
 * (fast-check 4.10.2, SchedulerImplem with buildNextTaskIndex), so the driver
 * appends the id of the CPU that the SwitchListSource picks just before it
 * releases a task with `s.waitFor(...)`. The switch list therefore produces
 * the same schedule as under the engine, and every step runs the same
 * property checks (checker/checked-system.ts).
 */
import fc from "fast-check";
import { SwitchListSource } from "../../harness/choice/switch-list.ts";
import type { ContextSwitch } from "../../harness/choice/switch-list.ts";
import type { CpuId, CpuThread, PreemptionPoint } from "../../harness/points.ts";
import type { BenchInput } from "../workload.ts";
import { SubjectFault } from "../../harness/points.ts";
import { CheckedSystem } from "../../checker/checked-system.ts";

export interface SchedulerRunResult {
  readonly kind: "completed" | "violation";
  readonly steps: number;
  /** The broken property, or null for a completed run. */
  readonly property: string | null;
  readonly schedule: readonly CpuId[];
}

/** Checks the driver runs after every step and once at the end of a completed run; each throws to report a violation. */
export interface RunChecks {
  readonly afterStep: () => void;
  readonly atEnd: () => void;
}

/** Runs one input under fast-check's scheduler with every property checked after every step. */
export function runWithFcScheduler(input: BenchInput, maxSteps: number): Promise<SchedulerRunResult> {
  const system = new CheckedSystem(input.config, input.programs);
  const threads: CpuThread[] = input.programs.map((program, cpu) => system.cpuThread(cpu, program));
  // With no event log, stepEnded uses neither the step nor the CPU.
  return runThreadsWithFcScheduler(threads, input.switches, maxSteps, {
    afterStep: () => system.stepEnded(0, 0),
    atEnd: () => system.checkFinalState(),
  });
}

/** Runs simulated CPUs under fast-check's scheduler, scheduled by the switch list, with the given checks. */
export async function runThreadsWithFcScheduler(
  threads: readonly CpuThread[],
  switches: readonly ContextSwitch[],
  maxSteps: number,
  checks: RunChecks,
): Promise<SchedulerRunResult> {
  const ordering: number[] = [];
  const scheduler = fc.schedulerFor(ordering);
  const source = new SwitchListSource(switches);
  const cpus = threads.length;

  const pending = new Array<PreemptionPoint | null>(cpus).fill(null);
  const finished = new Array<boolean>(cpus).fill(false);
  /** The scheduler's id of the task each CPU awaits: fast-check numbers tasks 1, 2, 3, … in the order they are scheduled. */
  const awaitedTask = new Array<number>(cpus).fill(0);
  let scheduledTasks = 0;
  let fault: { readonly error: unknown } | null = null;
  let stepEnded: (() => void) | null = null;

  const cpuTask = async (cpu: CpuId): Promise<void> => {
    for (;;) {
      awaitedTask[cpu] = ++scheduledTasks;
      await scheduler.schedule(Promise.resolve(), `CPU ${cpu}`);
      try {
        const result = threads[cpu].next();
        if (result.done === true) finished[cpu] = true;
        else pending[cpu] = result.value;
        checks.afterStep();
      } catch (error) {
        // A harness bug is rethrown by the driver, as the engine does, once this step has signalled its end.
        fault = { error };
      }
      const signal = stepEnded;
      stepEnded = null;
      signal?.();
      if (finished[cpu] || fault !== null) return;
    }
  };
  const tasks = threads.map((_, cpu) => cpuTask(cpu));

  const schedule: CpuId[] = [];
  const runnable: CpuId[] = [];
  let current: CpuId | null = null;
  for (let step = 0; ; step++) {
    runnable.length = 0;
    for (let cpu = 0; cpu < cpus; cpu++) {
      const point = pending[cpu];
      if (finished[cpu] || (point !== null && point.kind === "acquire" && point.lock.holder !== null)) continue;
      runnable.push(cpu);
    }
    if (runnable.length === 0) {
      if (finished.every(Boolean)) break;
      return { kind: "violation", steps: step, property: "no-deadlock", schedule };
    }
    if (step >= maxSteps) return { kind: "violation", steps: step, property: "step-bound", schedule };

    const cpu = source.choose({ step, current, currentRunnable: current !== null && runnable.includes(current), runnable });
    schedule.push(cpu);
    ordering.push(awaitedTask[cpu]);
    const stepped = new Promise<void>((resolve) => {
      stepEnded = resolve;
    });
    await scheduler.waitFor(stepped);
    const failure = fault as { readonly error: unknown } | null;
    if (failure !== null) {
      if (failure.error instanceof Error && failure.error.message.startsWith("harness bug")) throw failure.error;
      return { kind: "violation", steps: step + 1, property: brokenProperty(failure.error), schedule };
    }
    current = cpu;
  }

  await Promise.all(tasks);
  try {
    checks.atEnd();
  } catch (error) {
    return { kind: "violation", steps: schedule.length, property: brokenProperty(error), schedule };
  }
  return { kind: "completed", steps: schedule.length, property: null, schedule };
}

/** Names the property a thrown error stands for, as the engine does: a SubjectFault's own, else a crash of the port. */
export function brokenProperty(error: unknown): string {
  return error instanceof SubjectFault ? error.property : "no-crash";
}
