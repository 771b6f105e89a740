/**
 * The kernel's circular doubly linked list (include/linux/list.h), reduced to
 * the operations the BPF LRU list uses, plus two things the kernel does not
 * have:
 *
 * - Guards. Every walk counts the entries it visits and checks each link it
 *   follows, and the primitives check the links they rewrite as
 *   CONFIG_DEBUG_LIST does. A broken list raises SubjectFault("list-structure")
 *   instead of looping forever or wandering into another list, so a seeded bug
 *   that corrupts a list cannot hang the checker.
 * - Shadow bookkeeping. Each entry records which list it is on (a Place and a
 *   CPU) and which list it was on before the last primitive that moved it, so
 *   the port can report every move with its true origin. The kernel keeps no
 *   such data; nothing in the port reads it to decide anything.
 */
import { SubjectFault } from "../harness/points.ts";
import { Place } from "./events.ts";
import type { LruNode } from "./lru-node.ts";

/** A `struct list_head`: a sentinel head of a list when `node` is null, else the link inside a node. */
export class ListHead {
  next: ListHead;
  prev: ListHead;

  /** Shadow: the list this head heads, or the list this entry is on. */
  place: Place;
  /** Shadow: CPU of that list when it is a local list, else -1. */
  placeCpu: number;
  /** Shadow: where the entry was before the last primitive that moved it. */
  lastPlace: Place = Place.OffList;
  lastPlaceCpu = -1;
  /** For a sentinel head, the most entries a walk may visit: the number of nodes in the system. */
  walkLimit = 0;

  constructor(
    /** The node that embeds this link; null for a sentinel head. */
    readonly node: LruNode | null,
    /** Name of the list for messages, such as "global inactive list"; for an entry, "node 3". */
    readonly name: string,
    place: Place,
    placeCpu: number,
  ) {
    this.next = this;
    this.prev = this;
    this.place = place;
    this.placeCpu = placeCpu;
  }
}

/**
 * Values that list_del() leaves in a deleted entry, as LIST_POISON1 and
 * LIST_POISON2 do in the kernel. Following them faults.
 */
export const LIST_POISON1 = new ListHead(null, "LIST_POISON1", Place.OffList, -1);
export const LIST_POISON2 = new ListHead(null, "LIST_POISON2", Place.OffList, -1);

function structureFault(message: string): SubjectFault {
  return new SubjectFault("list-structure", message);
}

/** INIT_LIST_HEAD: makes `head` an empty list. */
export function initListHead(head: ListHead): void {
  head.next = head;
  head.prev = head;
}

/** list_empty */
export function listEmpty(head: ListHead): boolean {
  return head.next === head;
}

/** __list_add with CONFIG_DEBUG_LIST's checks: inserts `entry` between two adjacent entries. */
function __listAdd(entry: ListHead, prev: ListHead, next: ListHead, head: ListHead): void {
  if (next.prev !== prev || prev.next !== next) {
    throw structureFault(
      `list_add of ${entry.name} to the ${head.name}: ${prev.name} and ${next.name} are not adjacent`,
    );
  }
  if (entry === prev || entry === next) {
    throw structureFault(`list_add of ${entry.name} to the ${head.name}: it is already there (double add)`);
  }
  next.prev = entry;
  entry.next = next;
  entry.prev = prev;
  prev.next = entry;

  entry.lastPlace = entry.place;
  entry.lastPlaceCpu = entry.placeCpu;
  entry.place = head.place;
  entry.placeCpu = head.placeCpu;
}

/** __list_del_entry with CONFIG_DEBUG_LIST's checks: unlinks `entry` from its neighbours. */
function __listDelEntry(entry: ListHead): void {
  const prev = entry.prev;
  const next = entry.next;
  if (next === LIST_POISON1 || prev === LIST_POISON2) {
    throw structureFault(`list_del of ${entry.name}, which was already deleted (poisoned links)`);
  }
  if (prev.next !== entry || next.prev !== entry) {
    throw structureFault(
      `list_del of ${entry.name} from the ${listNameOf(entry)}: its neighbours do not point back to it`,
    );
  }
  next.prev = prev;
  prev.next = next;
}

/** list_add: inserts `entry` right after `head`, at the head of the list. */
export function listAdd(entry: ListHead, head: ListHead): void {
  __listAdd(entry, head, head.next, head);
}

/** list_del: unlinks `entry` and poisons its links; the entry is then on no list. */
export function listDel(entry: ListHead): void {
  __listDelEntry(entry);
  entry.next = LIST_POISON1;
  entry.prev = LIST_POISON2;

  entry.lastPlace = entry.place;
  entry.lastPlaceCpu = entry.placeCpu;
  entry.place = Place.OffList;
  entry.placeCpu = -1;
}

/** list_move: unlinks `entry` from its list and inserts it at the head of `head`. */
export function listMove(entry: ListHead, head: ListHead): void {
  __listDelEntry(entry);
  __listAdd(entry, head, head.next, head);
}

/** list_first_entry_or_null */
export function listFirstEntryOrNull(head: ListHead): LruNode | null {
  const first = head.next;
  if (first === head) return null;
  return entryOf(first, head);
}

/** list_first_entry on a list that may be empty, where the kernel computes a bogus pointer: null here. */
export function listFirstEntry(head: ListHead): LruNode | null {
  return listFirstEntryOrNull(head);
}

