/**
 * The refinement check: every node move and hash-table change that the port
 * reports must be a transition of the node model, taken by the acting CPU
 * with the locks the model requires.
 *
 * A rejected event throws SubjectFault("model-refinement", message) from the
 * observer callback. The callback runs inside the port's step, so the engine
 * reports the fault as a violation at that step, before the port goes on.
 *
 * Each node's model state lives in typed arrays and each event is checked
 * with the flat table of transition-table.ts: a few array reads and mask
 * tests, no allocation, on the path taken by every move of every run.
 */
import type { CpuId, SpinLock } from "../harness/points.ts";
import { SubjectFault } from "../harness/points.ts";
import type { LruObserver, MapEvent, NodeMove } from "../impl/events.ts";
import { PLACE_NAMES, Place } from "../impl/events.ts";
import type { CoverageRecorder } from "./coverage.ts";
import { cpuRelation, heldLockClasses } from "./coverage.ts";
import type { ModelTransition, TransitionTable } from "./transition-table.ts";
import {
  EVENT_COUNT,
  HTAB_KEEP,
  NODE_TRANSITION_TABLE,
  OWNER_ACTOR,
  OWNER_NONE,
  REF_CLEAR,
  REF_SET,
  STATE_COUNT,
  satisfiedConditions,
  selectTransition,
} from "./transition-table.ts";
import type { NodeContext, NodeEventType, NodeStateName } from "./vocabulary.ts";
import { CONDITIONS, CONDITION_TEXT, EVENT_TYPES, HTAB_LINKS, LOCK_BIT, NODE_STATES } from "./vocabulary.ts";
import { describeFailure } from "./refinement-messages.ts";

/** The port's locks, read to learn which locks the acting CPU holds. */
export interface ModelLocks {
  readonly global: SpinLock;
  /** Local-list locks indexed by CPU. */
  readonly local: readonly SpinLock[];
  readonly buckets: readonly SpinLock[];
}

export interface RefinementOptions {
  /** Records the transitions taken, for coverage reports. */
  readonly coverage?: CoverageRecorder;
  /**
   * Maps a key to the index of its bucket. Without it, holding any bucket
   * lock satisfies a transition's bucket[key].lock.
   */
  readonly bucketOfKey?: (key: number) => number;
  readonly table?: TransitionTable;
  /** Called after every accepted event with the transition the model took, for tests and traces. */
  readonly onTransition?: (node: number, transition: ModelTransition, cpu: CpuId) => void;
}

/** The model's state of one node. */
export interface ModelNodeView extends NodeContext {
  readonly state: NodeStateName;
}

/** The property name of every fault this checker raises. */
export const MODEL_REFINEMENT = "model-refinement";

const EVENT_INDEX: Readonly<Record<NodeEventType, number>> = Object.fromEntries(
  EVENT_TYPES.map((type, index) => [type, index]),
) as Record<NodeEventType, number>;

const GLOBAL_BIT = LOCK_BIT["lru_list.lock"];
const ACTOR_LOCAL_BIT = LOCK_BIT["loc_l[actor].lock"];
const OWNER_LOCAL_BIT = LOCK_BIT["loc_l[owner].lock"];
const BUCKET_BIT = LOCK_BIT["bucket[key].lock"];
const NO_KEY = -1;

/**
 * Checks the port's reports against the node model. Usable as the port's
 * LruObserver directly, or called by an observer that forwards to it.
 */
export class ModelRefinement implements LruObserver {
  private readonly table: TransitionTable;
  private readonly coverage: CoverageRecorder | null;
  private readonly bucketOfKey: ((key: number) => number) | null;
  private readonly onTransition: ((node: number, transition: ModelTransition, cpu: CpuId) => void) | null;
  private readonly state: Int8Array;
  private readonly owner: Int16Array;
  private readonly ref: Uint8Array;
  private readonly htab: Uint8Array;
  /** Whether bpf_lru_populate has placed the node; the model's initial state stands for that placement. */
  private readonly populated: Uint8Array;

  constructor(
    readonly locks: ModelLocks,
    readonly nodeCount: number,
    options: RefinementOptions = {},
  ) {
    this.table = options.table ?? NODE_TRANSITION_TABLE;
    this.coverage = options.coverage ?? null;
    this.bucketOfKey = options.bucketOfKey ?? null;
    this.onTransition = options.onTransition ?? null;
    this.state = new Int8Array(nodeCount).fill(Place.GlobalFree);
    this.owner = new Int16Array(nodeCount).fill(-1);
    this.ref = new Uint8Array(nodeCount);
    this.htab = new Uint8Array(nodeCount);
    this.populated = new Uint8Array(nodeCount);
  }

