import { describe, expect, it } from "vitest";
import { Place } from "../../impl/events.ts";
import { describeCursor } from "../../impl/bpf-lru-list.ts";
import {
  BPF_LRU_LIST_T_ACTIVE,
  BPF_LRU_LIST_T_FREE,
  BPF_LRU_LIST_T_INACTIVE,
  BPF_LRU_LOCAL_LIST_T_FREE,
  BPF_LRU_LOCAL_LIST_T_PENDING,
  localFreeList,
  localPendingList,
} from "../../impl/lru-node.ts";
import { runSequential } from "../../impl/sequential.ts";
import { arrange, ids, makeLru } from "./lru-fixture.ts";

const ACTIVE = BPF_LRU_LIST_T_ACTIVE;
const INACTIVE = BPF_LRU_LIST_T_INACTIVE;
const FREE = BPF_LRU_LIST_T_FREE;

describe("bpf_lru_list counts", () => {
  it("count inc and dec touch only active and inactive", () => {
    const { lru } = makeLru();
    const l = lru.lruList;
    l.bpfLruListCountInc(ACTIVE);
    l.bpfLruListCountInc(INACTIVE);
    l.bpfLruListCountInc(INACTIVE);
    l.bpfLruListCountInc(FREE);
    l.bpfLruListCountInc(BPF_LRU_LOCAL_LIST_T_PENDING);
    expect(l.counts).toEqual([1, 2]);
    l.bpfLruListCountDec(INACTIVE);
    l.bpfLruListCountDec(FREE);
    expect(l.counts).toEqual([1, 1]);
  });

  it("count dec below zero wraps as unsigned int", () => {
    const { lru } = makeLru();
    lru.lruList.bpfLruListCountDec(ACTIVE);
    expect(lru.lruList.counts[ACTIVE]).toBe(4294967295);
  });

  it("inactive is low when it has fewer nodes than active", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    expect(l.bpfLruListInactiveLow()).toBe(false);
    arrange(fixture, { active: [0, 1], inactive: [2] });
    expect(l.bpfLruListInactiveLow()).toBe(true);
    arrange(fixture, { inactive: [3] });
    expect(l.bpfLruListInactiveLow()).toBe(false);
  });
});

describe("__bpf_lru_node_move", () => {
  it("moves between lists, recounts and clears ref", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { active: [0, 1] });
    const node = fixture.nodes[1];
    node.ref = true;

    l.__bpfLruNodeMove(0, node, INACTIVE);

    expect(ids(l.lists[ACTIVE])).toEqual([0]);
    expect(ids(l.lists[INACTIVE])).toEqual([1]);
    expect(l.counts).toEqual([1, 1]);
    expect(node.type).toBe(INACTIVE);
    expect(node.ref).toBe(false);
    expect(fixture.recorder.moves.at(-1)).toEqual({
      node: 1, from: Place.Active, fromCpu: -1, to: Place.Inactive, toCpu: -1, cpu: 0, fn: "__bpf_lru_node_move",
    });
  });

  it("moves within a list to its head and reports from === to", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { active: [0, 1, 2] });
    l.__bpfLruNodeMove(0, fixture.nodes[2], ACTIVE);
    expect(ids(l.lists[ACTIVE])).toEqual([2, 0, 1]);
    expect(l.counts).toEqual([3, 0]);
    const move = fixture.recorder.moves.at(-1)!;
    expect(move.from).toBe(Place.Active);
    expect(move.to).toBe(Place.Active);
  });

  it("steps the rotation cursor back off the moved node", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { inactive: [0, 1, 2] });
    l.nextInactiveRotation = fixture.nodes[1].list;
    l.__bpfLruNodeMove(0, fixture.nodes[1], ACTIVE);
    expect(describeCursor(l)).toBe(0);
    l.__bpfLruNodeMove(0, fixture.nodes[0], ACTIVE);
    expect(describeCursor(l)).toBe("head");
  });

  it("warns and does nothing for a local node", () => {
    const fixture = makeLru();
    const node = runSequential(fixture.lru.bpfLruPopFree(0, 7))!;
    const movesBefore = fixture.recorder.moves.length;
    fixture.lru.lruList.__bpfLruNodeMove(0, node, ACTIVE);
    expect(node.type).toBe(BPF_LRU_LOCAL_LIST_T_PENDING);
    expect(fixture.recorder.moves.length).toBe(movesBefore);
    expect(fixture.lru.warnings.entries).toEqual(["WARN_ON_ONCE(IS_LOCAL_LIST_TYPE(node->type)) in __bpf_lru_node_move on CPU 0"]);
  });
});

