/**
 * The machine's parallel capacity at the time of a measurement: a fixed
 * CPU-bound loop (no allocation) run on one worker thread, then split in
 * half over two. On a machine shared with other jobs the second core is not
 * always free, and this ratio shows how much of it was.
 */
import { Worker } from "node:worker_threads";

/** Naive Fibonacci in a worker that times its own loop, as source text so that it needs no TypeScript loader. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
function fibonacci(n) { return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2); }
const started = performance.now();
let sum = 0;
for (let i = 0; i < workerData; i++) sum += fibonacci(25);
parentPort.postMessage({ ms: performance.now() - started, sum });
`;

export interface ThreadCapacity {
  readonly oneThreadMs: number;
  /** The slower of the two threads' loop times. */
  readonly twoThreadsMs: number;
  readonly speedup: number;
}

/**
 * Times `units` of the loop on one worker thread, then `units / 2` on each
 * of two worker threads at once. Each thread times its own loop, so thread
 * start-up is excluded.
 */
export async function measureThreadCapacity(units: number): Promise<ThreadCapacity> {
  const oneThreadMs = await timeInWorker(units);
  const half = Math.ceil(units / 2);
  const twoThreadsMs = Math.max(...(await Promise.all([timeInWorker(half), timeInWorker(half)])));
  return { oneThreadMs, twoThreadsMs, speedup: oneThreadMs / twoThreadsMs };
}

function timeInWorker(units: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: units });
    worker.once("message", (result: { ms: number }) => {
      resolve(result.ms);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}
