/**
 * Behaviour of the port that no checker property observes: the guards that
 * fire only on a broken list or an invalid call, the port's reports of what
 * it read, and which pending node a steal evicts.
 */
import { describe, expect, it } from "vitest";
import { BPF_ANY, BPF_NOEXIST } from "../../checker/types.ts";
import { LockOps, SubjectFault } from "../../harness/points.ts";
import { describeCursor } from "../../impl/bpf-lru-list.ts";
import { Place } from "../../impl/events.ts";
import { HtabLru } from "../../impl/htab-lru.ts";
import type { HtabLruParams } from "../../impl/htab-lru.ts";
import { LIST_POISON1, LIST_POISON2, ListHead, listAdd, listDel, listFirstEntryOrNull, listNodeIds } from "../../impl/list.ts";
import {
  BPF_LRU_LIST_T_ACTIVE,
  BPF_LRU_LIST_T_FREE,
  BPF_LRU_LIST_T_INACTIVE,
  BPF_LRU_LOCAL_LIST_T_FREE,
  BPF_LRU_LOCAL_LIST_T_PENDING,
  LruNode,
  isLocalListType,
  localFreeList,
} from "../../impl/lru-node.ts";
import { observeLru } from "../../impl/observe.ts";
import { runSequential } from "../../impl/sequential.ts";
import { Recorder, makeLru } from "./lru-fixture.ts";

function faultOf(action: () => unknown): SubjectFault {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SubjectFault);
    return error as SubjectFault;
  }
  throw new Error("expected a SubjectFault, but nothing was thrown");
}

/** Builds a list head named `name` holding nodes 0..count-1, with node 0 at the tail. */
function listOf(name: string, count: number): { head: ListHead; nodes: LruNode[] } {
  const head = new ListHead(null, name, Place.Inactive, -1);
  head.walkLimit = count;
  const nodes: LruNode[] = [];
  for (let id = 0; id < count; id++) {
    const node = new LruNode(id);
    listAdd(node.list, head);
    nodes.push(node);
  }
  return { head, nodes };
}

function makeMap(params: Partial<HtabLruParams> = {}) {
  const recorder = new Recorder();
  const map = new HtabLru(
    { nrCpus: 2, maxEntries: 2, localFreeTarget: 2, maxWalks: 4, buckets: 1, variant: "steal-sets-cpu", ...params },
    new LockOps(recorder),
    recorder,
  );
  return { map, recorder };
}

describe("list guards", () => {
  it("list_add next to a stale neighbour faults", () => {
    const { head } = listOf("inactive list", 2);
    head.next.prev = head.prev;
    expect(faultOf(() => listAdd(new LruNode(9).list, head)).message).toMatch(/are not adjacent/);
  });

  it("list_del with one poisoned link faults as deleted", () => {
    for (const poison of ["next", "prev"] as const) {
      const { nodes } = listOf("inactive list", 2);
      if (poison === "next") nodes[0].list.next = LIST_POISON1;
      else nodes[0].list.prev = LIST_POISON2;
      expect(faultOf(() => listDel(nodes[0].list)).message, poison).toMatch(/already deleted \(poisoned links\)/);
    }
  });

  it("list_del with one stale neighbour faults", () => {
    for (const side of ["next", "prev"] as const) {
      const { nodes } = listOf("inactive list", 3);
      const entry = nodes[1].list;
      if (side === "next") entry.next.prev = entry.next;
      else entry.prev.next = entry.prev;
      const expected = "list_del of node 1 from the global inactive list: its neighbours do not point back to it";
      expect(faultOf(() => listDel(entry)).message, side).toBe(expected);
    }
  });

  it("reaching a poisoned link names it", () => {
    const { head } = listOf("inactive list", 1);
    head.next = LIST_POISON1;
    const fault = faultOf(() => listFirstEntryOrNull(head));
    expect(fault.message).toBe("a walk of the inactive list reached LIST_POISON1 (a deleted entry's link) instead of a node");
  });

  it("observation walk reports another list's head", () => {
    const { head, nodes } = listOf("inactive list", 1);
    const other = new ListHead(null, "active list", Place.Active, -1);
    nodes[0].list.next = other;
    other.prev = nodes[0].list;
    const faults: string[] = [];
    expect(listNodeIds(head, (message) => faults.push(message))).toEqual([0]);
    expect(faults).toEqual(["inactive list: reached the head of the active list instead of a node"]);
  });

  it("observation walk stops past the node count", () => {
    const { head } = listOf("inactive list", 3);
    head.walkLimit = 2;
    const faults: string[] = [];
    expect(listNodeIds(head, (message) => faults.push(message))).toEqual([2, 1]);
    expect(faults).toEqual(["inactive list: more than 2 entries without returning to the head"]);
  });
});

