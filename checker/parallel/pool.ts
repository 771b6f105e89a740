/**
 * Runs a check job's batches on worker threads. Batches are handed out in
 * increasing index order, one at a time to whichever worker is idle, until
 * the shard's batches or the time budget run out or a violation is known.
 * Then the pool waits for every batch in flight, which includes every batch
 * below the violating one, and the ledger builds the summary.
 */
import { rmSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { CheckJobOptions, CheckProgress, CheckSummary, FoundCallback } from "../check-job.ts";
import { InputError } from "../../cli/errors.ts";
import { shardBatches } from "./batch-plan.ts";
import { BatchLedger, LiveCoverage } from "./ledger.ts";
import type { FromWorker, SerializedError, ToWorker, WorkerSetup } from "./messages.ts";
import { NO_VIOLATION, acknowledge, createSharedState, lowestViolation } from "./messages.ts";

const WORKER_ENTRY = new URL("./worker-entry.js", import.meta.url);

interface WorkerSlot {
  readonly worker: Worker;
  /** The batch the worker runs, or null when it is idle. */
  batch: number | null;
  /** Runs and steps of the current batch already counted from its progress messages. */
  reportedRuns: number;
  reportedSteps: number;
}

/** Runs the job on `workers` worker threads; resolves with the summary, or rejects on the first failure of a worker. */
export function runBatchesInWorkers(
  job: CheckJobOptions,
  workers: number,
  now: () => number,
  onProgress: (progress: CheckProgress) => void,
  onFound?: FoundCallback,
): Promise<CheckSummary> {
  const started = now();
  const shared = createSharedState(workers);
  const state = new Int32Array(shared);
  const plan = shardBatches(job);
  const ledger = new BatchLedger();
  const live = { runs: 0, steps: 0, violations: 0 };
  const coverage = new LiveCoverage();

  return new Promise<CheckSummary>((resolve, reject) => {
    let settled = false;
    const slots: WorkerSlot[] = [];

    const stopAll = async (): Promise<void> => {
      settled = true;
      // Releases a worker that waits for an acknowledgement, so nothing blocks its termination.
      slots.forEach((_, number) => acknowledge(state, number));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      void stopAll().then(() => reject(error), () => reject(error));
    };
    const finish = (): void => {
      if (settled) return;
      // Traces of violating batches above the reported one: a job with one worker never runs those batches.
      for (const path of ledger.discardedTraces()) rmSync(path, { force: true });
      const summary = ledger.summarize(now() - started, workers);
      void stopAll().then(() => resolve(summary), reject);
    };

    const report = (): void => {
      onProgress({
        runs: live.runs,
        steps: live.steps,
        violations: live.violations,
        elapsedMs: now() - started,
        transitionsCovered: coverage.covered(),
      });
    };

    const dispatch = (slot: WorkerSlot): void => {
      slot.batch = null;
      slot.reportedRuns = 0;
      slot.reportedSteps = 0;
      const timeUp = job.timeMs !== null && now() - started >= job.timeMs;
      const next = lowestViolation(state) !== NO_VIOLATION || timeUp ? null : plan.next();
      if (next === null || next.done === true) {
        if (slots.every((other) => other.batch === null)) finish();
        return;
      }
      slot.batch = next.value.index;
      const message: ToWorker = { type: "batch", index: next.value.index, runs: next.value.runs };
      slot.worker.postMessage(message);
    };

    const handle = (slot: WorkerSlot, workerNumber: number, message: FromWorker): void => {
      switch (message.type) {
        case "progress":
          slot.reportedRuns += message.runs;
          slot.reportedSteps += message.steps;
          live.runs += message.runs;
          live.steps += message.steps;
          report();
          return;
        case "found":
          try {
            live.violations++;
            onFound?.(message.tracePath, message.property);
          } finally {
            acknowledge(state, workerNumber);
          }
          return;
        case "done":
          ledger.add(message.result);
          coverage.add(message.result.coverage);
          live.runs += message.result.runs - slot.reportedRuns;
          live.steps += message.result.steps - slot.reportedSteps;
          report();
          dispatch(slot);
          return;
        case "failed":
          fail(deserializeError(message.error));
          return;
      }
    };

    for (let number = 0; number < workers; number++) {
      const setup: WorkerSetup = { job, shared, worker: number };
      const worker = new Worker(WORKER_ENTRY, { workerData: setup });
      const slot: WorkerSlot = { worker, batch: null, reportedRuns: 0, reportedSteps: 0 };
      slots.push(slot);
      worker.on("message", (message: FromWorker) => {
        try {
          handle(slot, number, message);
        } catch (error) {
          fail(error);
        }
      });
      worker.on("error", fail);
      worker.on("exit", (code) => {
        if (!settled) fail(new Error(`harness bug: check worker ${number} exited with code ${code} while the job was running`));
      });
    }
    for (const slot of slots) dispatch(slot);
  });
}

function deserializeError(serialized: SerializedError): Error {
  if (serialized.name === "InputError") return new InputError(serialized.message);
  const error = new Error(`check worker failed: ${serialized.message}`);
  error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = `${error.name}: ${error.message}\n--- in the worker thread ---\n${serialized.stack}`;
  return error;
}
