/**
 * Map-level properties: what users of the LRU hash map rely on, checked
 * against a sequential specification at the linearisation points that the
 * port reports (MapEvent: the step where the hash table is read or changed).
 *
 * The specification is an ordinary map. An update is linearised where it
 * links its element, a delete where it unlinks, an eviction where
 * del_from_htab unlinks, and a lookup, or the bucket search inside update
 * and delete, where it reads the bucket. Eviction may take any key at any
 * time: these properties check that the map never invents, loses or
 * corrupts a key, not which key the LRU picks.
 */
import { SubjectFault } from "../harness/points.ts";
import type { MapEvent } from "../impl/events.ts";
import type { MapOp, OpResult } from "../checker/types.ts";
import { BPF_EXIST, BPF_NOEXIST } from "../checker/types.ts";
import { formatOp } from "../checker/op-format.ts";

function fail(property: string, message: string): never {
  throw new SubjectFault(property, message);
}

/** Observations of one CPU's current operation at its linearisation points. */
interface InFlight {
  op: MapOp;
  /** Whether the bucket search found the key, with the value it found; undefined before the search. */
  found: boolean | undefined;
  foundValue: number | null;
  linked: boolean;
  unlinked: boolean;
}

export class MapSpecification {
  /** The sequential map: key to value. */
  readonly contents = new Map<number, number>();
  private readonly inFlight: (InFlight | null)[];

  constructor(cpus: number) {
    this.inFlight = new Array(cpus).fill(null);
  }

  operationStarted(cpu: number, op: MapOp): void {
    this.inFlight[cpu] = { op, found: undefined, foundValue: null, linked: false, unlinked: false };
  }

  /**
   * Checks map semantics at a linearisation point. A read finds exactly the
   * keys the specification contains, with their last values. A link, unlink
   * or eviction changes a key the specification agrees it can change.
   */
  mapEvent(event: MapEvent): void {
    const current = this.inFlight[event.cpu];
    switch (event.kind) {
      case "read": {
        const expected = this.contents.get(event.key);
        if ((event.node !== null) !== (expected !== undefined) || (expected !== undefined && event.value !== expected)) {
          const saw = event.node === null ? "no element" : `value ${event.value} (node ${event.node})`;
          const should = expected === undefined ? "no element" : `value ${expected}`;
          fail("map-semantics", `CPU ${event.cpu} ${event.op} read key ${event.key} and found ${saw}, but the map holds ${should}`);
        }
        if (current !== null) {
          current.found = event.node !== null;
          current.foundValue = event.value;
        }
        return;
      }
      case "link": {
        const present = this.contents.has(event.key);
        if (present !== (event.replaced !== null)) {
          const what = event.replaced === null ? "as a new key" : `replacing node ${event.replaced}`;
          fail("map-semantics", `CPU ${event.cpu} linked key ${event.key} ${what}, but the map ${present ? "holds" : "does not hold"} that key`);
        }
        this.contents.set(event.key, event.value);
        if (current !== null) current.linked = true;
        return;
      }
      case "unlink":
        if (!this.contents.delete(event.key)) {
          fail("map-semantics", `CPU ${event.cpu} deleted key ${event.key}, which the map does not hold`);
        }
        if (current !== null) current.unlinked = true;
        return;
      case "evict":
        if (!this.contents.delete(event.key)) {
          fail("map-semantics", `CPU ${event.cpu} evicted key ${event.key} through node ${event.node}, but the map does not hold that key`);
        }
        return;
    }
  }

  /**
   * Checks an operation's result against what it saw at its linearisation
   * points: the flags' errors are exact, and a lookup returns the value it read.
   */
  operationEnded(cpu: number, result: OpResult): void {
    const current = this.inFlight[cpu];
    this.inFlight[cpu] = null;
    if (current === null) return;
    if (current.op.op === "update" && current.found !== undefined && !current.linked && passesFlags(current)) {
      fail("map-semantics", `CPU ${cpu} ${formatOp(current.op)} returned ${result} without linking its element, although its flags allowed the update`);
    }
    const expected = expectedResult(current);
    if (expected !== result) {
      fail("map-semantics", `CPU ${cpu} ${formatOp(current.op)} returned ${result}, but at its linearisation point it should return ${expected}`);
    }
  }

  /** True while `cpu` is inside an operation. */
  busy(cpu: number): boolean {
    return this.inFlight[cpu] !== null;
  }
}

function passesFlags(flight: InFlight): boolean {
  const { op } = flight;
  if (op.op !== "update") return false;
  return !(flight.found === true && op.flags === BPF_NOEXIST) && !(flight.found === false && op.flags === BPF_EXIST);
}

/** The result an operation must return given what it saw at its linearisation points. */
function expectedResult(flight: InFlight): OpResult {
  const { op } = flight;
  switch (op.op) {
    case "lookup":
    case "lookup_sys":
      return flight.found === true ? (flight.foundValue as number) : "ENOENT";
    case "delete":
      return flight.unlinked ? 0 : "ENOENT";
    case "update": {
      if (op.flags < 0 || op.flags > BPF_EXIST) return "EINVAL";
      if (flight.found === undefined) return "ENOMEM";
      if (flight.found && op.flags === BPF_NOEXIST) return "EEXIST";
      if (!flight.found && op.flags === BPF_EXIST) return "ENOENT";
      return 0;
    }
  }
}

/** Checks capacity: the hash table never contains more live elements than max_entries. */
export function capacityRespected(liveElements: number, maxEntries: number): void {
  if (liveElements > maxEntries) {
    fail("capacity", `the hash table holds ${liveElements} elements, more than max_entries ${maxEntries}`);
  }
}

/** Checks that the final key set of a completed run equals the specification's. */
export function finalKeysMatch(specification: MapSpecification, tableKeys: Readonly<Record<string, number>>): void {
  const table = Object.entries(tableKeys);
  for (const [key, value] of table) {
    const expected = specification.contents.get(Number(key));
    if (expected !== value) {
      fail("map-semantics", `after the run the table holds key ${key} with value ${value}, but the map should hold ${expected === undefined ? "no such key" : `value ${expected}`}`);
    }
  }
  if (table.length !== specification.contents.size) {
    const missing = [...specification.contents.keys()].filter((key) => !(String(key) in tableKeys));
    fail("map-semantics", `after the run the table lacks keys ${missing.join(", ")} that were neither deleted nor evicted`);
  }
}
