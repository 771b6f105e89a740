/**
 * Observation of the port without changing it: a plain JSON-able snapshot
 * for properties and traces, and read-only views of the live objects for
 * per-step checks that cannot afford a whole snapshot.
 */
import type { CpuId } from "../harness/points.ts";
import type { Place } from "./events.ts";
import { describeCursor } from "./bpf-lru-list.ts";
import type { HtabLru } from "./htab-lru.ts";
import { listNodeIds } from "./list.ts";
import {
  BPF_LRU_LIST_T_ACTIVE,
  BPF_LRU_LIST_T_FREE,
  BPF_LRU_LIST_T_INACTIVE,
  localFreeList,
  localPendingList,
} from "./lru-node.ts";

export interface NodeSnapshot {
  readonly id: number;
  /** node->type, a kernel enum bpf_lru_list_type value. */
  readonly type: number;
  readonly cpu: number;
  readonly ref: boolean;
  /** The list the node is on, from the list primitives' shadow bookkeeping. */
  readonly place: Place;
  /** CPU of that list when it is a local list, else -1. */
  readonly placeCpu: number;
  /** Key of the node's element while the element is linked in a bucket, else null. */
  readonly key: number | null;
  /** Value of the node's element while the element is linked in a bucket, else null. */
  readonly value: number | null;
}

export interface LruSnapshot {
  readonly global: {
    /** Node ids from head to tail. */
    readonly active: number[];
    readonly inactive: number[];
    readonly free: number[];
    readonly counts: { readonly active: number; readonly inactive: number };
    /** "head" for the inactive head, a node id for a node (on the inactive list or not), else a description. */
    readonly nextInactiveRotation: number | "head" | string;
    readonly lockHolder: number | null;
  };
  /** Index = CPU. */
  readonly local: {
    readonly cpu: number;
    readonly free: number[];
    readonly pending: number[];
    readonly nextSteal: number;
    readonly lockHolder: number | null;
  }[];
  /** Index = node id. */
  readonly nodes: NodeSnapshot[];
  readonly htab: {
    /** Index = bucket; node ids of the linked elements from the bucket's first. */
    readonly buckets: { readonly lockHolder: number | null; readonly nodes: number[] }[];
    /** Key to value of every element reachable from the buckets. */
    readonly keys: Record<string, number>;
  };
  /**
   * Broken list or bucket links met while observing; each ends its list's
   * walk early, so the lists above are then incomplete. Empty for a sound
   * structure.
   */
  readonly faults: string[];
  /** Every WARN_ON_ONCE condition the port hit so far, in order. */
  readonly warnings: string[];
}

/** Builds a snapshot of the map and its LRU without changing them. A broken list or bucket is listed in `faults`, not thrown. */
export function observeLru(map: HtabLru): LruSnapshot {
  const lru = map.lru;
  const l = lru.lruList;
  const faults: string[] = [];
  const fault = (message: string): void => {
    faults.push(message);
  };

  const global = {
    active: listNodeIds(l.lists[BPF_LRU_LIST_T_ACTIVE], fault),
    inactive: listNodeIds(l.lists[BPF_LRU_LIST_T_INACTIVE], fault),
    free: listNodeIds(l.lists[BPF_LRU_LIST_T_FREE], fault),
    counts: { active: l.counts[BPF_LRU_LIST_T_ACTIVE], inactive: l.counts[BPF_LRU_LIST_T_INACTIVE] },
    nextInactiveRotation: describeCursor(l),
    lockHolder: l.lock.holder,
  };

  const local = lru.localList.map((locL) => ({
    cpu: locL.cpu,
    free: listNodeIds(localFreeList(locL), fault),
    pending: listNodeIds(localPendingList(locL), fault),
    nextSteal: locL.nextSteal,
    lockHolder: locL.lock.holder,
  }));

  const keys: Record<string, number> = {};
  const buckets = map.buckets.map((bucket) => {
    const nodes: number[] = [];
    for (let elem = bucket.first; elem !== null; elem = elem.hashNext) {
      if (nodes.length >= map.elems.length) {
        fault(`bucket ${bucket.index}: more than ${map.elems.length} elements, its hash list is a cycle`);
        break;
      }
      nodes.push(elem.node.id);
      keys[String(elem.key)] = elem.value;
    }
    return { lockHolder: bucket.lock.holder, nodes };
  });

  const nodes = map.elems.map((elem): NodeSnapshot => {
    const node = elem.node;
    const linked = elem.bucket !== null;
    return {
      id: node.id,
      type: node.type,
      cpu: node.cpu,
      ref: node.ref,
      place: node.place,
      placeCpu: node.placeCpu,
      key: linked ? elem.key : null,
      value: linked ? elem.value : null,
    };
  });

  return { global, local, nodes, htab: { buckets, keys }, faults, warnings: [...lru.warnings.entries] };
}

/** A node as per-step checks may read it. */
export interface NodeView {
  readonly id: number;
  readonly type: number;
  readonly cpu: number;
  readonly ref: boolean;
  readonly hash: number;
  readonly place: Place;
  readonly placeCpu: number;
}

export interface LockView {
  readonly name: string;
  readonly holder: CpuId | null;
}

export interface LocalListView {
  readonly cpu: number;
  readonly nextSteal: number;
  readonly lock: LockView;
}

export interface ElemView {
  readonly node: NodeView;
  readonly key: number;
  readonly value: number;
  /** The bucket the element is linked into, or null. */
  readonly bucket: { readonly index: number } | null;
}

/** The live objects, typed read-only: reading them costs nothing and changes nothing. */
export interface LruView {
  /** Index = node id. */
  readonly nodes: readonly NodeView[];
  /** Index = node id. */
  readonly elems: readonly ElemView[];
  readonly counts: readonly [number, number];
  readonly globalLock: LockView;
  /** Index = CPU. */
  readonly local: readonly LocalListView[];
  /** Index = bucket. */
  readonly bucketLocks: readonly LockView[];
  /** WARN_ON_ONCE firings so far. */
  readonly warnings: readonly string[];
}

/** Returns read-only views of the map's live objects; they change as the map runs. */
export function liveView(map: HtabLru): LruView {
  return {
    nodes: map.lru.nodes,
    elems: map.elems,
    counts: map.lru.lruList.counts,
    globalLock: map.lru.lruList.lock,
    local: map.lru.localList,
    bucketLocks: map.buckets.map((bucket) => bucket.lock),
    warnings: map.lru.warnings.entries,
  };
}
