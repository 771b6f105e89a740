/**
 * What the job's thread and its worker threads send each other, and the
 * memory they share.
 *
 * The shared memory is an Int32Array. Slot 0 contains the lowest index of a
 * batch known to have found a violation (NO_VIOLATION while none has), which
 * every worker reads before writing or shrinking a counterexample. Slot
 * 1 + w is worker w's acknowledgement flag for a "found" message. The worker
 * waits on it, so that the job's onFound callback runs after the unshrunk
 * trace is written and before shrinking starts, as it does without workers.
 */
import type { CheckJobOptions } from "../check-job.ts";
import type { BatchResult } from "./batch-task.ts";

export const NO_VIOLATION = 0x7fffffff;
const LOWEST_VIOLATION_SLOT = 0;

/** Passed to each worker as its workerData. */
export interface WorkerSetup {
  readonly job: CheckJobOptions;
  readonly shared: SharedArrayBuffer;
  /** The worker's number, 0 to workers - 1. */
  readonly worker: number;
}

export type ToWorker = { readonly type: "batch"; readonly index: number; readonly runs: number };

export type FromWorker =
  /** Runs and steps done since the worker's previous progress message within the same batch. */
  | { readonly type: "progress"; readonly runs: number; readonly steps: number }
  /** The unshrunk trace is written; the worker waits for the acknowledgement before shrinking. */
  | { readonly type: "found"; readonly index: number; readonly tracePath: string; readonly property: string }
  | { readonly type: "done"; readonly result: BatchResult }
  | { readonly type: "failed"; readonly error: SerializedError };

/** An exception as plain data; `name` "InputError" is rebuilt as an InputError in the job's thread. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error), stack: undefined };
}

/** Creates the shared memory for `workers` workers, with no violation known. */
export function createSharedState(workers: number): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + workers));
  new Int32Array(shared)[LOWEST_VIOLATION_SLOT] = NO_VIOLATION;
  return shared;
}

/** Returns the lowest index of a batch known to have found a violation, or NO_VIOLATION. */
export function lowestViolation(state: Int32Array): number {
  return Atomics.load(state, LOWEST_VIOLATION_SLOT);
}

/** Lowers the shared lowest violating batch index to `index` unless a lower one is known. */
export function recordViolation(state: Int32Array, index: number): void {
  for (;;) {
    const current = Atomics.load(state, LOWEST_VIOLATION_SLOT);
    if (current <= index) return;
    if (Atomics.compareExchange(state, LOWEST_VIOLATION_SLOT, current, index) === current) return;
  }
}

/** Blocks worker `worker` until the job's thread acknowledges its "found" message. */
export function waitForAcknowledgement(state: Int32Array, worker: number): void {
  Atomics.wait(state, 1 + worker, 0);
  Atomics.store(state, 1 + worker, 0);
}

/** Releases worker `worker` from waitForAcknowledgement. */
export function acknowledge(state: Int32Array, worker: number): void {
  Atomics.store(state, 1 + worker, 1);
  Atomics.notify(state, 1 + worker);
}
