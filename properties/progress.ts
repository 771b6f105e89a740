/**
 * Progress and leaks: when an update may fail for lack of a node, and where
 * every node must be when no operation is running.
 *
 * ENOMEM is legitimate only when nodes exist but cannot be taken. A node that
 * another CPU's in-flight operation has taken is on no free list and cannot
 * be unlinked by del_from_htab: popped by an update and not yet linked or
 * given back, or unlinked by a delete or a replacing update and not yet
 * pushed back. The kernel permits the update to fail then. Every other node
 * is on a free list (taken directly or stolen) or reachable from the table
 * (taken by shrinking or stealing through del_from_htab). So an update that
 * fails while no other CPU has taken a node is a progress violation.
 */
import { SubjectFault } from "../harness/points.ts";
import { PLACE_NAMES, Place } from "../impl/events.ts";
import type { LruSnapshot } from "../impl/observe.ts";
import type { ListLocation } from "./structure.ts";

export class ProgressTracker {
  /** Per CPU: whether its current operation has taken a node the others cannot take. */
  private readonly holding: boolean[];
  /** Per CPU: whether another CPU held a node at some step while this CPU's update ran. */
  private readonly othersHeld: boolean[];

  constructor(cpus: number) {
    this.holding = new Array(cpus).fill(false);
    this.othersHeld = new Array(cpus).fill(false);
  }

  operationStarted(cpu: number): void {
    this.holding[cpu] = false;
    this.othersHeld[cpu] = this.anyOtherHolding(cpu);
  }

  /** The CPU's operation took a node for itself or unlinked one it will push back. */
  nodeTaken(cpu: number): void {
    this.holding[cpu] = true;
  }

  /** Called after every step, so each in-flight update learns whether another CPU held a node meanwhile. */
  stepEnded(): void {
    for (let cpu = 0; cpu < this.holding.length; cpu++) {
      if (!this.othersHeld[cpu] && this.anyOtherHolding(cpu)) this.othersHeld[cpu] = true;
    }
  }

  /** Checks progress: an update fails with ENOMEM only while another CPU's operation in flight has taken a node. */
  updateFailedWithoutMemory(cpu: number, key: number): void {
    if (!this.othersHeld[cpu]) {
      throw new SubjectFault(
        "progress",
        `CPU ${cpu} update of key ${key} returned ENOMEM although no other CPU held a node during it: ` +
          "every node was on a free list or reachable from the hash table",
      );
    }
  }

  operationEnded(cpu: number): void {
    this.holding[cpu] = false;
    this.othersHeld[cpu] = false;
  }

  private anyOtherHolding(cpu: number): boolean {
    for (let other = 0; other < this.holding.length; other++) {
      if (other !== cpu && this.holding[other]) return true;
    }
    return false;
  }
}

/**
 * Checks that nothing leaks: when no operation is in flight, every node is
 * reachable from the hash table or on a free list (global or local). So no
 * node is stranded off every list, or on an active, inactive or pending list
 * without an element.
 */
export function noLeakWhenIdle(snapshot: LruSnapshot, locations: readonly (ListLocation | undefined)[]): void {
  const reachable = new Set<number>();
  for (const bucket of snapshot.htab.buckets) for (const id of bucket.nodes) reachable.add(id);

  for (let id = 0; id < snapshot.nodes.length; id++) {
    if (reachable.has(id)) continue;
    const location = locations[id];
    if (location === undefined) {
      throw new SubjectFault("no-leak", `no operation is running, yet node ${id} is off every list and unreachable`);
    }
    if (location.place !== Place.GlobalFree && location.place !== Place.LocalFree) {
      const where = location.cpu < 0 ? "" : ` of CPU ${location.cpu}`;
      throw new SubjectFault(
        "no-leak",
        `no operation is running, yet node ${id} sits on the ${PLACE_NAMES[location.place]} list${where} without being reachable from the hash table`,
      );
    }
  }
}
