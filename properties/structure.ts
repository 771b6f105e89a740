/**
 * Structural invariants of the LRU lists, one exported function each, named
 * after what it states. Each takes an observation of the port and throws a
 * SubjectFault naming the property, the node and the CPU when it is broken.
 * They hold after every step of the RFC's code, because every node move
 * (list operation, count update, type update) happens within one step.
 */
import { SubjectFault } from "../harness/points.ts";
import { PLACE_NAMES, Place } from "../impl/events.ts";
import type { LruSnapshot } from "../impl/observe.ts";
import { LIST_TYPE_NAMES } from "../impl/lru-node.ts";

function typeName(type: number): string {
  return LIST_TYPE_NAMES[type] ?? `unknown type ${type}`;
}

function fail(property: string, message: string): never {
  throw new SubjectFault(property, message);
}

/** Location of a node found by walking the lists: the list's Place and, for local lists, its CPU. */
export interface ListLocation {
  readonly place: Place;
  readonly cpu: number;
}

function describeLocation(location: ListLocation): string {
  return location.cpu < 0 ? PLACE_NAMES[location.place] : `${PLACE_NAMES[location.place]}@${location.cpu}`;
}

/**
 * Checks that each node is on at most one list, at most once. Returns where
 * each node was found (undefined for nodes on no list), for the checks that
 * follow.
 */
export function nodeOnAtMostOneList(snapshot: LruSnapshot): (ListLocation | undefined)[] {
  const found: (ListLocation | undefined)[] = new Array(snapshot.nodes.length);
  const visit = (ids: readonly number[], place: Place, cpu: number): void => {
    for (const id of ids) {
      const here = { place, cpu };
      const earlier = found[id];
      if (earlier !== undefined) {
        fail("node-on-one-list", `node ${id} is on ${describeLocation(earlier)} and on ${describeLocation(here)}`);
      }
      found[id] = here;
    }
  };
  visit(snapshot.global.active, Place.Active, -1);
  visit(snapshot.global.inactive, Place.Inactive, -1);
  visit(snapshot.global.free, Place.GlobalFree, -1);
  for (const local of snapshot.local) {
    visit(local.free, Place.LocalFree, local.cpu);
    visit(local.pending, Place.Pending, local.cpu);
  }
  return found;
}

/**
 * Checks that every node is accounted for: on exactly one list, or off every
 * list and held by exactly one CPU between two moves. `holderOf` gives, per
 * node, the CPU that took it off its list as the port's moves report it, or
 * -1 for a node no CPU holds.
 */
export function nodesConserved(
  snapshot: LruSnapshot,
  locations: readonly (ListLocation | undefined)[],
  holderOf: ArrayLike<number>,
): void {
  for (let id = 0; id < snapshot.nodes.length; id++) {
    const onList = locations[id] !== undefined;
    const holder = holderOf[id];
    if (!onList && holder < 0) {
      fail("nodes-conserved", `node ${id} is on no list and no CPU holds it: it was lost`);
    }
    if (onList && holder >= 0) {
      fail("nodes-conserved", `node ${id} is on ${describeLocation(locations[id]!)} but CPU ${holder} still holds it off-list`);
    }
  }
}

/** Checks that a node on a list has that list's type in node.type, so code that branches on the type acts on the right list. */
export function nodeTypeMatchesList(snapshot: LruSnapshot, locations: readonly (ListLocation | undefined)[]): void {
  for (let id = 0; id < snapshot.nodes.length; id++) {
    const location = locations[id];
    if (location === undefined) continue;
    const type = snapshot.nodes[id].type;
    if (type !== location.place) {
      fail("node-type-matches-list", `node ${id} is on ${describeLocation(location)} but its type is ${typeName(type)}`);
    }
  }
}

/**
 * Checks that the cpu field of a node on a local list equals that list's CPU.
 * bpf_lru_push_free takes the local lock of node.cpu before it moves a
 * pending node, so a wrong cpu means the move happens under another CPU's lock.
 */
export function localNodeCpuMatchesList(snapshot: LruSnapshot, locations: readonly (ListLocation | undefined)[]): void {
  for (let id = 0; id < snapshot.nodes.length; id++) {
    const location = locations[id];
    if (location === undefined || location.cpu < 0) continue;
    const cpu = snapshot.nodes[id].cpu;
    if (cpu !== location.cpu) {
      fail("local-node-cpu-matches-list", `node ${id} is on ${describeLocation(location)} but its cpu field is ${cpu}`);
    }
  }
}

/** Checks that the active and inactive counts equal the lengths of their lists. The global free list has no count in the RFC. */
export function countsMatchLengths(snapshot: LruSnapshot): void {
  const { global } = snapshot;
  if (global.counts.active !== global.active.length) {
    fail("counts-match-lengths", `counts[ACTIVE] is ${global.counts.active} but the active list has ${global.active.length} ${global.active.length === 1 ? "node" : "nodes"}`);
  }
  if (global.counts.inactive !== global.inactive.length) {
    fail("counts-match-lengths", `counts[INACTIVE] is ${global.counts.inactive} but the inactive list has ${global.inactive.length} ${global.inactive.length === 1 ? "node" : "nodes"}`);
  }
}

/** Checks that next_inactive_rotation points at the inactive list's head or at one of its nodes. */
export function rotationCursorValid(snapshot: LruSnapshot): void {
  const cursor = snapshot.global.nextInactiveRotation;
  if (cursor === "head") return;
  if (typeof cursor === "number" && snapshot.global.inactive.includes(cursor)) return;
  const where = typeof cursor === "number" ? `node ${cursor}, which is not on the inactive list` : cursor;
  fail("rotation-cursor-valid", `next_inactive_rotation points at ${where}`);
}

/**
 * Checks that the hash table and the lists agree: a node reachable from the
 * table is on no free list (global or local), and each key is reachable
 * through one node only.
 */
export function hashTableAgreesWithLists(snapshot: LruSnapshot, locations: readonly (ListLocation | undefined)[]): void {
  const nodeOfKey = new Map<number, number>();
  const seen = new Set<number>();
  for (let bucket = 0; bucket < snapshot.htab.buckets.length; bucket++) {
    for (const id of snapshot.htab.buckets[bucket].nodes) {
      if (seen.has(id)) fail("hash-table-agrees-with-lists", `node ${id} is linked twice in the hash table`);
      seen.add(id);

      const location = locations[id];
      if (location !== undefined && (location.place === Place.GlobalFree || location.place === Place.LocalFree)) {
        fail("hash-table-agrees-with-lists", `node ${id} is reachable from bucket ${bucket} but is on ${describeLocation(location)}`);
      }

      const key = snapshot.nodes[id].key;
      if (key === null) continue;
      const other = nodeOfKey.get(key);
      if (other !== undefined) {
        fail("hash-table-agrees-with-lists", `key ${key} is reachable through node ${other} and node ${id}`);
      }
      nodeOfKey.set(key, id);
    }
  }
}

/** Checks that every list and bucket walk of the snapshot met consistent next/prev links and ended at its head. */
export function listsWellFormed(snapshot: LruSnapshot): void {
  if (snapshot.faults.length > 0) fail("list-structure", snapshot.faults[0]);
}

/**
 * Checks that no WARN_ON_ONCE of the RFC fired. Each guards a state its
 * authors considered impossible, and the code goes on with a node it refused
 * to move.
 */
export function noKernelWarning(snapshot: LruSnapshot): void {
  if (snapshot.warnings.length > 0) fail("no-warn", `WARN_ON_ONCE fired: ${snapshot.warnings[0]}`);
}