describe("__bpf_lru_node_move_out and move_in", () => {
  it("move_out takes a global node to the local free head", () => {
    const fixture = makeLru({ nrCpus: 2 });
    const l = fixture.lru.lruList;
    arrange(fixture, { inactive: [0, 1] });
    l.nextInactiveRotation = fixture.nodes[0].list;
    const locL = fixture.lru.localList[1];

    l.__bpfLruNodeMoveOut(0, locL, fixture.nodes[0]);

    const node = fixture.nodes[0];
    expect(node.type).toBe(BPF_LRU_LOCAL_LIST_T_FREE);
    expect(node.cpu).toBe(1);
    expect(ids(localFreeList(locL))).toEqual([0]);
    expect(l.counts).toEqual([0, 1]);
    expect(describeCursor(l)).toBe("head");
    expect(fixture.recorder.moves.at(-1)).toEqual({
      node: 0, from: Place.Inactive, fromCpu: -1, to: Place.LocalFree, toCpu: 1, cpu: 0, fn: "__bpf_lru_node_move_out",
    });
  });

  it("move_out warns for a local node", () => {
    const fixture = makeLru();
    const node = runSequential(fixture.lru.bpfLruPopFree(0, 1))!;
    fixture.lru.lruList.__bpfLruNodeMoveOut(0, fixture.lru.localList[0], node);
    expect(node.place).toBe(Place.Pending);
    expect(fixture.lru.warnings.entries).toHaveLength(1);
  });

  it("move_in takes a pending node to a global head, counted, ref cleared", () => {
    const fixture = makeLru();
    const node = runSequential(fixture.lru.bpfLruPopFree(0, 1))!;
    node.ref = true;
    fixture.lru.lruList.__bpfLruNodeMoveIn(0, node, ACTIVE);
    expect(node.type).toBe(ACTIVE);
    expect(node.ref).toBe(false);
    expect(ids(fixture.lru.lruList.lists[ACTIVE])).toEqual([node.id]);
    expect(fixture.lru.lruList.counts).toEqual([1, 0]);
    expect(fixture.recorder.moves.at(-1)!.fn).toBe("__bpf_lru_node_move_in");
    expect(fixture.recorder.moves.at(-1)!.from).toBe(Place.Pending);
  });

  it("move_in warns for a global node", () => {
    const fixture = makeLru();
    fixture.lru.lruList.__bpfLruNodeMoveIn(0, fixture.nodes[0], ACTIVE);
    expect(fixture.nodes[0].place).toBe(Place.GlobalFree);
    expect(fixture.lru.warnings.entries[0]).toMatch(/!IS_LOCAL_LIST_TYPE\(node->type\)/);
  });
});

describe("__bpf_lru_list_rotate_active", () => {
  it("sorts nodes by ref bit, stops at first", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { active: [0, 1, 2, 3] });
    fixture.nodes[1].ref = true;
    fixture.nodes[3].ref = true;

    l.__bpfLruListRotateActive(0);

    expect(ids(l.lists[ACTIVE])).toEqual([1, 3]);
    expect(ids(l.lists[INACTIVE])).toEqual([0, 2]);
    expect(l.counts).toEqual([2, 2]);
    expect(fixture.nodes.every((node) => !node.ref)).toBe(true);
  });

  it("visits at most MAX_WALKS nodes", () => {
    const fixture = makeLru({ maxWalks: 2 });
    const l = fixture.lru.lruList;
    arrange(fixture, { active: [0, 1, 2, 3] });
    fixture.nodes[3].ref = true;

    l.__bpfLruListRotateActive(0);

    expect(ids(l.lists[ACTIVE])).toEqual([3, 0, 1]);
    expect(ids(l.lists[INACTIVE])).toEqual([2]);
  });

  it("rotate runs it only when inactive is low", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { active: [0, 1], inactive: [2, 3] });
    l.__bpfLruListRotate(0);
    expect(ids(l.lists[ACTIVE])).toEqual([0, 1]);
    arrange(fixture, { active: [4] });
    l.__bpfLruListRotate(0);
    expect(ids(l.lists[ACTIVE])).toEqual([]);
    expect(ids(l.lists[INACTIVE])).toEqual([4, 0, 1, 2, 3]);
  });
});

