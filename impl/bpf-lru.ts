/**
 * `struct bpf_lru` and the functions of kernel/bpf/bpf_lru_list.c that take
 * it (or a local list) as their subject, ported one to one from the RFC patch
 * "[RFC,net-next,1/5] bpf: LRU List" (Martin KaFai Lau, 2 Oct 2016). They are
 * the shrink paths, the local free and pending lists, and the entry points
 * bpf_lru_pop_free, bpf_lru_push_free, bpf_lru_populate and bpf_lru_init.
 *
 * Functions that can reach a preemption point (a lock, or an unlocked access
 * to shared state) are generators run with `yield*`; the others are plain.
 * `this_cpu_ptr(lru->local_list)` is `this.localList[cpu]`, with the
 * executing CPU passed explicitly.
 */
import type { CpuId, LockOps, Sim } from "../harness/points.ts";
import type { LruObserver } from "./events.ts";
import { BpfLruList, bpfLruListInit } from "./bpf-lru-list.ts";
import {
  initListHead,
  listAdd,
  listDel,
  listEmpty,
  listFirstEntryOrNull,
  listForEachEntryReverse,
  listForEachEntrySafeReverse,
  listMove,
} from "./list.ts";
import type { LruContext } from "./lru-node.ts";
import type { MutantName } from "./variants.ts";
import { forceShrinkTail } from "./mutants/force-shrink-tail.ts";
import {
  BPF_LRU_LIST_T_ACTIVE,
  BPF_LRU_LIST_T_FREE,
  BPF_LRU_LIST_T_INACTIVE,
  BPF_LRU_LOCAL_LIST_T_FREE,
  BPF_LRU_LOCAL_LIST_T_PENDING,
  BpfLruLocallist,
  LruNode,
  NEXT_STEAL_READ,
  NEXT_STEAL_WRITE,
  NODE_CPU_READ,
  NODE_TYPE_READ,
  NR_BPF_LRU_LOCAL_LIST_T,
  WarnLog,
  bpfLruNodeIsRef,
  getNextCpu,
  localFreeList,
  localPendingList,
  reportMove,
} from "./lru-node.ts";

/** del_from_htab_func: removes the node's element from the hash table if it is still there. */
export type DelFromHtab = (cpu: CpuId, node: LruNode) => Sim<boolean>;

export interface BpfLruOptions {
  readonly nrCpus: number;
  /** Number of nodes that will be populated; walks are bounded by it. */
  readonly nodeCount: number;
  readonly localFreeTarget: number;
  readonly maxWalks: number;
  readonly variant: string;
  readonly mutant: MutantName | null;
  readonly ops: LockOps;
  readonly observer: LruObserver;
}

/** struct bpf_lru: the global list, one local list per CPU, and the hash table's callback. */
export class BpfLru implements LruContext {
  readonly lruList: BpfLruList;
  /** The per-CPU `local_list`, indexed by CPU. */
  readonly localList: readonly BpfLruLocallist[];
  delFromHtab: DelFromHtab;

  readonly nrCpus: number;
  readonly localFreeTarget: number;
  readonly maxWalks: number;
  readonly variant: string;
  readonly mutant: MutantName | null;
  readonly ops: LockOps;
  readonly observer: LruObserver;
  readonly warnings = new WarnLog();
  /** Every node handed to bpfLruPopulate, indexed by id (not kernel data: the kernel reaches nodes through the elements). */
  readonly nodes: LruNode[] = [];

  constructor(options: BpfLruOptions, delFromHtab: DelFromHtab) {
    this.nrCpus = options.nrCpus;
    this.localFreeTarget = options.localFreeTarget;
    this.maxWalks = options.maxWalks;
    this.variant = options.variant;
    this.mutant = options.mutant;
    this.ops = options.ops;
    this.observer = options.observer;
    this.delFromHtab = delFromHtab;

    this.lruList = new BpfLruList(this, options.nodeCount);
    const localList: BpfLruLocallist[] = [];
    for (let cpu = 0; cpu < options.nrCpus; cpu++) localList.push(new BpfLruLocallist(cpu));
    this.localList = localList;

    bpfLruInit(this, delFromHtab);
  }

  /** per_cpu_ptr(lru->local_list, cpu), with a check the kernel does not make. */
  perCpuPtr(cpu: number): BpfLruLocallist {
    const locL = this.localList[cpu];
    if (locL === undefined) {
      throw new Error(`per_cpu_ptr for CPU ${cpu}, but only CPUs 0 to ${this.nrCpus - 1} exist`);
    }
    return locL;
  }

