import { describe, expect, it } from "vitest";
import { Place } from "../../impl/events.ts";
import {
  BPF_LRU_LIST_T_ACTIVE,
  BPF_LRU_LIST_T_FREE,
  BPF_LRU_LIST_T_INACTIVE,
  BPF_LRU_LOCAL_LIST_T_FREE,
  BPF_LRU_LOCAL_LIST_T_PENDING,
  localFreeList,
  LruNode,
  localPendingList,
} from "../../impl/lru-node.ts";
import { bpfLruPopulate } from "../../impl/bpf-lru.ts";
import { runSequential } from "../../impl/sequential.ts";
import { arrange, ids, makeLru } from "./lru-fixture.ts";

const ACTIVE = BPF_LRU_LIST_T_ACTIVE;
const INACTIVE = BPF_LRU_LIST_T_INACTIVE;
const FREE = BPF_LRU_LIST_T_FREE;

describe("bpf_lru_populate", () => {
  it("puts every node on the global free list, last first", () => {
    const fixture = makeLru({ nodeCount: 3 });
    expect(ids(fixture.lru.lruList.lists[FREE])).toEqual([2, 1, 0]);
    expect(fixture.nodes.map((node) => node.type)).toEqual([FREE, FREE, FREE]);
    expect(fixture.recorder.moves.map((move) => [move.node, move.from, move.to, move.fn])).toEqual([
      [0, Place.OffList, Place.GlobalFree, "bpf_lru_populate"],
      [1, Place.OffList, Place.GlobalFree, "bpf_lru_populate"],
      [2, Place.OffList, Place.GlobalFree, "bpf_lru_populate"],
    ]);
  });

  it("rejects more nodes than the LRU was created for", () => {
    const fixture = makeLru({ nodeCount: 2 });
    expect(() => bpfLruPopulate(fixture.lru, [new LruNode(2)], 0)).toThrow(/3 nodes in all, more than the 2/);
    expect(fixture.lru.nodes).toHaveLength(2);
  });
});

describe("__bpf_lru_list_shrink_inactive", () => {
  it("evicts unreferenced nodes from the tail up to the target", () => {
    const fixture = makeLru();
    const { lru } = fixture;
    arrange(fixture, { inactive: [0, 1, 2, 3] });
    fixture.nodes[2].ref = true;
    const locL = lru.localList[0];

    const shrunk = runSequential(lru.__bpfLruListShrinkInactive(0, locL, 2));

    expect(shrunk).toBe(2);
    expect(fixture.delCalls).toEqual([3, 1]);
    expect(ids(localFreeList(locL))).toEqual([1, 3]);
    expect(ids(lru.lruList.lists[ACTIVE])).toEqual([2]);
    expect(ids(lru.lruList.lists[INACTIVE])).toEqual([0]);
    expect(lru.lruList.counts).toEqual([1, 1]);
  });

  it("visits at most MAX_WALKS nodes, referenced ones included", () => {
    const fixture = makeLru({ maxWalks: 2 });
    const { lru } = fixture;
    arrange(fixture, { inactive: [0, 1, 2, 3] });
    fixture.nodes[2].ref = true;

    const shrunk = runSequential(lru.__bpfLruListShrinkInactive(0, lru.localList[0], 4));

    expect(shrunk).toBe(1);
    expect(ids(lru.lruList.lists[INACTIVE])).toEqual([0, 1]);
  });

  it("skips nodes whose element is not in the hash table", () => {
    const fixture = makeLru();
    const { lru } = fixture;
    arrange(fixture, { inactive: [0, 1, 2] });
    fixture.evictable.delete(2);

    const shrunk = runSequential(lru.__bpfLruListShrinkInactive(0, lru.localList[0], 1));

    expect(shrunk).toBe(1);
    expect(fixture.delCalls).toEqual([2, 1]);
    expect(ids(lru.lruList.lists[INACTIVE])).toEqual([0, 2]);
  });
});

describe("__bpf_lru_list_shrink", () => {
  it("force-shrinks the active tail when inactive yields nothing", () => {
    const fixture = makeLru();
    const { lru } = fixture;
    arrange(fixture, { active: [2], inactive: [0, 1] });
    fixture.nodes[0].ref = true;
    fixture.nodes[1].ref = true;
    const locL = lru.localList[0];

    const shrunk = runSequential(lru.__bpfLruListShrink(0, locL, 3));

    // The inactive walk moved 1 then 0 to the active head; the forced walk
    // then took the active tail, ignoring ref bits.
    expect(shrunk).toBe(1);
    expect(ids(localFreeList(locL))).toEqual([2]);
    expect(ids(lru.lruList.lists[ACTIVE])).toEqual([0, 1]);
  });

  it("force-shrinks only the inactive list while it is not empty", () => {
    const fixture = makeLru();
    const { lru } = fixture;
    arrange(fixture, { active: [2], inactive: [0, 1] });
    fixture.evictable.delete(0);
    fixture.evictable.delete(1);

    const shrunk = runSequential(lru.__bpfLruListShrink(0, lru.localList[0], 1));

    expect(shrunk).toBe(0);
    expect(fixture.delCalls).toEqual([1, 0, 1, 0]);
    expect(ids(lru.lruList.lists[ACTIVE])).toEqual([2]);
  });
});

