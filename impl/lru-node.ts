/**
 * Types and constants of kernel/bpf/bpf_lru_list.h from the RFC patch
 * "[RFC,net-next,1/5] bpf: LRU List" (Martin KaFai Lau, 2 Oct 2016): the
 * list types, `struct bpf_lru_node`, `struct bpf_lru_locallist`, and the
 * small helpers of bpf_lru_list.c that only read them.
 */
import type { CpuId, LockOps } from "../harness/points.ts";
import { SpinLock, accessPoint } from "../harness/points.ts";
import type { LruObserver } from "./events.ts";
import { Place } from "./events.ts";
import { ListHead } from "./list.ts";
import type { MutantName } from "./variants.ts";

/** enum bpf_lru_list_type, in the kernel's order. */
export const BPF_LRU_LIST_T_ACTIVE = 0;
export const BPF_LRU_LIST_T_INACTIVE = 1;
export const BPF_LRU_LIST_T_FREE = 2;
export const BPF_LRU_LOCAL_LIST_T_FREE = 3;
export const BPF_LRU_LOCAL_LIST_T_PENDING = 4;
export type BpfLruListType = 0 | 1 | 2 | 3 | 4;
/** The global list types, which index `bpf_lru_list.lists`. */
export type BpfLruGlobalListType = 0 | 1 | 2;

export const NR_BPF_LRU_LIST_T = 3;
/** Only the active and inactive lists are counted. */
export const NR_BPF_LRU_LIST_COUNT = 2;
export const NR_BPF_LRU_LOCAL_LIST_T = 2;
export const BPF_LOCAL_LIST_T_OFFSET = NR_BPF_LRU_LIST_T;

export const LIST_TYPE_NAMES: readonly string[] = [
  "BPF_LRU_LIST_T_ACTIVE",
  "BPF_LRU_LIST_T_INACTIVE",
  "BPF_LRU_LIST_T_FREE",
  "BPF_LRU_LOCAL_LIST_T_FREE",
  "BPF_LRU_LOCAL_LIST_T_PENDING",
];

/** LOCAL_LIST_IDX */
const LOCAL_FREE_LIST_IDX = BPF_LRU_LOCAL_LIST_T_FREE - BPF_LOCAL_LIST_T_OFFSET;
const LOCAL_PENDING_LIST_IDX = BPF_LRU_LOCAL_LIST_T_PENDING - BPF_LOCAL_LIST_T_OFFSET;

/** IS_LOCAL_LIST_TYPE */
export function isLocalListType(type: number): boolean {
  return type >= BPF_LOCAL_LIST_T_OFFSET;
}

/** The kernel's default MAX_WALKS and LOCAL_FREE_TARGET. */
export const MAX_WALKS = 128;
export const LOCAL_FREE_TARGET = 128;

/**
 * Accesses to shared state made without the lock that protects it; each is a
 * preemption point. They are allocated once so hot paths allocate nothing.
 */
export const NODE_TYPE_READ = accessPoint("node.type read");
export const NODE_CPU_READ = accessPoint("node.cpu read");
export const NEXT_STEAL_READ = accessPoint("loc_l.next_steal read");
export const NEXT_STEAL_WRITE = accessPoint("loc_l.next_steal write");
export const BUCKET_READ = accessPoint("bucket read");
export const NODE_REF_WRITE = accessPoint("node.ref write");

/** struct bpf_lru_node, plus the node's id and the hash field the RFC reaches through hash_offset. */
export class LruNode {
  /** The node's link; its shadow fields tell which list the node is on. */
  readonly list: ListHead;
  /** u16 cpu: the CPU whose local list the node was last moved to. */
  cpu = 0;
  /** u8 type: a BpfLruListType. Zero-initialised like the kernel's preallocated elements. */
  type: number = BPF_LRU_LIST_T_ACTIVE;
  /** u8 ref: set by a datapath lookup. */
  ref = false;
  /**
   * The owning htab_elem's hash. The RFC writes it through
   * `lru->hash_offset` in __local_list_add_pending; del_from_htab reads it to
   * find the bucket.
   */
  hash = 0;