  /**
   * __bpf_lru_list_shrink_inactive: walks the inactive list from its tail for
   * at most MAX_WALKS nodes. A node with the ref bit moves to the active head.
   * A node without it moves to `locL`'s free list if del_from_htab removes
   * its element. Stops after `tgtNshrink` such nodes and returns their number.
   */
  *__bpfLruListShrinkInactive(cpu: CpuId, locL: BpfLruLocallist, tgtNshrink: number): Sim<number> {
    const l = this.lruList;
    const inactive = l.lists[BPF_LRU_LIST_T_INACTIVE];
    let nshrinked = 0;
    let i = 0;

    // NOTE: the RFC also computes first_node = list_first_entry(inactive)
    // here and never uses it.
    for (const node of listForEachEntrySafeReverse(inactive)) {
      if (bpfLruNodeIsRef(node)) {
        l.__bpfLruNodeMove(cpu, node, BPF_LRU_LIST_T_ACTIVE);
      } else if (this.mutant === "shrink-skips-del-from-htab") {
        l.__bpfLruNodeMoveOut(cpu, locL, node);
        if (++nshrinked === tgtNshrink) break;
      } else if (yield* this.delFromHtab(cpu, node)) {
        l.__bpfLruNodeMoveOut(cpu, locL, node);
        if (++nshrinked === tgtNshrink) break;
      }

      if (++i === this.maxWalks) break;
    }

    return nshrinked;
  }

  /**
   * __bpf_lru_list_shrink: shrinks the inactive list. If that yields nothing,
   * it force-shrinks one node, ignoring the ref bit, from the tail of the
   * inactive list, or of the active list when the inactive list is empty.
   */
  *__bpfLruListShrink(cpu: CpuId, locL: BpfLruLocallist, tgtNshrink: number): Sim<number> {
    const l = this.lruList;

    const nshrinked = yield* this.__bpfLruListShrinkInactive(cpu, locL, tgtNshrink);
    if (nshrinked) return nshrinked;

    const forceShrinkList = !listEmpty(l.lists[BPF_LRU_LIST_T_INACTIVE])
      ? l.lists[BPF_LRU_LIST_T_INACTIVE]
      : l.lists[BPF_LRU_LIST_T_ACTIVE];
    if (this.mutant === "force-shrink-takes-tail") return yield* forceShrinkTail(this, cpu, locL, forceShrinkList);

    for (const node of listForEachEntrySafeReverse(forceShrinkList)) {
      if (yield* this.delFromHtab(cpu, node)) {
        l.__bpfLruNodeMoveOut(cpu, locL, node);
        return 1;
      }
    }

    return 0;
  }

  /**
   * bpf_lru_list_pop_free: under the global lock, flushes `locL`'s pending
   * list, rotates, moves up to LOCAL_FREE_TARGET global free nodes to `locL`,
   * and shrinks for the shortfall.
   */
  *bpfLruListPopFree(cpu: CpuId, locL: BpfLruLocallist): Sim<void> {
    const l = this.lruList;

    yield* this.ops.lock(l.lock, cpu);

    l.__localListFlush(cpu, locL);

    l.__bpfLruListRotate(cpu);

    const nfree = l.__bpfLruListGetFree(cpu, locL, this.localFreeTarget);
    // NOTE: the shrink target is the rest of the whole batch, not the one
    // node the caller needs, so a trip that already found free nodes still
    // evicts up to LOCAL_FREE_TARGET - nfree elements. A map of 3 elements
    // with LOCAL_FREE_TARGET 2 evicts its first key when the third is
    // inserted and keeps a free node unused. Other CPUs' local free lists may
    // also hold free nodes meanwhile.
    if (nfree < this.localFreeTarget) {
      yield* this.__bpfLruListShrink(cpu, locL, this.localFreeTarget - nfree);
    }

    yield* this.ops.unlock(l.lock, cpu);
  }