  /** Returns the model's state of `node`. */
  view(node: number): ModelNodeView {
    return {
      state: NODE_STATES[this.state[node]],
      owner: this.owner[node],
      ref: this.ref[node] === 1,
      htab: HTAB_LINKS[this.htab[node]],
    };
  }

  nodeMoved(move: NodeMove): void {
    const node = move.node;
    if (move.fn === "bpf_lru_populate" && this.populated[node] === 0 && move.from === Place.OffList && move.to === Place.GlobalFree) {
      // The model starts every node on the global free list: populate is
      // how it gets there, not a transition.
      this.populated[node] = 1;
      return;
    }
    this.populated[node] = 1;

    const state = this.state[node];
    if (state !== move.from) {
      this.fail(
        `node ${node}: the port moved it from ${placeName(move.from, move.fromCpu)} to ${placeName(move.to, move.toCpu)} ` +
          `on CPU ${move.cpu} in ${move.fn}, but the model has it in ${this.describeNode(node)}`,
      );
    }
    const event = this.table.moveEvent[move.from * STATE_COUNT + move.to];
    if (event < 0) {
      this.fail(
        `node ${node}: no transition of the model moves a node from ${PLACE_NAMES[move.from]} to ${PLACE_NAMES[move.to]}, ` +
          `but CPU ${move.cpu} did in ${move.fn} (${placeName(move.from, move.fromCpu)} -> ${placeName(move.to, move.toCpu)}); ` +
          `the model has the node in ${this.describeNode(node)}`,
      );
    }
    this.step(node, event, move.cpu, move.fromCpu, move.toCpu, move.to, NO_KEY, `${move.fn} moving it from ${placeName(move.from, move.fromCpu)} to ${placeName(move.to, move.toCpu)}`);
  }

  refSet(node: number, cpu: CpuId): void {
    this.step(node, EVENT_INDEX.REF_SET, cpu, -1, -1, -1, NO_KEY, "bpf_lru_node_set_ref");
  }

  mapEvent(event: MapEvent): void {
    switch (event.kind) {
      case "link":
        this.step(event.node, EVENT_INDEX.LINK, event.cpu, -1, -1, -1, event.key, `update linking key ${event.key}`);
        if (event.replaced !== null) {
          // htab_lru_map_update_elem sets the new node's ref bit when it
          // replaces an element, in the same step as the link. The port
          // reports that ref write only through this event.
          this.step(event.node, EVENT_INDEX.REF_SET, event.cpu, -1, -1, -1, NO_KEY, `update replacing key ${event.key}`);
          this.step(event.replaced, EVENT_INDEX.UNLINK, event.cpu, -1, -1, -1, event.key, `update replacing key ${event.key}`);
        }
        return;
      case "unlink":
        this.step(event.node, EVENT_INDEX.UNLINK, event.cpu, -1, -1, -1, event.key, `delete unlinking key ${event.key}`);
        return;
      case "evict":
        this.step(event.node, EVENT_INDEX.EVICT, event.cpu, -1, -1, -1, event.key, `del_from_htab evicting key ${event.key}`);
        return;
      case "read":
        return;
    }
  }

  /**
   * Checks that the port's node.cpu equals the model's owner for every node
   * on a local list (local free or pending), where the RFC relies on node.cpu
   * to find the lock of the list that holds the node. `nodeCpu(id)` returns
   * the port's node.cpu. Throws SubjectFault("model-owner-cpu") on the first
   * node that disagrees.
   */
  checkOwnerCpus(nodeCpu: (node: number) => number): void {
    for (let node = 0; node < this.nodeCount; node++) {
      const state = this.state[node];
      if (state !== Place.LocalFree && state !== Place.Pending) continue;
      const cpu = nodeCpu(node);
      if (cpu !== this.owner[node]) {
        throw new SubjectFault(
          "model-owner-cpu",
          `node ${node} is ${PLACE_NAMES[state]} on CPU ${this.owner[node]} in the model, but its cpu field is ${cpu}: ` +
            `bpf_lru_push_free would take loc_l[${cpu}].lock to move it off loc_l[${this.owner[node]}]`,
        );
      }
    }
  }

  /**
   * Checks that no node the port's hash table reaches is on a free list, or
   * off every list, in the model. `reachable(id)` returns whether the port's
   * hash table links node `id`. Throws SubjectFault("model-reachable-free").
   */
  checkReachableNotFree(reachable: (node: number) => boolean): void {
    for (let node = 0; node < this.nodeCount; node++) {
      const state = this.state[node];
      if (state !== Place.GlobalFree && state !== Place.LocalFree && state !== Place.OffList) continue;
      if (reachable(node)) {
        throw new SubjectFault("model-reachable-free", `node ${node} is reachable from the hash table but is in ${this.describeNode(node)}`);
      }
    }
  }

