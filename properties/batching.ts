/**
 * Batching bounds of the RFC: how much one trip to the global list may do.
 *
 * - walk-bound: __bpf_lru_list_rotate_active visits at most MAX_WALKS nodes
 *   and moves every node it visits (back to the active head, or to the
 *   inactive head). It is the only code that moves a node from the active
 *   list to the active or inactive list, so within one hold of
 *   lru_list.lock such moves number at most MAX_WALKS. The inactive walks
 *   skip nodes without moving them, so this bound cannot see them.
 * - local-batch-bound: a trip fills a CPU's local free list to at most
 *   LOCAL_FREE_TARGET after flushing its pending list, a pop only moves a
 *   node from free to pending, and a CPU steals only when its local lists
 *   are empty.
 *   So each CPU's local free list, pending list and the nodes it holds off
 *   every list never add up to more than LOCAL_FREE_TARGET.
 */
import { SubjectFault } from "../harness/points.ts";
import type { CpuId } from "../harness/points.ts";
import type { NodeMove } from "../impl/events.ts";
import { Place } from "../impl/events.ts";
import type { LruSnapshot } from "../impl/observe.ts";

export class RotationWalkBound {
  /** Per CPU: active-list moves made since it last took lru_list.lock. */
  private readonly moved: number[];

  constructor(
    cpus: number,
    private readonly maxWalks: number,
  ) {
    this.moved = new Array(cpus).fill(0);
  }

  globalLockTaken(cpu: CpuId): void {
    this.moved[cpu] = 0;
  }

  /** Checks that one hold of lru_list.lock moves at most MAX_WALKS nodes off the active list within the global lists. */
  nodeMoved(move: NodeMove): void {
    if (move.from !== Place.Active || (move.to !== Place.Active && move.to !== Place.Inactive)) return;
    if (++this.moved[move.cpu] > this.maxWalks) {
      throw new SubjectFault(
        "walk-bound",
        `CPU ${move.cpu} moved ${this.moved[move.cpu]} nodes from the active list in one hold of lru_list.lock ` +
          `(node ${move.node} in ${move.fn}), more than MAX_WALKS ${this.maxWalks}`,
      );
    }
  }
}

/** Checks that no CPU's local free and pending lists and off-list nodes add up to more than LOCAL_FREE_TARGET. */
export function localBatchBound(snapshot: LruSnapshot, holderOf: ArrayLike<number>, localFreeTarget: number): void {
  for (const local of snapshot.local) {
    let held = 0;
    for (let id = 0; id < holderOf.length; id++) {
      if (holderOf[id] === local.cpu) held++;
    }
    const total = local.free.length + local.pending.length + held;
    if (total > localFreeTarget) {
      throw new SubjectFault(
        "local-batch-bound",
        `CPU ${local.cpu} has ${local.free.length} free, ${local.pending.length} pending and ${held} off-list nodes, ` +
          `${total} in all, more than LOCAL_FREE_TARGET ${localFreeTarget}`,
      );
    }
  }
}
