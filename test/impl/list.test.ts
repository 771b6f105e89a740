import { describe, expect, it } from "vitest";
import { SubjectFault } from "../../harness/points.ts";
import { Place } from "../../impl/events.ts";
import {
  LIST_POISON1,
  LIST_POISON2,
  ListHead,
  listAdd,
  listDel,
  listEmpty,
  listFirstEntryOrNull,
  listForEachEntryReverse,
  listForEachEntrySafe,
  listForEachEntrySafeReverse,
  listMove,
  listNodeIds,
  listStepPrev,
} from "../../impl/list.ts";
import { LruNode } from "../../impl/lru-node.ts";

function makeHead(name: string, place: Place, cpu = -1, limit = 10): ListHead {
  const head = new ListHead(null, name, place, cpu);
  head.walkLimit = limit;
  return head;
}

function idsOf(head: ListHead): number[] {
  const faults: string[] = [];
  const ids = listNodeIds(head, (message) => faults.push(message));
  expect(faults).toEqual([]);
  return ids;
}

function faultOf(action: () => unknown): SubjectFault {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SubjectFault);
    return error as SubjectFault;
  }
  throw new Error("expected a SubjectFault, but nothing was thrown");
}

describe("list primitives", () => {
  it("list_add inserts at the head", () => {
    const head = makeHead("test list", Place.Active);
    const nodes = [0, 1, 2].map((id) => new LruNode(id));
    expect(listEmpty(head)).toBe(true);
    for (const node of nodes) listAdd(node.list, head);
    expect(listEmpty(head)).toBe(false);
    expect(idsOf(head)).toEqual([2, 1, 0]);
    expect(listFirstEntryOrNull(head)).toBe(nodes[2]);
  });

  it("list_first_entry_or_null is null on an empty list", () => {
    expect(listFirstEntryOrNull(makeHead("empty", Place.Active))).toBeNull();
  });

  it("list_move moves to the head of another list and records the origin", () => {
    const from = makeHead("pending", Place.Pending, 1);
    const to = makeHead("free", Place.LocalFree, 0);
    const nodes = [0, 1].map((id) => new LruNode(id));
    for (const node of nodes) listAdd(node.list, from);

    listMove(nodes[0].list, to);

    expect(idsOf(from)).toEqual([1]);
    expect(idsOf(to)).toEqual([0]);
    expect(nodes[0].place).toBe(Place.LocalFree);
    expect(nodes[0].placeCpu).toBe(0);
    expect(nodes[0].list.lastPlace).toBe(Place.Pending);
    expect(nodes[0].list.lastPlaceCpu).toBe(1);
  });

  it("list_move within one list moves to its head", () => {
    const head = makeHead("active", Place.Active);
    const nodes = [0, 1, 2].map((id) => new LruNode(id));
    for (const node of nodes) listAdd(node.list, head);
    listMove(nodes[0].list, head);
    expect(idsOf(head)).toEqual([0, 2, 1]);
    expect(nodes[0].list.lastPlace).toBe(Place.Active);
  });

  it("list_del poisons the entry and puts it off-list", () => {
    const head = makeHead("free", Place.GlobalFree);
    const node = new LruNode(4);
    listAdd(node.list, head);
    listDel(node.list);
    expect(listEmpty(head)).toBe(true);
    expect(node.list.next).toBe(LIST_POISON1);
    expect(node.list.prev).toBe(LIST_POISON2);
    expect(node.place).toBe(Place.OffList);
    expect(node.list.lastPlace).toBe(Place.GlobalFree);
  });

  it("list_del of a deleted entry faults", () => {
    const head = makeHead("free", Place.GlobalFree);
    const node = new LruNode(4);
    listAdd(node.list, head);
    listDel(node.list);
    expect(faultOf(() => listDel(node.list)).message).toMatch(/node 4, which was already deleted/);
    expect(faultOf(() => listMove(node.list, head)).property).toBe("list-structure");
  });

  it("list_add of an entry already at the head faults", () => {
    const head = makeHead("free", Place.GlobalFree);
    const node = new LruNode(1);
    listAdd(node.list, head);
    expect(faultOf(() => listAdd(node.list, head)).message).toMatch(/double add/);
  });
});