/** list_entry with a check: `pos` must be a node's link, not another list's head or a poison value. */
export function entryOf(pos: ListHead, head: ListHead): LruNode {
  if (pos.node === null) {
    throw structureFault(`a walk of the ${head.name} reached ${describeHead(pos)} instead of a node`);
  }
  return pos.node;
}

function describeHead(pos: ListHead): string {
  if (pos === LIST_POISON1 || pos === LIST_POISON2) return `${pos.name} (a deleted entry's link)`;
  return `the head of the ${pos.name}`;
}

function listNameOf(entry: ListHead): string {
  return entry.place === Place.OffList ? "no list" : placeDescription(entry.place, entry.placeCpu);
}

/** Describes a place for messages, such as "CPU 1 pending list". */
export function placeDescription(place: Place, cpu: number): string {
  switch (place) {
    case Place.Active:
      return "global active list";
    case Place.Inactive:
      return "global inactive list";
    case Place.GlobalFree:
      return "global free list";
    case Place.LocalFree:
      return `CPU ${cpu} local free list`;
    case Place.Pending:
      return `CPU ${cpu} pending list`;
    default:
      return "no list";
  }
}

function countVisit(visited: number, head: ListHead, pos: ListHead): number {
  if (visited >= head.walkLimit) {
    throw structureFault(
      `a walk of the ${head.name} visited more than ${head.walkLimit} entries (every node) ` +
        `without returning to its head; at ${pos.name} the list is a cycle that excludes the head`,
    );
  }
  return visited + 1;
}

function checkBackLink(cur: ListHead, following: ListHead, direction: "next" | "prev", head: ListHead): void {
  const back = direction === "next" ? following.prev : following.next;
  if (back !== cur) {
    const field = direction === "next" ? "prev" : "next";
    throw structureFault(
      `a walk of the ${head.name} found ${cur.name}.${direction}.${field} is ${back.name}, not ${cur.name}`,
    );
  }
}

/**
 * list_for_each_entry_safe: visits the nodes from head to tail. The next
 * entry is fetched before the body runs, so the body may move the node it is
 * given.
 */
export function* listForEachEntrySafe(head: ListHead): Generator<LruNode, void, void> {
  let pos = head.next;
  checkBackLink(head, pos, "next", head);
  let visited = 0;
  while (pos !== head) {
    const node = entryOf(pos, head);
    visited = countVisit(visited, head, pos);
    const n = pos.next;
    checkBackLink(pos, n, "next", head);
    yield node;
    pos = n;
  }
}

/**
 * list_for_each_entry_safe_reverse: visits the nodes from tail to head,
 * fetching the previous entry before the body runs.
 */
export function* listForEachEntrySafeReverse(head: ListHead): Generator<LruNode, void, void> {
  let pos = head.prev;
  checkBackLink(head, pos, "prev", head);
  let visited = 0;
  while (pos !== head) {
    const node = entryOf(pos, head);
    visited = countVisit(visited, head, pos);
    const n = pos.prev;
    checkBackLink(pos, n, "prev", head);
    yield node;
    pos = n;
  }
}

/**
 * list_for_each_entry_reverse: visits the nodes from tail to head, fetching
 * the previous entry after the body runs, so a body that moves its node (or a
 * CPU that moves it meanwhile) sends the walk along the node's new list.
 */
export function* listForEachEntryReverse(head: ListHead): Generator<LruNode, void, void> {
  let pos = head.prev;
  checkBackLink(head, pos, "prev", head);
  let visited = 0;
  while (pos !== head) {
    const node = entryOf(pos, head);
    visited = countVisit(visited, head, pos);
    yield node;
    const n = pos.prev;
    checkBackLink(pos, n, "prev", head);
    pos = n;
  }
}

/**
 * Follows `cur.prev` for a hand-written walk such as the inactive rotation,
 * and checks the back link. `steps` counts the walk's steps so far, which may
 * not exceed the node count plus one for the head.
 */
export function listStepPrev(cur: ListHead, head: ListHead, steps: number): ListHead {
  if (steps > head.walkLimit + 1) {
    throw structureFault(
      `a walk of the ${head.name} took more than ${head.walkLimit + 1} steps (every node and the head) at ${cur.name}`,
    );
  }
  const prev = cur.prev;
  checkBackLink(cur, prev, "prev", head);
  return prev;
}

/**
 * Returns the node ids of a list from head to tail, for observation. A broken
 * link ends the walk and is passed to `fault` instead of being thrown.
 */
export function listNodeIds(head: ListHead, fault: (message: string) => void): number[] {
  const ids: number[] = [];
  let pos = head.next;
  let previous = head;
  while (pos !== head) {
    if (pos.prev !== previous) {
      fault(`${head.name}: ${previous.name}.next.prev is ${pos.prev.name}, not ${previous.name}`);
      break;
    }
    if (pos.node === null) {
      fault(`${head.name}: reached ${describeHead(pos)} instead of a node`);
      break;
    }
    if (ids.length >= head.walkLimit) {
      fault(`${head.name}: more than ${head.walkLimit} entries without returning to the head`);
      break;
    }
    ids.push(pos.node.id);
    previous = pos;
    pos = pos.next;
  }
  return ids;
}