  constructor(
    /** Index of the node and of the hash table element that embeds it: 0..max_entries-1. */
    readonly id: number,
  ) {
    this.list = new ListHead(this, `node ${id}`, Place.OffList, -1);
  }

  /** Shadow: the list the node is on. */
  get place(): Place {
    return this.list.place;
  }

  /** Shadow: CPU of that list when it is a local list, else -1. */
  get placeCpu(): number {
    return this.list.placeCpu;
  }
}

/** struct bpf_lru_locallist: one CPU's free and pending lists. */
export class BpfLruLocallist {
  /** lists[LOCAL_FREE_LIST_IDX] and lists[LOCAL_PENDING_LIST_IDX]. */
  readonly lists: readonly [ListHead, ListHead];
  cpu: number;
  nextSteal: number;
  readonly lock: SpinLock;

  constructor(cpu: number) {
    this.lists = [
      new ListHead(null, `CPU ${cpu} local free list`, Place.LocalFree, cpu),
      new ListHead(null, `CPU ${cpu} pending list`, Place.Pending, cpu),
    ];
    this.cpu = cpu;
    this.nextSteal = cpu;
    this.lock = new SpinLock(`loc_l[${cpu}].lock`);
  }
}

/** local_free_list */
export function localFreeList(locL: BpfLruLocallist): ListHead {
  return locL.lists[LOCAL_FREE_LIST_IDX];
}

/** local_pending_list */
export function localPendingList(locL: BpfLruLocallist): ListHead {
  return locL.lists[LOCAL_PENDING_LIST_IDX];
}

/** bpf_lru_node_is_ref */
export function bpfLruNodeIsRef(node: LruNode): boolean {
  return node.ref;
}

/** bpf_lru_node_set_ref (an inline in bpf_lru_list.h, used by the hash map's lookup and update). */
export function bpfLruNodeSetRef(node: LruNode): void {
  node.ref = true;
}

/**
 * get_next_cpu: the next possible CPU after `cpu`, wrapping to the first.
 * Every CPU 0..nrCpus-1 is possible here.
 */
export function getNextCpu(cpu: number, nrCpus: number): number {
  const next = cpu + 1;
  return next >= nrCpus ? 0 : next;
}

/**
 * State the port's functions share besides kernel data: the lock primitives,
 * the observer, the parameters that are compile-time constants in the
 * kernel, and the record of WARN_ON_ONCE conditions that fired.
 */
export interface LruContext {
  readonly ops: LockOps;
  readonly observer: LruObserver;
  readonly maxWalks: number;
  readonly localFreeTarget: number;
  readonly nrCpus: number;
  readonly variant: string;
  /** The seeded bug switched in, or null for the port as written. */
  readonly mutant: MutantName | null;
  readonly warnings: WarnLog;
}

/**
 * Record of WARN_ON_ONCE firings. The port returns where the kernel returns,
 * and each time a condition is true the firing is recorded here (the kernel
 * prints only the first), so a check can treat a warning as a failure.
 */
export class WarnLog {
  readonly entries: string[] = [];

  warnOnOnce(condition: boolean, fn: string, what: string, cpu: CpuId): boolean {
    if (condition) this.entries.push(`WARN_ON_ONCE(${what}) in ${fn} on CPU ${cpu}`);
    return condition;
  }
}

/** Reports the move that the last list primitive made on `node`. */
export function reportMove(observer: LruObserver, cpu: CpuId, node: LruNode, fn: string): void {
  const link = node.list;
  observer.nodeMoved({
    node: node.id,
    from: link.lastPlace,
    fromCpu: link.lastPlaceCpu,
    to: link.place,
    toCpu: link.placeCpu,
    cpu,
    fn,
  });
}
