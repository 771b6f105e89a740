/**
 * The global LRU list, `struct bpf_lru_list`, and the functions of
 * kernel/bpf/bpf_lru_list.c that take it as their subject, ported one to one
 * from the RFC patch "[RFC,net-next,1/5] bpf: LRU List" (Martin KaFai Lau,
 * 2 Oct 2016).
 *
 * Naming: each method keeps its kernel name in camelCase, including a leading
 * `__`, which in the kernel marks a function whose caller holds the lock.
 * The executing CPU is the first parameter of every method; it is used only
 * to report moves and to take locks.
 */
import type { CpuId, Sim } from "../harness/points.ts";
import { SpinLock } from "../harness/points.ts";
import { Place } from "./events.ts";
import {
  LIST_POISON1,
  LIST_POISON2,
  ListHead,
  entryOf,
  initListHead,
  listEmpty,
  listFirstEntry,
  listForEachEntrySafe,
  listForEachEntrySafeReverse,
  listMove,
  listStepPrev,
} from "./list.ts";
import type { BpfLruGlobalListType, BpfLruLocallist, LruContext, LruNode } from "./lru-node.ts";
import type { MutantName } from "./variants.ts";
import {
  BPF_LRU_LIST_T_ACTIVE,
  BPF_LRU_LIST_T_FREE,
  BPF_LRU_LIST_T_INACTIVE,
  BPF_LRU_LOCAL_LIST_T_FREE,
  NODE_TYPE_READ,
  NR_BPF_LRU_LIST_COUNT,
  bpfLruNodeIsRef,
  isLocalListType,
  localFreeList,
  localPendingList,
  reportMove,
} from "./lru-node.ts";

/** struct bpf_lru_list: the active, inactive and free lists shared by all CPUs. */
export class BpfLruList {
  /** lists[BPF_LRU_LIST_T_ACTIVE], lists[BPF_LRU_LIST_T_INACTIVE], lists[BPF_LRU_LIST_T_FREE]. */
  readonly lists: readonly [ListHead, ListHead, ListHead];
  /** counts[ACTIVE] and counts[INACTIVE], unsigned ints: the free list is not counted. */
  readonly counts: [number, number] = [0, 0];
  /** Start of the next inactive rotation: the inactive head or a node on the inactive list. */
  nextInactiveRotation: ListHead;
  readonly lock: SpinLock;
  readonly mutant: MutantName | null;

  constructor(
    private readonly ctx: LruContext,
    nodeCount: number,
  ) {
    this.lists = [
      new ListHead(null, "global active list", Place.Active, -1),
      new ListHead(null, "global inactive list", Place.Inactive, -1),
      new ListHead(null, "global free list", Place.GlobalFree, -1),
    ];
    for (const head of this.lists) head.walkLimit = nodeCount;
    this.nextInactiveRotation = this.lists[BPF_LRU_LIST_T_INACTIVE];
    this.lock = new SpinLock("lru_list.lock");
    this.mutant = ctx.mutant;
  }

  /** bpf_lru_list_count_inc: counts only the active and inactive types; u32 arithmetic. */
  bpfLruListCountInc(type: number): void {
    if (type < NR_BPF_LRU_LIST_COUNT) this.counts[type] = (this.counts[type] + 1) >>> 0;
  }

  /** bpf_lru_list_count_dec: as above; a decrement below zero wraps as the kernel's unsigned int does. */
  bpfLruListCountDec(type: number): void {
    if (type < NR_BPF_LRU_LIST_COUNT) this.counts[type] = (this.counts[type] - 1) >>> 0;
  }

  /**
   * __bpf_lru_node_move_out: moves a node from a global list to the head of
   * `locL`'s local free list.
   * 1. Refuses (WARN) a node that is already on a local list.
   * 2. Steps the rotation cursor back if it points at the node.
   * 3. Uncounts the node, marks it local free, records the local list's CPU
   *    in node->cpu, and moves it.
   */
  __bpfLruNodeMoveOut(cpu: CpuId, locL: BpfLruLocallist, node: LruNode): void {
    // NOTE: when this warning fires, the callers in the shrink paths have
    // already removed the node's element with del_from_htab and still count
    // the node as shrunk, so the node stays on the global list with no element.
    if (this.ctx.warnings.warnOnOnce(isLocalListType(node.type), "__bpf_lru_node_move_out", "IS_LOCAL_LIST_TYPE(node->type)", cpu)) {
      return;
    }

    if (node.list === this.nextInactiveRotation) {
      if (this.mutant !== "move-out-keeps-rotation-cursor") this.nextInactiveRotation = this.nextInactiveRotation.prev;
    }

    this.bpfLruListCountDec(node.type);

    node.type = BPF_LRU_LOCAL_LIST_T_FREE;
    if (this.mutant !== "move-out-forgets-cpu") node.cpu = locL.cpu;
    listMove(node.list, localFreeList(locL));
    reportMove(this.ctx.observer, cpu, node, "__bpf_lru_node_move_out");
  }

