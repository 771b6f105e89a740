/**
 * The body of a worker thread: runs the batches the job's thread sends, one
 * at a time, and posts progress, found violations and results back.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { runBatchTask } from "./batch-task.ts";
import type { FromWorker, ToWorker, WorkerSetup } from "./messages.ts";
import { lowestViolation, recordViolation, serializeError, waitForAcknowledgement } from "./messages.ts";

/** Runs between two progress messages; a batch also reports its full counts when it ends. */
const PROGRESS_INTERVAL_RUNS = 25;

function serve(port: MessagePort, setup: WorkerSetup): void {
  const state = new Int32Array(setup.shared);
  const post = (message: FromWorker): void => port.postMessage(message);

  port.on("message", (message: ToWorker) => {
    let reportedRuns = 0;
    let reportedSteps = 0;
    try {
      const result = runBatchTask(setup.job, message.index, message.runs, {
        isSuperseded: (index) => lowestViolation(state) < index,
        onFound: (index, tracePath, property) => {
          recordViolation(state, index);
          post({ type: "found", index, tracePath, property });
          waitForAcknowledgement(state, setup.worker);
        },
        onRun: (stats) => {
          if (stats.runs - reportedRuns < PROGRESS_INTERVAL_RUNS) return;
          post({ type: "progress", runs: stats.runs - reportedRuns, steps: stats.steps - reportedSteps });
          reportedRuns = stats.runs;
          reportedSteps = stats.steps;
        },
      });
      if (result.violation !== null) recordViolation(state, result.index);
      post({ type: "done", result });
    } catch (error) {
      post({ type: "failed", error: serializeError(error) });
    }
  });
}

if (parentPort === null) throw new Error("harness bug: checker/parallel/worker.ts must run in a worker thread");
serve(parentPort, workerData as WorkerSetup);