describe("bpf_lru_list_pop_free", () => {
  it("takes LOCAL_FREE_TARGET free nodes and shrinks nothing when enough are free", () => {
    const fixture = makeLru({ localFreeTarget: 3 });
    const { lru } = fixture;
    const locL = lru.localList[0];

    runSequential(lru.bpfLruListPopFree(0, locL));

    expect(ids(localFreeList(locL))).toEqual([5, 6, 7]);
    expect(ids(lru.lruList.lists[FREE])).toEqual([4, 3, 2, 1, 0]);
    expect(fixture.delCalls).toEqual([]);
  });

  it("shrinks for the whole shortfall even after finding free nodes", () => {
    const fixture = makeLru({ nodeCount: 4, localFreeTarget: 4 });
    const { lru } = fixture;
    const locL = lru.localList[0];
    // Leave one node free and three on the inactive list.
    arrange(fixture, { inactive: [0, 1, 2] });

    runSequential(lru.bpfLruListPopFree(0, locL));

    expect(fixture.delCalls).toEqual([2, 1, 0]);
    expect(ids(localFreeList(locL))).toEqual([0, 1, 2, 3]);
    expect(lru.lruList.lock.holder).toBeNull();
  });

  it("flushes the pending list before rotating", () => {
    const fixture = makeLru({ nodeCount: 2, localFreeTarget: 2 });
    const { lru } = fixture;
    const a = runSequential(lru.bpfLruPopFree(0, 0))!;
    const b = runSequential(lru.bpfLruPopFree(0, 0))!;
    a.ref = true;
    fixture.evictable.clear();

    runSequential(lru.bpfLruListPopFree(0, lru.localList[0]));

    expect(ids(localPendingList(lru.localList[0]))).toEqual([]);
    expect(ids(lru.lruList.lists[ACTIVE])).toEqual([a.id]);
    expect(ids(lru.lruList.lists[INACTIVE])).toEqual([b.id]);
  });
});