  /**
   * __bpf_lru_node_move_in: moves a node from a local list to the head of the
   * global list `tgtType`, counting it and clearing its ref bit. Refuses
   * (WARN) a node not on a local list or a local target.
   */
  __bpfLruNodeMoveIn(cpu: CpuId, node: LruNode, tgtType: BpfLruGlobalListType): void {
    const warnings = this.ctx.warnings;
    if (
      warnings.warnOnOnce(!isLocalListType(node.type), "__bpf_lru_node_move_in", "!IS_LOCAL_LIST_TYPE(node->type)", cpu) ||
      warnings.warnOnOnce(isLocalListType(tgtType), "__bpf_lru_node_move_in", "IS_LOCAL_LIST_TYPE(tgt_type)", cpu)
    ) {
      return;
    }

    this.bpfLruListCountInc(tgtType);
    node.type = tgtType;
    node.ref = false;
    listMove(node.list, this.lists[tgtType]);
    reportMove(this.ctx.observer, cpu, node, "__bpf_lru_node_move_in");
  }

  /**
   * __bpf_lru_node_move: moves a node between or within the global lists
   * (active to inactive, inactive to active, active tail back to active head,
   * or onto the global free list).
   * 1. Refuses (WARN) a local node or a local target.
   * 2. Recounts the node if its type changes; clears its ref bit.
   * 3. Steps the rotation cursor back if it points at the node.
   * 4. Moves the node to the head of the target list.
   */
  __bpfLruNodeMove(cpu: CpuId, node: LruNode, tgtType: BpfLruGlobalListType): void {
    const warnings = this.ctx.warnings;
    if (
      warnings.warnOnOnce(isLocalListType(node.type), "__bpf_lru_node_move", "IS_LOCAL_LIST_TYPE(node->type)", cpu) ||
      warnings.warnOnOnce(isLocalListType(tgtType), "__bpf_lru_node_move", "IS_LOCAL_LIST_TYPE(tgt_type)", cpu)
    ) {
      return;
    }

    if (node.type !== tgtType) {
      this.bpfLruListCountDec(node.type);
      if (this.mutant !== "move-forgets-count-inc") this.bpfLruListCountInc(tgtType);
      node.type = tgtType;
    }
    node.ref = false;

    if (node.list === this.nextInactiveRotation) {
      this.nextInactiveRotation = this.nextInactiveRotation.prev;
    }

    listMove(node.list, this.lists[tgtType]);
    reportMove(this.ctx.observer, cpu, node, "__bpf_lru_node_move");
  }

  /** bpf_lru_list_inactive_low: the inactive list is low when it has fewer nodes than the active list. */
  bpfLruListInactiveLow(): boolean {
    return this.counts[BPF_LRU_LIST_T_INACTIVE] < this.counts[BPF_LRU_LIST_T_ACTIVE];
  }

  /**
   * __bpf_lru_list_rotate_active: walks the active list from its tail, at most
   * MAX_WALKS nodes and never past the node that was first when it started.
   * A node with the ref bit goes back to the active head, one without it to
   * the inactive head; both lose the bit.
   */
  __bpfLruListRotateActive(cpu: CpuId): void {
    const active = this.lists[BPF_LRU_LIST_T_ACTIVE];
    let i = 0;

    const firstNode = listFirstEntry(active);
    const maxWalks = this.mutant === "rotate-active-walks-one-more" ? this.ctx.maxWalks + 1 : this.ctx.maxWalks;
    for (const node of listForEachEntrySafeReverse(active)) {
      if (bpfLruNodeIsRef(node)) this.__bpfLruNodeMove(cpu, node, BPF_LRU_LIST_T_ACTIVE);
      else this.__bpfLruNodeMove(cpu, node, BPF_LRU_LIST_T_INACTIVE);

      if (++i === maxWalks || node === firstNode) break;
    }
  }

