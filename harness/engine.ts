/**
 * The deterministic engine: runs simulated CPUs one step at a time, where a
 * step is everything a CPU does between two preemption points, and lets a
 * choice source pick the runnable CPU that takes each step.
 *
 * The engine knows nothing about the subject. It sees generators, spinlocks
 * and preemption points; the subject's invariants come in through
 * `afterStep`, and context for messages through `describeCpu`.
 */
import type { ChoiceContext, ChoiceSource } from "./choice/choice-source.ts";
import { ScheduleDivergence, formatCpuList } from "./choice/choice-source.ts";
import type { CpuId, CpuThread, PreemptionPoint } from "./points.ts";
import { SubjectFault } from "./points.ts";

export interface Violation {
  /** Name of the broken property, such as "deadlock" or "node-in-one-list". */
  readonly property: string;
  readonly message: string;
  /** The step after which the property was found broken. */
  readonly step: number;
  /** The CPU that took that step, or null when no single CPU is to blame. */
  readonly cpu: CpuId | null;
}

export type RunOutcome =
  | { readonly kind: "completed"; readonly steps: number }
  | { readonly kind: "violation"; readonly steps: number; readonly violation: Violation }
  | { readonly kind: "diverged"; readonly steps: number; readonly step: number; readonly message: string };

export interface EngineOptions {
  /** One generator per simulated CPU; the index is the CPU id. */
  readonly threads: readonly CpuThread[];
  readonly choices: ChoiceSource;
  /** Upper bound on steps; a run that reaches it is reported as a livelock. */
  readonly maxSteps: number;
  /** Called with each decision the moment it is made, before the chosen CPU runs. */
  readonly onDecision?: (step: number, cpu: CpuId, point: PreemptionPoint | null) => void;
  /** Called after each step; throwing a SubjectFault reports a violation at that step. */
  readonly afterStep?: (step: number, cpu: CpuId) => void;
  /** Returns where a CPU is, such as "in bpf_lru_pop_free", for deadlock and livelock messages. */
  readonly describeCpu?: (cpu: CpuId) => string;
}

const NOT_STARTED = 0;
const AT_POINT = 1;
const FINISHED = 2;

/** Runs the threads to completion, to the first violation, or to a schedule divergence. */
export function runEngine(options: EngineOptions): RunOutcome {
  const { threads, choices, maxSteps } = options;
  const cpuCount = threads.length;
  const status = new Array<number>(cpuCount).fill(NOT_STARTED);
  const pending = new Array<PreemptionPoint | null>(cpuCount).fill(null);
  const recentSteps = new Array<number>(cpuCount).fill(0);
  const runnable: CpuId[] = [];
  const context = { step: 0, current: null as CpuId | null, currentRunnable: false, runnable };

  let step = 0;
  let current: CpuId | null = null;
  let unfinished = cpuCount;

  while (unfinished > 0) {
    runnable.length = 0;
    for (let cpu = 0; cpu < cpuCount; cpu++) {
      if (status[cpu] === FINISHED) continue;
      const point = pending[cpu];
      if (point !== null && point.kind === "acquire" && point.lock.holder !== null) continue;
      runnable.push(cpu);
    }

    if (runnable.length === 0) {
      return violationOutcome(step, deadlockViolation(step, pending, status, options.describeCpu));
    }
    if (step >= maxSteps) {
      return violationOutcome(step, livelockViolation(step, maxSteps, recentSteps, options.describeCpu));
    }

    context.step = step;
    context.current = current;
    context.currentRunnable = current !== null && runnable.includes(current);

    let cpu: CpuId;
    try {
      cpu = choices.choose(context as ChoiceContext);
    } catch (error) {
      if (error instanceof ScheduleDivergence) {
        return { kind: "diverged", steps: step, step: error.step, message: error.message };
      }
      throw error;
    }
    if (!runnable.includes(cpu)) {
      throw new Error(
        `harness bug: the choice source picked CPU ${cpu} at step ${step}, runnable were ${formatCpuList(runnable)}`,
      );
    }

    options.onDecision?.(step, cpu, pending[cpu]);
    recentSteps[cpu]++;
    current = cpu;

    try {
      const result = threads[cpu].next();
      if (result.done === true) {
        status[cpu] = FINISHED;
        pending[cpu] = null;
        unfinished--;
      } else {
        status[cpu] = AT_POINT;
        pending[cpu] = result.value;
      }
      options.afterStep?.(step, cpu);
    } catch (error) {
      return violationOutcome(step + 1, faultViolation(error, step, cpu));
    }
    step++;
  }

  return { kind: "completed", steps: step };
}

function violationOutcome(steps: number, violation: Violation): RunOutcome {
  return { kind: "violation", steps, violation };
}

function faultViolation(error: unknown, step: number, cpu: CpuId): Violation {
  if (error instanceof SubjectFault) {
    return { property: error.property, message: error.message, step, cpu };
  }
  if (error instanceof Error && error.message.startsWith("harness bug")) throw error;
  // Any other exception came out of the subject's code (for example a walk
  // over a corrupted list that dereferenced a list head as a node).
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { property: "no-crash", message: `CPU ${cpu} crashed in the subject: ${text}`, step, cpu };
}

function deadlockViolation(
  step: number,
  pending: readonly (PreemptionPoint | null)[],
  status: readonly number[],
  describeCpu: ((cpu: CpuId) => string) | undefined,
): Violation {
  const waits: string[] = [];
  for (let cpu = 0; cpu < pending.length; cpu++) {
    const point = pending[cpu];
    if (status[cpu] === FINISHED || point === null || point.kind !== "acquire") continue;
    const where = describeCpu === undefined ? "" : ` ${describeCpu(cpu)}`;
    waits.push(`CPU ${cpu}${where} waits for ${point.lock.name} held by CPU ${point.lock.holder}`);
  }
  return {
    property: "no-deadlock",
    message: `deadlock: ${waits.join("; ")}`,
    step: Math.max(0, step - 1),
    cpu: null,
  };
}

function livelockViolation(
  step: number,
  maxSteps: number,
  recentSteps: readonly number[],
  describeCpu: ((cpu: CpuId) => string) | undefined,
): Violation {
  let busiest = 0;
  for (let cpu = 1; cpu < recentSteps.length; cpu++) {
    if (recentSteps[cpu] > recentSteps[busiest]) busiest = cpu;
  }
  const where = describeCpu === undefined ? "" : ` ${describeCpu(busiest)}`;
  return {
    property: "step-bound",
    message:
      `step bound ${maxSteps} exceeded: CPU ${busiest}${where} took ${recentSteps[busiest]} of ${step} steps; ` +
      "a loop in the subject may never end, such as a list walk that never meets its head",
    step: Math.max(0, step - 1),
    cpu: busiest,
  };
}