describe("LRU guards", () => {
  it("local list types are the two local ones", () => {
    expect([BPF_LRU_LIST_T_ACTIVE, BPF_LRU_LIST_T_INACTIVE, BPF_LRU_LIST_T_FREE].map(isLocalListType)).toEqual([false, false, false]);
    expect([BPF_LRU_LOCAL_LIST_T_FREE, BPF_LRU_LOCAL_LIST_T_PENDING].map(isLocalListType)).toEqual([true, true]);
  });

  it("push_free warns and does nothing for a local free node", () => {
    const fixture = makeLru({ nodeCount: 2 });
    const node = fixture.nodes[0];
    fixture.lru.lruList.__bpfLruNodeMoveOut(0, fixture.lru.localList[0], node);

    runSequential(fixture.lru.bpfLruPushFree(0, node));

    expect(fixture.lru.warnings.entries).toEqual(["WARN_ON_ONCE(node->type == BPF_LRU_LOCAL_LIST_T_FREE) in bpf_lru_push_free on CPU 0"]);
    expect(node.list.place).toBe(Place.LocalFree);
    expect(localFreeList(fixture.lru.localList[0]).next).toBe(node.list);
  });

  it("per_cpu_ptr rejects a CPU that does not exist", () => {
    const fixture = makeLru({ nrCpus: 2 });
    expect(fixture.lru.perCpuPtr(1).cpu).toBe(1);
    expect(() => fixture.lru.perCpuPtr(2)).toThrow("per_cpu_ptr for CPU 2, but only CPUs 0 to 1 exist");
  });

  it("rotation cursor off the inactive list is described", () => {
    const fixture = makeLru();
    const l = fixture.lru.lruList;
    expect(describeCursor(l)).toBe("head");

    l.nextInactiveRotation = l.lists[BPF_LRU_LIST_T_ACTIVE];
    expect(describeCursor(l)).toBe("the head of the global active list");
    l.nextInactiveRotation = LIST_POISON1;
    expect(describeCursor(l)).toBe("LIST_POISON1");
    l.nextInactiveRotation = LIST_POISON2;
    expect(describeCursor(l)).toBe("LIST_POISON2");
  });
});

describe("hash table guards", () => {
  it("accepts 64 CPUs", () => {
    expect(makeMap({ nrCpus: 64 }).map.lru.localList).toHaveLength(64);
  });

  it("rejects more than 2^30 buckets before allocating them", () => {
    expect(() => makeMap({ buckets: 2 ** 31 })).toThrow("invalid buckets 2147483648: expected a power of two from 1 to 2^30");
  });

  it("rejects a key that is not an integer", () => {
    const { map } = makeMap();
    expect(() => runSequential(map.update(0, 1.5, 1, BPF_ANY))).toThrow("invalid key 1.5: keys are integers");
    expect(() => runSequential(map.lookup(0, Number.NaN))).toThrow("invalid key NaN");
  });

  it("a bucket whose hash list is a cycle faults", () => {
    const { map } = makeMap();
    expect(runSequential(map.update(0, 1, 10, BPF_ANY))).toBe(0);
    const elem = map.buckets[0].first!;
    elem.hashNext = elem;

    const fault = faultOf(() => runSequential(map.lookup(0, 2)));
    expect(fault.property).toBe("list-structure");
    expect(fault.message).toBe("a walk of bucket 0 visited more than 2 elements (every element): its hash list is a cycle");
  });

  it("linking an element still in a bucket faults", () => {
    const { map } = makeMap();
    for (const elem of map.elems) elem.bucket = map.buckets[0];

    const fault = faultOf(() => runSequential(map.update(0, 1, 10, BPF_ANY)));
    expect(fault.property).toBe("list-structure");
    expect(fault.message).toMatch(/^hlist_add_head of node \d, which is still in bucket 0$/);
  });

  it("unlinking an element from the wrong bucket faults", () => {
    for (const where of ["no bucket", "bucket 1"] as const) {
      const { map } = makeMap({ buckets: 2, hash: () => 0 });
      expect(runSequential(map.update(0, 1, 10, BPF_ANY))).toBe(0);
      map.buckets[0].first!.bucket = where === "no bucket" ? null : map.buckets[1];

      const fault = faultOf(() => runSequential(map.delete(0, 1)));
      expect(fault.property, where).toBe("list-structure");
      expect(fault.message, where).toMatch(new RegExp(`^hlist_del of node \\d from bucket 0, but it is in ${where}$`));
    }
  });

  it("delete reports its bucket read before the unlink", () => {
    const { map, recorder } = makeMap();
    expect(runSequential(map.update(0, 1, 10, BPF_ANY))).toBe(0);
    const node = map.buckets[0].first!.node.id;
    recorder.mapEvents.length = 0;

    expect(runSequential(map.delete(1, 1))).toBe(0);
    expect(recorder.mapEvents).toEqual([
      { kind: "read", cpu: 1, op: "delete", key: 1, node, value: 10 },
      { kind: "unlink", cpu: 1, key: 1, node },
    ]);
  });
});

describe("steal from a pending list", () => {
  /**
   * CPU 0 takes both nodes of a two-element map (LOCAL_FREE_TARGET 2) for
   * keys 1 and 2, so CPU 1 finds the global lists empty and steals from
   * CPU 0's pending list, where key 1 is the older (tail) element.
   */
  function stealAfter(lookups: readonly number[]): Record<string, number> {
    const { map } = makeMap();
    expect(runSequential(map.update(0, 1, 10, BPF_NOEXIST))).toBe(0);
    expect(runSequential(map.update(0, 2, 20, BPF_NOEXIST))).toBe(0);
    for (const key of lookups) expect(runSequential(map.lookup(0, key))).toBe(key * 10);

    expect(runSequential(map.update(1, 3, 30, BPF_NOEXIST))).toBe(0);
    return observeLru(map).htab.keys;
  }

  it("evicts the oldest unreferenced element", () => {
    expect(stealAfter([])).toEqual({ 2: 20, 3: 30 });
  });

  it("skips a referenced element", () => {
    expect(stealAfter([1])).toEqual({ 1: 10, 3: 30 });
    expect(stealAfter([2])).toEqual({ 2: 20, 3: 30 });
  });

  it("evicts the oldest element when all are referenced", () => {
    expect(stealAfter([1, 2])).toEqual({ 2: 20, 3: 30 });
  });
});