  /**
   * __bpf_lru_list_rotate_inactive: walks the inactive list backwards from
   * the cursor `next_inactive_rotation`, skipping the head, for at most
   * MAX_WALKS nodes or until it is back at the node just after where it
   * started. A node with the ref bit moves to the active head; one without it
   * stays. The cursor is left at the entry before the last node visited.
   */
  __bpfLruListRotateInactive(cpu: CpuId): void {
    const inactive = this.lists[BPF_LRU_LIST_T_INACTIVE];
    let i = 0;
    let steps = 0;

    if (listEmpty(inactive)) return;

    let last = this.nextInactiveRotation.next;
    if (last === inactive) last = last.next;

    let cur = this.nextInactiveRotation;
    // NOTE: the RFC leaves `next` uninitialised if the loop body never runs,
    // which happens only when MAX_WALKS is 0; the port rejects MAX_WALKS < 1,
    // so `next` is always set below.
    let next: ListHead = cur;
    while (i < this.ctx.maxWalks) {
      if (cur === inactive) {
        cur = listStepPrev(cur, inactive, ++steps);
        continue;
      }

      const node = entryOf(cur, inactive);
      next = listStepPrev(cur, inactive, ++steps);
      if (bpfLruNodeIsRef(node)) this.__bpfLruNodeMove(cpu, node, BPF_LRU_LIST_T_ACTIVE);
      if (cur === last) break;
      cur = next;
      i++;
    }

    this.nextInactiveRotation = next;
  }

  /** __bpf_lru_list_rotate: rotates the active list when the inactive list is low, then always the inactive list. */
  __bpfLruListRotate(cpu: CpuId): void {
    if (this.bpfLruListInactiveLow()) this.__bpfLruListRotateActive(cpu);

    this.__bpfLruListRotateInactive(cpu);
  }

  /**
   * __bpf_lru_list_get_free: moves up to `tgtNfree` nodes from the head of the
   * global free list to `locL`'s local free list; returns how many it moved.
   */
  __bpfLruListGetFree(cpu: CpuId, locL: BpfLruLocallist, tgtNfree: number): number {
    let nfree = 0;

    const target = this.mutant === "get-free-takes-one-more" ? tgtNfree + 1 : tgtNfree;
    for (const node of listForEachEntrySafe(this.lists[BPF_LRU_LIST_T_FREE])) {
      this.__bpfLruNodeMoveOut(cpu, locL, node);

      if (++nfree === target) break;
    }

    return nfree;
  }

  /**
   * __local_list_flush: moves every node of `locL`'s pending list, oldest
   * (tail) first, to the head of the global active list if its ref bit is
   * set, else to the head of the inactive list.
   */
  __localListFlush(cpu: CpuId, locL: BpfLruLocallist): void {
    for (const node of listForEachEntrySafeReverse(localPendingList(locL))) {
      if (this.mutant === "flush-ignores-ref") this.__bpfLruNodeMoveIn(cpu, node, BPF_LRU_LIST_T_INACTIVE);
      else if (bpfLruNodeIsRef(node)) this.__bpfLruNodeMoveIn(cpu, node, BPF_LRU_LIST_T_ACTIVE);
      else this.__bpfLruNodeMoveIn(cpu, node, BPF_LRU_LIST_T_INACTIVE);
    }
  }

  /**
   * bpf_lru_list_push_free: returns a node that is on a global list to the
   * global free list. It refuses (WARN) a node of a local type, reading
   * node->type before taking the global lock.
   */
  *bpfLruListPushFree(cpu: CpuId, node: LruNode): Sim<void> {
    yield NODE_TYPE_READ;
    if (this.ctx.warnings.warnOnOnce(isLocalListType(node.type), "bpf_lru_list_push_free", "IS_LOCAL_LIST_TYPE(node->type)", cpu)) {
      return;
    }

    if (this.mutant === "list-push-free-skips-global-lock") {
      this.__bpfLruNodeMove(cpu, node, BPF_LRU_LIST_T_FREE);
      return;
    }

    yield* this.ctx.ops.lock(this.lock, cpu);
    this.__bpfLruNodeMove(cpu, node, BPF_LRU_LIST_T_FREE);
    yield* this.ctx.ops.unlock(this.lock, cpu);
  }
}

/** bpf_lru_list_init: empties the three lists, zeroes the counts, points the cursor at the inactive head and frees the lock. */
export function bpfLruListInit(l: BpfLruList): void {
  for (const head of l.lists) initListHead(head);

  for (let i = 0; i < NR_BPF_LRU_LIST_COUNT; i++) l.counts[i] = 0;

  l.nextInactiveRotation = l.lists[BPF_LRU_LIST_T_INACTIVE];

  l.lock.holder = null;
}

/** Describes where the rotation cursor points, for observation: "head", a node id, or a description of a head or poison value. */
export function describeCursor(l: BpfLruList): number | "head" | string {
  const cursor = l.nextInactiveRotation;
  const inactive = l.lists[BPF_LRU_LIST_T_INACTIVE];
  if (cursor === inactive) return "head";
  if (cursor.node !== null) return cursor.node.id;
  if (cursor === LIST_POISON1 || cursor === LIST_POISON2) return cursor.name;
  return `the head of the ${cursor.name}`;
}