describe("bpf_lru_pop_free", () => {
  it("refills the local free list in batches and queues the node as pending", () => {
    const fixture = makeLru({ localFreeTarget: 3 });
    const { lru } = fixture;

    const node = runSequential(lru.bpfLruPopFree(0, 0xabc))!;

    expect(node.id).toBe(5);
    expect(node.type).toBe(BPF_LRU_LOCAL_LIST_T_PENDING);
    expect(node.hash).toBe(0xabc);
    expect(ids(localFreeList(lru.localList[0]))).toEqual([6, 7]);
    expect(ids(localPendingList(lru.localList[0]))).toEqual([5]);
    expect(fixture.recorder.acquiredLocks()).toEqual(["loc_l[0].lock", "lru_list.lock"]);
    const fns = fixture.recorder.moves.slice(8).map((move) => move.fn);
    expect(fns).toEqual([
      "__bpf_lru_node_move_out",
      "__bpf_lru_node_move_out",
      "__bpf_lru_node_move_out",
      "__local_list_pop_free",
      "__local_list_add_pending",
    ]);

    fixture.recorder.locks.length = 0;
    expect(runSequential(lru.bpfLruPopFree(0, 1))!.id).toBe(6);
    expect(fixture.recorder.acquiredLocks()).toEqual(["loc_l[0].lock"]);
  });

  it("steals round robin from next_steal and advances it past the victim", () => {
    const fixture = makeLru({ nrCpus: 3, nodeCount: 4, localFreeTarget: 4 });
    const { lru } = fixture;
    const first = runSequential(lru.bpfLruPopFree(0, 0))!;
    expect(first.id).toBe(0);
    expect(ids(localFreeList(lru.localList[0]))).toEqual([1, 2, 3]);
    fixture.recorder.locks.length = 0;

    const stolen = runSequential(lru.bpfLruPopFree(2, 0))!;

    expect(stolen.id).toBe(1);
    expect(fixture.recorder.acquiredLocks()).toEqual([
      "loc_l[2].lock",
      "lru_list.lock",
      "loc_l[2].lock",
      "loc_l[0].lock",
      "loc_l[2].lock",
    ]);
    expect(lru.localList[2].nextSteal).toBe(1);
    expect(ids(localPendingList(lru.localList[2]))).toEqual([1]);
    const pop = fixture.recorder.moves.find((move) => move.fn === "__local_list_pop_free" && move.cpu === 2)!;
    expect(pop).toMatchObject({ node: 1, from: Place.LocalFree, fromCpu: 0, to: Place.OffList });

    // The next steal starts at CPU 1, then tries CPU 2, whose pending node
    // the refill has flushed to the global list and failed to evict, and
    // reaches CPU 0 last.
    fixture.evictable.clear();
    fixture.recorder.locks.length = 0;
    expect(runSequential(lru.bpfLruPopFree(2, 0))!.id).toBe(2);
    expect(fixture.recorder.acquiredLocks()).toEqual([
      "loc_l[2].lock",
      "lru_list.lock",
      "loc_l[1].lock",
      "loc_l[2].lock",
      "loc_l[0].lock",
      "loc_l[2].lock",
    ]);
    expect(lru.localList[2].nextSteal).toBe(1);
  });

  it("steals a pending node by evicting its element", () => {
    const fixture = makeLru({ nrCpus: 2, nodeCount: 2, localFreeTarget: 2 });
    const { lru } = fixture;
    runSequential(lru.bpfLruPopFree(0, 0));
    runSequential(lru.bpfLruPopFree(0, 0));
    fixture.evictable.clear();
    fixture.evictable.add(0);

    const stolen = runSequential(lru.bpfLruPopFree(1, 9))!;

    expect(stolen.id).toBe(0);
    expect(ids(localPendingList(lru.localList[0]))).toEqual([1]);
    expect(ids(localPendingList(lru.localList[1]))).toEqual([0]);
    expect(lru.localList[1].nextSteal).toBe(1);
    expect(fixture.recorder.moves.some((move) => move.fn === "__local_list_pop_pending" && move.node === 0)).toBe(true);
  });

  it("returns null after trying every CPU once and leaves next_steal in place", () => {
    const fixture = makeLru({ nrCpus: 3, nodeCount: 2, localFreeTarget: 2 });
    const { lru } = fixture;
    runSequential(lru.bpfLruPopFree(0, 0));
    runSequential(lru.bpfLruPopFree(0, 0));
    fixture.evictable.clear();
    lru.localList[1].nextSteal = 2;
    fixture.recorder.locks.length = 0;

    expect(runSequential(lru.bpfLruPopFree(1, 0))).toBeNull();

    expect(fixture.recorder.acquiredLocks()).toEqual([
      "loc_l[1].lock",
      "lru_list.lock",
      "loc_l[2].lock",
      "loc_l[0].lock",
      "loc_l[1].lock",
    ]);
    expect(lru.localList[1].nextSteal).toBe(2);
  });
});

describe("bpf_lru_push_free", () => {
  it("returns a pending node to its CPU's local free list", () => {
    const fixture = makeLru({ nrCpus: 2 });
    const { lru } = fixture;
    const node = runSequential(lru.bpfLruPopFree(1, 0))!;
    node.ref = true;
    fixture.recorder.locks.length = 0;

    runSequential(lru.bpfLruPushFree(0, node));

    expect(node.type).toBe(BPF_LRU_LOCAL_LIST_T_FREE);
    expect(node.ref).toBe(false);
    expect(ids(localFreeList(lru.localList[1]))[0]).toBe(node.id);
    expect(fixture.recorder.acquiredLocks()).toEqual(["loc_l[1].lock"]);
    expect(fixture.recorder.moves.at(-1)).toEqual({
      node: node.id, from: Place.Pending, fromCpu: 1, to: Place.LocalFree, toCpu: 1, cpu: 0, fn: "bpf_lru_push_free",
    });
  });

  it("returns a flushed node to the global free list", () => {
    const fixture = makeLru();
    const { lru } = fixture;
    const node = runSequential(lru.bpfLruPopFree(0, 0))!;
    lru.lruList.__localListFlush(0, lru.localList[0]);
    expect(node.type).toBe(INACTIVE);
    fixture.recorder.locks.length = 0;

    runSequential(lru.bpfLruPushFree(0, node));

    expect(node.type).toBe(FREE);
    expect(ids(lru.lruList.lists[FREE])[0]).toBe(node.id);
    expect(lru.lruList.counts).toEqual([0, 0]);
    expect(fixture.recorder.acquiredLocks()).toEqual(["lru_list.lock"]);
  });

  it("warns and does nothing for a free node", () => {
    const fixture = makeLru();
    runSequential(fixture.lru.bpfLruPushFree(0, fixture.nodes[0]));
    expect(fixture.nodes[0].place).toBe(Place.GlobalFree);
    expect(fixture.lru.warnings.entries).toEqual([
      "WARN_ON_ONCE(node->type == BPF_LRU_LIST_T_FREE) in bpf_lru_push_free on CPU 0",
    ]);
    expect(fixture.recorder.locks).toEqual([]);
  });
});