  /**
   * __local_list_add_pending: stores the element's hash, marks the node
   * pending with no ref bit, and adds it at the head of `locL`'s pending list.
   */
  __localListAddPending(cpu: CpuId, locL: BpfLruLocallist, node: LruNode, hash: number): void {
    node.hash = hash;
    // NOTE: the RFC never sets node->cpu here. A node stolen from another
    // CPU's local list keeps that CPU in node->cpu while it sits on this
    // pending list, so a later bpf_lru_push_free locks the other CPU's local
    // list and moves the node off this one without this list's lock. The
    // "steal-sets-cpu" variant sets it, as the merged kernel does.
    if (this.variant === "steal-sets-cpu") node.cpu = locL.cpu;
    node.type = BPF_LRU_LOCAL_LIST_T_PENDING;
    if (this.mutant !== "add-pending-keeps-ref") node.ref = false;
    listAdd(node.list, localPendingList(locL));
    reportMove(this.observer, cpu, node, "__local_list_add_pending");
  }

  /** __local_list_pop_free: unlinks and returns the first node of `locL`'s free list, or null. */
  __localListPopFree(cpu: CpuId, locL: BpfLruLocallist): LruNode | null {
    const node = listFirstEntryOrNull(localFreeList(locL));
    if (node !== null) {
      listDel(node.list);
      reportMove(this.observer, cpu, node, "__local_list_pop_free");
    }

    return node;
  }

  /**
   * __local_list_pop_pending: walks `locL`'s pending list from its tail (the
   * oldest) and unlinks the first node without the ref bit whose element
   * del_from_htab removes. If there is none, it walks again ignoring the ref
   * bit. Returns the node or null.
   */
  *__localListPopPending(cpu: CpuId, locL: BpfLruLocallist): Sim<LruNode | null> {
    for (const force of [false, true]) {
      for (const node of listForEachEntryReverse(localPendingList(locL))) {
        if ((!bpfLruNodeIsRef(node) || force) && (yield* this.delFromHtab(cpu, node))) {
          listDel(node.list);
          reportMove(this.observer, cpu, node, "__local_list_pop_pending");
          return node;
        }
      }
    }

    return null;
  }

  /**
   * bpf_lru_pop_free: gets a free node for a new element with `hash`.
   * 1. Under this CPU's local lock, takes the first local free node, refilling
   *    the local free list from the global list when it is empty, and puts
   *    the node on this CPU's pending list.
   * 2. Failing that, steals round robin from every CPU's local lists (this
   *    one included), starting at loc_l->next_steal: a free node first, else
   *    a pending node whose element it evicts. next_steal is left at the CPU
   *    after the last one tried; it is read and written without a lock.
   * 3. A stolen node goes on this CPU's pending list. Returns null if none.
   */
  *bpfLruPopFree(cpu: CpuId, hash: number): Sim<LruNode | null> {
    const locL = this.perCpuPtr(cpu);

    if (this.mutant === "pop-free-locks-next-cpu") yield* this.ops.lock(this.perCpuPtr(getNextCpu(cpu, this.nrCpus)).lock, cpu);
    else yield* this.ops.lock(locL.lock, cpu);

    let node = this.__localListPopFree(cpu, locL);
    if (node === null) {
      yield* this.bpfLruListPopFree(cpu, locL);
      node = this.__localListPopFree(cpu, locL);
    }

    if (node !== null) this.__localListAddPending(cpu, locL, node, hash);

    if (this.mutant === "pop-free-locks-next-cpu") yield* this.ops.unlock(this.perCpuPtr(getNextCpu(cpu, this.nrCpus)).lock, cpu);
    else yield* this.ops.unlock(locL.lock, cpu);

    if (node !== null) return node;

    yield NEXT_STEAL_READ;
    const firstSteal = locL.nextSteal;
    let steal = firstSteal;
    do {
      const stealLocL = this.perCpuPtr(steal);

      if (this.mutant !== "steal-skips-victim-lock") yield* this.ops.lock(stealLocL.lock, cpu);

      node = this.__localListPopFree(cpu, stealLocL);
      if (node === null) node = yield* this.__localListPopPending(cpu, stealLocL);

      if (this.mutant !== "steal-skips-victim-lock") yield* this.ops.unlock(stealLocL.lock, cpu);

      steal = getNextCpu(steal, this.nrCpus);
      if (this.mutant === "steal-walk-one-short" && getNextCpu(steal, this.nrCpus) === firstSteal) break;
    } while (node === null && steal !== firstSteal);

    yield NEXT_STEAL_WRITE;
    locL.nextSteal = steal;

    if (node !== null) {
      yield* this.ops.lock(locL.lock, cpu);
      this.__localListAddPending(cpu, locL, node, hash);
      yield* this.ops.unlock(locL.lock, cpu);
    }

    return node;
  }