describe("__bpf_lru_list_rotate_inactive", () => {
  it("does nothing on an empty inactive list", () => {
    const fixture = makeLru();
    fixture.lru.lruList.__bpfLruListRotateInactive(0);
    expect(describeCursor(fixture.lru.lruList)).toBe("head");
    expect(fixture.recorder.moves.length).toBe(8);
  });

  it("full walk from head moves ref nodes", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { inactive: [0, 1, 2, 3, 4] });
    fixture.nodes[1].ref = true;
    fixture.nodes[3].ref = true;

    l.__bpfLruListRotateInactive(0);

    expect(ids(l.lists[ACTIVE])).toEqual([1, 3]);
    expect(ids(l.lists[INACTIVE])).toEqual([0, 2, 4]);
    expect(describeCursor(l)).toBe("head");
  });

  it("stops after MAX_WALKS nodes and resumes from its cursor", () => {
    const fixture = makeLru({ maxWalks: 2 });
    const l = fixture.lru.lruList;
    arrange(fixture, { inactive: [0, 1, 2, 3, 4] });
    fixture.nodes[1].ref = true;
    fixture.nodes[3].ref = true;

    l.__bpfLruListRotateInactive(0);
    expect(ids(l.lists[ACTIVE])).toEqual([3]);
    expect(describeCursor(l)).toBe(2);

    l.__bpfLruListRotateInactive(0);
    expect(ids(l.lists[ACTIVE])).toEqual([1, 3]);
    expect(ids(l.lists[INACTIVE])).toEqual([0, 2, 4]);
    expect(describeCursor(l)).toBe(0);
  });

  it("wraps past the head and stops at the node after its start", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { inactive: [0, 1, 2] });
    for (const node of fixture.nodes) node.ref = true;
    l.nextInactiveRotation = fixture.nodes[1].list;

    l.__bpfLruListRotateInactive(0);

    // Visited 1, 0, then past the head 2: each went to the active head.
    expect(ids(l.lists[ACTIVE])).toEqual([2, 0, 1]);
    expect(describeCursor(l)).toBe("head");
  });

  it("full lap keeps the cursor", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { inactive: [0, 1, 2] });
    l.nextInactiveRotation = fixture.nodes[1].list;
    l.__bpfLruListRotateInactive(0);
    expect(ids(l.lists[INACTIVE])).toEqual([0, 1, 2]);
    expect(describeCursor(l)).toBe(1);
  });
});

describe("__bpf_lru_list_get_free and __local_list_flush", () => {
  it("get_free moves up to the target from the free head", () => {
    const fixture = makeLru({ nodeCount: 5 });
    const l = fixture.lru.lruList;
    const locL = fixture.lru.localList[0];
    expect(ids(l.lists[FREE])).toEqual([4, 3, 2, 1, 0]);

    expect(l.__bpfLruListGetFree(0, locL, 3)).toBe(3);
    expect(ids(localFreeList(locL))).toEqual([2, 3, 4]);
    expect(ids(l.lists[FREE])).toEqual([1, 0]);

    expect(l.__bpfLruListGetFree(0, locL, 3)).toBe(2);
    expect(ids(l.lists[FREE])).toEqual([]);
    expect(l.__bpfLruListGetFree(0, locL, 3)).toBe(0);
  });

  it("flush moves pending nodes oldest first, ref nodes to active", () => {
    const fixture = makeLru();
    const lru = fixture.lru;
    const popped = [0, 1, 2].map(() => runSequential(lru.bpfLruPopFree(0, 0))!.id);
    expect(popped).toEqual([4, 5, 6]);
    const locL = lru.localList[0];
    expect(ids(localPendingList(locL))).toEqual([6, 5, 4]);
    fixture.nodes[5].ref = true;

    lru.lruList.__localListFlush(0, locL);

    expect(ids(localPendingList(locL))).toEqual([]);
    expect(ids(lru.lruList.lists[INACTIVE])).toEqual([6, 4]);
    expect(ids(lru.lruList.lists[ACTIVE])).toEqual([5]);
    expect(lru.lruList.counts).toEqual([1, 2]);
    expect(fixture.nodes[5].ref).toBe(false);
  });
});

describe("bpf_lru_list_push_free", () => {
  it("moves a global node to the free list under the global lock", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    arrange(fixture, { inactive: [0, 1] });
    l.nextInactiveRotation = fixture.nodes[1].list;

    runSequential(l.bpfLruListPushFree(2, fixture.nodes[1]));

    expect(ids(l.lists[FREE])[0]).toBe(1);
    expect(fixture.nodes[1].type).toBe(FREE);
    expect(l.counts).toEqual([0, 1]);
    expect(describeCursor(l)).toBe(0);
    expect(fixture.recorder.locks).toEqual([
      { kind: "acquired", lock: "lru_list.lock", cpu: 2 },
      { kind: "released", lock: "lru_list.lock", cpu: 2 },
    ]);
  });

  it("warns and takes no lock for a local node", () => {
    const fixture = makeLru();
    const node = runSequential(fixture.lru.bpfLruPopFree(0, 0))!;
    fixture.recorder.locks.length = 0;
    runSequential(fixture.lru.lruList.bpfLruListPushFree(0, node));
    expect(node.place).toBe(Place.Pending);
    expect(fixture.recorder.locks).toEqual([]);
    expect(fixture.lru.warnings.entries[0]).toMatch(/bpf_lru_list_push_free/);
  });
});
