/**
 * A tiny manual scheduler over the real port, for the model's path tests:
 * each CPU runs at most one map operation, and the test decides which CPU
 * takes the next step. Every report of the port goes through the model's
 * refinement check, so a path that breaks the model fails where it breaks.
 */
import type { MapOp } from "../../checker/types.ts";
import type { PreemptionPoint, Sim } from "../../harness/points.ts";
import { LockOps } from "../../harness/points.ts";
import type { LruObserver, MapEvent, NodeMove } from "../../impl/events.ts";
import type { HtabLruParams } from "../../impl/htab-lru.ts";
import { HtabLru } from "../../impl/htab-lru.ts";
import type { CoverageRecorder } from "../../model/coverage.ts";
import { createModelRefinement } from "../../model/port-wiring.ts";
import type { ModelRefinement } from "../../model/refinement.ts";
import type { ModelTransition } from "../../model/transition-table.ts";

export interface TakenTransition {
  readonly node: number;
  readonly transition: ModelTransition;
  readonly cpu: number;
}

/** Forwards the port's reports to a target set after the map exists; bpf_lru_populate reports before that. */
class ForwardingObserver implements LruObserver {
  target: LruObserver | null = null;

  nodeMoved(move: NodeMove): void {
    this.target?.nodeMoved(move);
  }

  refSet(node: number, cpu: number): void {
    this.target?.refSet(node, cpu);
  }

  mapEvent(event: MapEvent): void {
    this.target?.mapEvent(event);
  }
}

/** Safety bound on the steps one driver call may take; no path of these tests needs a tenth of it. */
const STEP_BOUND = 10_000;

export class PortDriver {
  readonly map: HtabLru;
  readonly refinement: ModelRefinement;
  /** Every transition the model took, for every node, in order. */
  readonly taken: TakenTransition[] = [];
  /** The result of each CPU's last finished operation. */
  readonly results: (number | null)[];
  private readonly threads: (Sim<number> | null)[];
  private readonly points: (PreemptionPoint | null)[];
  private readonly operations: (MapOp | null)[];

  constructor(params: HtabLruParams, coverage?: CoverageRecorder) {
    const observer = new ForwardingObserver();
    this.map = new HtabLru(params, new LockOps(), observer);
    this.refinement = createModelRefinement(this.map, {
      coverage,
      onTransition: (node, transition, cpu) => this.taken.push({ node, transition, cpu }),
    });
    observer.target = this.refinement;
    this.threads = new Array(params.nrCpus).fill(null);
    this.points = new Array(params.nrCpus).fill(null);
    this.operations = new Array(params.nrCpus).fill(null);
    this.results = new Array(params.nrCpus).fill(null);
  }

  busy(cpu: number): boolean {
    return this.threads[cpu] !== null;
  }

  /** Returns the lock `cpu` waits for, or null when it can take its next step. */
  waitingFor(cpu: number): { readonly name: string; readonly holder: number | null } | null {
    const point = this.points[cpu];
    if (point === null || point.kind !== "acquire" || point.lock.holder === null) return null;
    return point.lock;
  }

  /** Returns the preemption point `cpu` stopped at, or null before its first step. */
  pointOf(cpu: number): PreemptionPoint | null {
    return this.points[cpu];
  }

  /** Starts `op` on an idle CPU; it takes no step until `step` is called. */
  start(cpu: number, op: MapOp): void {
    if (this.busy(cpu)) throw new Error(`test driver: CPU ${cpu} is still running ${describeOp(this.operations[cpu])}`);
    const map = this.map;
    let thread: Sim<number>;
    switch (op.op) {
      case "update":
        thread = map.update(cpu, op.key, op.value, op.flags);
        break;
      case "delete":
        thread = map.delete(cpu, op.key);
        break;
      case "lookup":
        thread = map.lookup(cpu, op.key);
        break;
      case "lookup_sys":
        thread = map.lookupSys(cpu, op.key);
        break;
    }
    this.threads[cpu] = thread;
    this.points[cpu] = null;
    this.operations[cpu] = op;
  }

  /** Runs `cpu` to its next preemption point, or to the end of its operation. */
  step(cpu: number): void {
    const thread = this.threads[cpu];
    if (thread === null) throw new Error(`test driver: CPU ${cpu} has no operation to step`);
    const lock = this.waitingFor(cpu);
    if (lock !== null) throw new Error(`test driver: CPU ${cpu} waits for ${lock.name}, held by CPU ${lock.holder}`);

    const result = thread.next();
    if (result.done === true) {
      this.threads[cpu] = null;
      this.points[cpu] = null;
      this.operations[cpu] = null;
      this.results[cpu] = result.value;
    } else {
      this.points[cpu] = result.value;
    }
  }

  /**
   * Steps `cpu` until `stop()` returns true or its operation ends. When it waits
   * for a lock, runs the holder until it releases that lock first.
   * `waiting` lists the CPUs already waiting on this chain of locks.
   */
  runUntil(cpu: number, stop: () => boolean, waiting: readonly number[] = []): void {
    for (let steps = 0; steps < STEP_BOUND; steps++) {
      if (stop() || !this.busy(cpu)) return;
      const lock = this.waitingFor(cpu);
      if (lock === null) {
        this.step(cpu);
        continue;
      }
      const holder = lock.holder as number;
      if (holder === cpu || waiting.includes(holder)) {
        throw new Error(`test driver: deadlock: CPU ${cpu} waits for ${lock.name}, held by CPU ${holder}, which waits for CPU ${cpu}`);
      }
      if (!this.busy(holder)) throw new Error(`test driver: ${lock.name} is held by CPU ${holder}, which runs no operation`);
      this.runUntil(holder, () => lock.holder !== holder, [...waiting, cpu]);
    }
    throw new Error(`test driver: CPU ${cpu} took ${STEP_BOUND} steps in ${describeOp(this.operations[cpu])}`);
  }

  /** Runs `cpu`'s operation to its end. */
  finish(cpu: number): void {
    this.runUntil(cpu, () => false);
  }

  /** Runs `op` on an idle `cpu` to its end and returns its result. */
  run(cpu: number, op: MapOp): number {
    this.start(cpu, op);
    this.finish(cpu);
    return this.results[cpu] as number;
  }

  /** Runs every CPU's operation to its end, lowest CPU first. */
  finishAll(): void {
    for (let cpu = 0; cpu < this.threads.length; cpu++) this.finish(cpu);
  }

  /** The key of node `node`'s element, which must be linked. */
  keyOf(node: number): number {
    const elem = this.map.elems[node];
    if (elem.bucket === null) throw new Error(`test driver: node ${node} holds no linked element`);
    return elem.key;
  }

  /** Returns the transitions node `node` took so far. */
  transitionsOf(node: number): TakenTransition[] {
    return this.taken.filter((taken) => taken.node === node);
  }
}

export function describeOp(op: MapOp | null): string {
  if (op === null) return "no operation";
  return op.op === "update" ? `update(${op.key}, ${op.value}, flags ${op.flags})` : `${op.op}(${op.key})`;
}
