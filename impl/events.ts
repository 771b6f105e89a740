/**
 * Reports the port makes while it runs: every node move between lists, every
 * change to the hash table, and the ref bits set by lookups. The model's
 * refinement check, the map-level properties and the trace's event log are
 * all built from these reports, so the port never needs to know who listens.
 */
import type { CpuId } from "../harness/points.ts";

/**
 * Location of a node. The first five values mirror `enum bpf_lru_list_type`;
 * OffList is a node that a CPU has unlinked from every list and not yet put
 * on another one, such as a node between `__local_list_pop_free` and
 * `__local_list_add_pending`.
 */
export const Place = {
  Active: 0,
  Inactive: 1,
  GlobalFree: 2,
  LocalFree: 3,
  Pending: 4,
  OffList: 5,
} as const;
export type Place = (typeof Place)[keyof typeof Place];

export const PLACE_NAMES: Readonly<Record<Place, string>> = {
  [Place.Active]: "active",
  [Place.Inactive]: "inactive",
  [Place.GlobalFree]: "global-free",
  [Place.LocalFree]: "local-free",
  [Place.Pending]: "pending",
  [Place.OffList]: "off-list",
};

/** A node's move from one list to another, reported right after it happened. */
export interface NodeMove {
  readonly node: number;
  readonly from: Place;
  /** CPU of the local list the node left, or -1 for the global lists and OffList. */
  readonly fromCpu: number;
  readonly to: Place;
  /** CPU of the local list the node joined, or -1 for the global lists and OffList. */
  readonly toCpu: number;
  /** The CPU executing the code that moved the node. */
  readonly cpu: CpuId;
  /** The RFC function that made the move, with its kernel name, such as "__bpf_lru_node_move_out". */
  readonly fn: string;
}

/**
 * A change to, or a read of, the hash table, reported in the step in which it
 * happens. These steps are the linearisation points of the map operations.
 */
export type MapEvent =
  /** update linked `node` for `key`; `replaced` is the old element's node, unlinked in the same step. */
  | { readonly kind: "link"; readonly cpu: CpuId; readonly key: number; readonly value: number; readonly node: number; readonly replaced: number | null }
  /** delete unlinked the element of `key`. */
  | { readonly kind: "unlink"; readonly cpu: CpuId; readonly key: number; readonly node: number }
  /** del_from_htab unlinked `node`, which held `key`, to reuse it (an eviction). */
  | { readonly kind: "evict"; readonly cpu: CpuId; readonly key: number; readonly node: number }
  /** A lookup, lookup_sys, or the lookup inside update or delete read the bucket of `key`. */
  | { readonly kind: "read"; readonly cpu: CpuId; readonly op: "lookup" | "lookup_sys" | "update" | "delete"; readonly key: number; readonly node: number | null; readonly value: number | null };

export interface LruObserver {
  nodeMoved(move: NodeMove): void;
  /** A datapath lookup set the ref bit of `node` without holding any lock. */
  refSet(node: number, cpu: CpuId): void;
  mapEvent(event: MapEvent): void;
}

/** An observer that ignores everything, for runs that check nothing (the raw port benchmark). */
export const NULL_OBSERVER: LruObserver = {
  nodeMoved() {},
  refSet() {},
  mapEvent() {},
};