describe("list walks", () => {
  function listOf(count: number): { head: ListHead; nodes: LruNode[] } {
    const head = makeHead("walked list", Place.Inactive, -1, count);
    const nodes: LruNode[] = [];
    for (let id = 0; id < count; id++) {
      const node = new LruNode(id);
      listAdd(node.list, head);
      nodes.push(node);
    }
    return { head, nodes };
  }

  it("forward safe walk visits head to tail and allows moving the node", () => {
    const { head } = listOf(3);
    const other = makeHead("other", Place.Active);
    const seen: number[] = [];
    for (const node of listForEachEntrySafe(head)) {
      seen.push(node.id);
      listMove(node.list, other);
    }
    expect(seen).toEqual([2, 1, 0]);
    expect(idsOf(other)).toEqual([0, 1, 2]);
  });

  it("reverse safe walk visits tail to head", () => {
    const { head } = listOf(3);
    expect([...listForEachEntrySafeReverse(head)].map((node) => node.id)).toEqual([0, 1, 2]);
  });

  it("reverse walk follows a node moved by its body", () => {
    const { head, nodes } = listOf(3);
    const other = makeHead("other list", Place.Active);
    const walk = listForEachEntryReverse(head);
    expect(walk.next().value).toBe(nodes[0]);
    // Move the walk's current node: the non-safe walk now reads its prev in
    // the other list and reaches that list's head.
    listMove(nodes[0].list, other);
    expect(faultOf(() => walk.next()).message).toMatch(/walk of the walked list reached the head of the other list/);
  });

  it("walk of a cycle that excludes the head faults", () => {
    const { head, nodes } = listOf(3);
    // Turn head -> 2 -> 1 -> 0 into 2 -> 1 -> 0 -> 2, a cycle off the head.
    nodes[0].list.next = nodes[2].list;
    nodes[2].list.prev = nodes[0].list;
    expect(faultOf(() => [...listForEachEntrySafe(head)]).property).toBe("list-structure");
    expect(faultOf(() => [...listForEachEntrySafeReverse(head)]).property).toBe("list-structure");
  });

  it("walk longer than the node count faults", () => {
    const { head } = listOf(3);
    head.walkLimit = 2;
    expect(faultOf(() => [...listForEachEntrySafe(head)]).message).toMatch(/visited more than 2 entries/);
  });

  it("walk over a broken back link faults", () => {
    const { head, nodes } = listOf(3);
    nodes[1].list.prev = nodes[1].list;
    const fault = faultOf(() => [...listForEachEntrySafe(head)]);
    expect(fault.message).toMatch(/node 2\.next\.prev is node 1, not node 2/);
  });

  it("walk into a poisoned link faults", () => {
    const { head, nodes } = listOf(2);
    nodes[0].list.prev = LIST_POISON2;
    const fault = faultOf(() => [...listForEachEntryReverse(head)]);
    expect(fault.property).toBe("list-structure");
  });

  it("step bound of a hand-written walk faults", () => {
    const { head, nodes } = listOf(2);
    expect(listStepPrev(nodes[0].list, head, 3)).toBe(nodes[1].list);
    expect(faultOf(() => listStepPrev(nodes[0].list, head, 4)).message).toMatch(/more than 3 steps/);
  });

  it("observation walk stops at a fault and reports it", () => {
    const { head, nodes } = listOf(3);
    nodes[1].list.prev = nodes[1].list;
    const faults: string[] = [];
    expect(listNodeIds(head, (message) => faults.push(message))).toEqual([2]);
    expect(faults).toHaveLength(1);
  });
});