  private step(node: number, event: number, cpu: number, fromCpu: number, toCpu: number, to: number, key: number, what: string): void {
    if (node < 0 || node >= this.nodeCount) {
      throw new Error(`harness bug: the port reported node ${node}, but the model tracks nodes 0 to ${this.nodeCount - 1}`);
    }
    const state = this.state[node];
    const owner = this.owner[node];
    const ref = this.ref[node] === 1;
    const held = this.heldMask(cpu, owner, key);
    const conditions = satisfiedConditions(owner, ref, this.htab[node], cpu, fromCpu, toCpu);
    const candidates = this.table.candidates[state * EVENT_COUNT + event];
    const chosen = selectTransition(candidates, held, conditions);

    if (chosen === null || chosen.targetIndex !== to) {
      this.fail(this.explain(node, event, cpu, fromCpu, toCpu, to, key, what, candidates, chosen, held, conditions));
    }

    if (this.coverage !== null) {
      const local = owner >= 0 ? owner : toCpu;
      this.coverage.record(chosen.index, cpuRelation(cpu, local), heldLockClasses(this.locks, cpu, this.bucketHeld(cpu, key)));
    }

    if (chosen.targetIndex >= 0) this.state[node] = chosen.targetIndex;
    if (chosen.ownerCode === OWNER_ACTOR) this.owner[node] = cpu;
    else if (chosen.ownerCode === OWNER_NONE) this.owner[node] = -1;
    if (chosen.refCode === REF_CLEAR) this.ref[node] = 0;
    else if (chosen.refCode === REF_SET) this.ref[node] = 1;
    if (chosen.htabCode !== HTAB_KEEP) this.htab[node] = chosen.htabCode;

    if (this.onTransition !== null) this.onTransition(node, chosen, cpu);
  }

  /** LOCK_BIT mask of the model's lock symbols that `cpu` holds, for a node owned by `owner`. */
  private heldMask(cpu: number, owner: number, key: number): number {
    const { global, local } = this.locks;
    let mask = 0;
    if (global.holder === cpu) mask |= GLOBAL_BIT;
    if (cpu >= 0 && cpu < local.length && local[cpu].holder === cpu) mask |= ACTOR_LOCAL_BIT;
    if (owner >= 0 && owner < local.length && local[owner].holder === cpu) mask |= OWNER_LOCAL_BIT;
    if (this.bucketHeld(cpu, key)) mask |= BUCKET_BIT;
    return mask;
  }

  private bucketHeld(cpu: number, key: number): boolean {
    const buckets = this.locks.buckets;
    if (this.bucketOfKey !== null && key !== NO_KEY) {
      const bucket = buckets[this.bucketOfKey(key)];
      return bucket !== undefined && bucket.holder === cpu;
    }
    for (let i = 0; i < buckets.length; i++) {
      if (buckets[i].holder === cpu) return true;
    }
    return false;
  }

  private describeNode(node: number): string {
    const owner = this.owner[node];
    const where = owner >= 0 ? `${NODE_STATES[this.state[node]]} on CPU ${owner}` : NODE_STATES[this.state[node]];
    return `${where} (ref ${this.ref[node]}, element ${HTAB_LINKS[this.htab[node]]})`;
  }

  private explain(
    node: number,
    event: number,
    cpu: number,
    fromCpu: number,
    toCpu: number,
    to: number,
    key: number,
    what: string,
    candidates: readonly ModelTransition[],
    chosen: ModelTransition | null,
    held: number,
    conditions: number,
  ): string {
    return describeFailure({
      node,
      event: EVENT_TYPES[event],
      cpu,
      fromCpu,
      toCpu,
      to: to >= 0 ? NODE_STATES[to] : null,
      what,
      modelState: this.describeNode(node),
      owner: this.owner[node],
      bucket: key !== NO_KEY && this.bucketOfKey !== null ? this.bucketOfKey(key) : null,
      candidates,
      chosen,
      held,
      conditions,
      heldLockNames: this.heldLockNames(cpu),
      conditionNames: CONDITIONS,
      conditionText: CONDITION_TEXT,
    });
  }

  private heldLockNames(cpu: number): string[] {
    const names: string[] = [];
    if (this.locks.global.holder === cpu) names.push(this.locks.global.name);
    for (const lock of this.locks.local) if (lock.holder === cpu) names.push(lock.name);
    for (const lock of this.locks.buckets) if (lock.holder === cpu) names.push(lock.name);
    return names;
  }

  private fail(message: string): never {
    throw new SubjectFault(MODEL_REFINEMENT, message);
  }
}

function placeName(place: Place, cpu: number): string {
  return cpu >= 0 ? `${PLACE_NAMES[place]}@${cpu}` : PLACE_NAMES[place];
}
