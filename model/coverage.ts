/**
 * Coverage of the node model: which transitions a run took, split by whose
 * local list the acting CPU worked on and by the set of locks it held.
 *
 * The recorder counts in a flat array on the hot path. `toJSON` turns it into
 * plain data, so parallel workers can send their coverage to one process
 * that merges it.
 */
import type { SpinLock } from "../harness/points.ts";
import type { ModelTransition, TransitionTable } from "./transition-table.ts";
import { NODE_TRANSITION_TABLE } from "./transition-table.ts";

/**
 * Whose local list the transition touched, relative to the acting CPU: its
 * own, another CPU's, or none (the global lists only).
 */
export const CPU_RELATIONS = ["own", "other", "global"] as const;
export type CpuRelation = (typeof CPU_RELATIONS)[number];
export const RELATION_OWN = 0;
export const RELATION_OTHER = 1;
export const RELATION_GLOBAL = 2;

/** Classes of locks the acting CPU can hold, one bit each in a held-lock mask. */
export const LOCK_CLASSES = ["lru_list.lock", "own loc_l lock", "other loc_l lock", "bucket lock"] as const;
export type LockClass = (typeof LOCK_CLASSES)[number];
const HELD_GLOBAL = 1;
const HELD_OWN_LOCAL = 2;
const HELD_OTHER_LOCAL = 4;
const HELD_BUCKET = 8;
const MASKS = 16;
const SLOTS_PER_TRANSITION = CPU_RELATIONS.length * MASKS;

/** Returns the relation of `actor` to the CPU whose local list the transition touches (-1 for none). */
export function cpuRelation(actor: number, localCpu: number): number {
  if (localCpu < 0) return RELATION_GLOBAL;
  return localCpu === actor ? RELATION_OWN : RELATION_OTHER;
}

/** Returns the mask of the LOCK_CLASSES that `cpu` holds among `locks`. The caller computes `bucketHeld`. */
export function heldLockClasses(
  locks: { readonly global: SpinLock; readonly local: readonly SpinLock[] },
  cpu: number,
  bucketHeld: boolean,
): number {
  let mask = 0;
  if (locks.global.holder === cpu) mask |= HELD_GLOBAL;
  for (let other = 0; other < locks.local.length; other++) {
    if (locks.local[other].holder !== cpu) continue;
    mask |= other === cpu ? HELD_OWN_LOCAL : HELD_OTHER_LOCAL;
  }
  if (bucketHeld) mask |= HELD_BUCKET;
  return mask;
}

function lockClassesOf(mask: number): LockClass[] {
  return LOCK_CLASSES.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

function maskOf(classes: readonly string[]): number {
  let mask = 0;
  for (const name of classes) {
    const bit = (LOCK_CLASSES as readonly string[]).indexOf(name);
    if (bit < 0) throw new Error(`coverage: unknown lock class "${name}"; expected one of ${LOCK_CLASSES.join(", ")}`);
    mask |= 1 << bit;
  }
  return mask;
}

/** One exercised combination, as plain data. */
export interface CoverageEntry {
  /** The transition's id, such as "pending --FLUSH--> active". */
  readonly transition: string;
  readonly relation: CpuRelation;
  readonly locks: readonly LockClass[];
  readonly count: number;
}

/** A recorder's content as plain JSON data. */
export interface CoverageJson {
  /** Ids of every transition of the model the recorder was made for, so merges can check they agree. */
  readonly transitions: readonly string[];
  readonly entries: readonly CoverageEntry[];
}

export class CoverageRecorder {
  private readonly counts: Float64Array;

  constructor(readonly table: TransitionTable = NODE_TRANSITION_TABLE) {
    this.counts = new Float64Array(table.transitions.length * SLOTS_PER_TRANSITION);
  }

  /** Records one step of transition `index`, with a CPU_RELATIONS index and a LOCK_CLASSES mask. */
  record(index: number, relation: number, heldMask: number): void {
    this.counts[index * SLOTS_PER_TRANSITION + relation * MASKS + heldMask]++;
  }

  /** Adds `other`'s counts, from a recorder or its JSON, to this one's. */
  merge(other: CoverageRecorder | CoverageJson): this {
    const json = other instanceof CoverageRecorder ? other.toJSON() : other;
    const ids = this.table.transitions.map((transition) => transition.id);
    if (json.transitions.length !== ids.length || json.transitions.some((id, i) => id !== ids[i])) {
      throw new Error(
        "coverage: cannot merge coverage recorded for another model " +
          `(its transitions: ${json.transitions.join(", ")}; this model's: ${ids.join(", ")})`,
      );
    }
    for (const entry of json.entries) {
      const index = ids.indexOf(entry.transition);
      const relation = CPU_RELATIONS.indexOf(entry.relation);
      if (relation < 0) throw new Error(`coverage: unknown CPU relation "${entry.relation}"`);
      this.counts[index * SLOTS_PER_TRANSITION + relation * MASKS + maskOf(entry.locks)] += entry.count;
    }
    return this;
  }

  toJSON(): CoverageJson {
    const entries: CoverageEntry[] = [];
    for (let slot = 0; slot < this.counts.length; slot++) {
      const count = this.counts[slot];
      if (count === 0) continue;
      const transition = this.table.transitions[Math.floor(slot / SLOTS_PER_TRANSITION)];
      const within = slot % SLOTS_PER_TRANSITION;
      entries.push({
        transition: transition.id,
        relation: CPU_RELATIONS[Math.floor(within / MASKS)],
        locks: lockClassesOf(within % MASKS),
        count,
      });
    }
    return { transitions: this.table.transitions.map((transition) => transition.id), entries };
  }

  static fromJSON(json: CoverageJson, table: TransitionTable = NODE_TRANSITION_TABLE): CoverageRecorder {
    return new CoverageRecorder(table).merge(json);
  }

  /** Counts how many times transition `index` was taken, over all relations and lock sets. */
  timesTaken(index: number): number {
    let total = 0;
    const start = index * SLOTS_PER_TRANSITION;
    for (let slot = start; slot < start + SLOTS_PER_TRANSITION; slot++) total += this.counts[slot];
    return total;
  }

  /** Transitions taken at least once, in the table's order. */
  exercised(): ModelTransition[] {
    return this.table.transitions.filter((transition) => this.timesTaken(transition.index) > 0);
  }

  /** Transitions never taken, in the table's order. */
  neverExercised(): ModelTransition[] {
    return this.table.transitions.filter((transition) => this.timesTaken(transition.index) === 0);
  }
}

/** Formats a one-line summary, such as "transitions covered 22/24; never: inactive --ROTATE--> active, …". */
export function formatCoverageSummary(coverage: CoverageRecorder): string {
  const total = coverage.table.transitions.length;
  const never = coverage.neverExercised();
  const head = `transitions covered ${total - never.length}/${total}`;
  return never.length === 0 ? head : `${head}; never: ${never.map((transition) => transition.id).join(", ")}`;
}
