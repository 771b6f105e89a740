/**
 * Runs one simulated call to completion with no scheduler, for unit tests
 * and the raw-port benchmark. Every preemption point is passed straight
 * through, so the call behaves as if no other CPU ever ran.
 */
import type { Sim } from "../harness/points.ts";

/**
 * Drives `sim` to its end and returns its result. Acquiring a lock that is
 * held can never succeed here, because no other CPU runs to release it, so it
 * throws an Error naming the lock and its holder (a sequential deadlock).
 */
export function runSequential<T>(sim: Sim<T>): T {
  for (;;) {
    const step = sim.next();
    if (step.done === true) return step.value;

    const point = step.value;
    if (point.kind === "acquire" && point.lock.holder !== null) {
      throw new Error(
        `sequential deadlock: acquiring ${point.lock.name}, held by CPU ${point.lock.holder}, and no other CPU runs to release it`,
      );
    }
  }
}