  /**
   * bpf_lru_push_free: gives back the node of an element that left the hash
   * table.
   * 1. Refuses (WARN) a node already free, reading node->type unlocked.
   * 2. A pending node goes back to the local free list of the CPU in
   *    node->cpu, under that CPU's local lock, provided it is still pending
   *    once the lock is held. node->type and node->cpu are read unlocked.
   * 3. Any other node (or one flushed meanwhile) goes to the global free list
   *    through bpf_lru_list_push_free.
   */
  *bpfLruPushFree(cpu: CpuId, node: LruNode): Sim<void> {
    yield NODE_TYPE_READ;
    if (
      this.warnings.warnOnOnce(node.type === BPF_LRU_LIST_T_FREE, "bpf_lru_push_free", "node->type == BPF_LRU_LIST_T_FREE", cpu) ||
      this.warnings.warnOnOnce(node.type === BPF_LRU_LOCAL_LIST_T_FREE, "bpf_lru_push_free", "node->type == BPF_LRU_LOCAL_LIST_T_FREE", cpu)
    ) {
      return;
    }

    yield NODE_TYPE_READ;
    if (node.type === BPF_LRU_LOCAL_LIST_T_PENDING) {
      yield NODE_CPU_READ;
      const locL = this.perCpuPtr(node.cpu);

      if (this.mutant !== "push-free-skips-local-lock") yield* this.ops.lock(locL.lock, cpu);

      if (this.mutant === "push-free-skips-type-recheck" || node.type === BPF_LRU_LOCAL_LIST_T_PENDING) {
        node.type = BPF_LRU_LOCAL_LIST_T_FREE;
        node.ref = false;
        listMove(node.list, localFreeList(locL));
        reportMove(this.observer, cpu, node, "bpf_lru_push_free");

        if (this.mutant !== "push-free-skips-local-lock") yield* this.ops.unlock(locL.lock, cpu);
        return;
      }

      // The node was flushed to the global list meanwhile: the RFC's
      // `goto check_lru_list`.
      if (this.mutant !== "push-free-skips-local-lock") yield* this.ops.unlock(locL.lock, cpu);
    }

    yield* this.lruList.bpfLruListPushFree(cpu, node);
  }
}

/**
 * bpf_lru_populate: puts every node on the head of the global free list,
 * typed free with no ref bit, so the last node given ends up first. Runs at
 * map creation; `cpu` is only the CPU reported with the moves.
 */
export function bpfLruPopulate(lru: BpfLru, nodes: readonly LruNode[], cpu: CpuId): void {
  const l = lru.lruList;
  if (lru.nodes.length + nodes.length > lru.lruList.lists[BPF_LRU_LIST_T_FREE].walkLimit) {
    throw new Error(
      `bpf_lru_populate with ${lru.nodes.length + nodes.length} nodes in all, ` +
        `more than the ${l.lists[BPF_LRU_LIST_T_FREE].walkLimit} the LRU was created for`,
    );
  }

  for (const node of nodes) {
    node.type = BPF_LRU_LIST_T_FREE;
    node.ref = false;
    listAdd(node.list, l.lists[BPF_LRU_LIST_T_FREE]);
    reportMove(lru.observer, cpu, node, "bpf_lru_populate");
    lru.nodes.push(node);
  }
}

/** bpf_lru_locallist_init: empties both lists, sets the CPU, starts stealing at this CPU, frees the lock. */
export function bpfLruLocallistInit(locL: BpfLruLocallist, cpu: number, walkLimit: number): void {
  for (let i = 0; i < NR_BPF_LRU_LOCAL_LIST_T; i++) {
    initListHead(locL.lists[i]);
    locL.lists[i].walkLimit = walkLimit;
  }

  locL.cpu = cpu;
  locL.nextSteal = cpu;

  locL.lock.holder = null;
}

/** bpf_lru_init: initialises every CPU's local list and the global list, and stores the callback. */
export function bpfLruInit(lru: BpfLru, delFromHtab: DelFromHtab): void {
  for (let cpu = 0; cpu < lru.nrCpus; cpu++) {
    bpfLruLocallistInit(lru.localList[cpu], cpu, lru.lruList.lists[BPF_LRU_LIST_T_ACTIVE].walkLimit);
  }

  bpfLruListInit(lru.lruList);

  lru.delFromHtab = delFromHtab;
}

// NOTE: bpf_lru_list.h also declares bpf_lru_promote(), which the RFC never
// defines and nothing calls; the port has no counterpart.
