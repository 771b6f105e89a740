/**
 * One checker run: builds the port on simulated CPUs, runs each CPU's
 * program under the engine with the given choice source, checks every
 * property after every step, and returns the recorded schedule, results and
 * event log. This is the only place that ties the harness to the LRU.
 */
import { runEngine } from "../harness/engine.ts";
import type { RunOutcome, Violation } from "../harness/engine.ts";
import type { ChoiceSource } from "../harness/choice/choice-source.ts";
import { LockOps, SubjectFault } from "../harness/points.ts";
import type { CpuId, CpuThread, LockListener, PreemptionPoint, SpinLock } from "../harness/points.ts";
import type { LruObserver, MapEvent, NodeMove } from "../impl/events.ts";
import { Place } from "../impl/events.ts";
import { HtabLru } from "../impl/htab-lru.ts";
import { observeLru } from "../impl/observe.ts";
import type { TraceEvent } from "../trace/format.ts";
import { MapSpecification, capacityRespected, finalKeysMatch } from "../properties/map-semantics.ts";
import { ProgressTracker, noLeakWhenIdle } from "../properties/progress.ts";
import { LockOrderGraph } from "../properties/lock-order.ts";
import {
  countsMatchLengths,
  hashTableAgreesWithLists,
  listsWellFormed,
  noKernelWarning,
  localNodeCpuMatchesList,
  nodeOnAtMostOneList,
  nodeTypeMatchesList,
  nodesConserved,
  rotationCursorValid,
} from "../properties/structure.ts";
import { EventLog } from "./event-log.ts";
import { StructureScan } from "../properties/fast-structure.ts";
import { RotationWalkBound, localBatchBound } from "../properties/batching.ts";
import { createModelRefinement } from "../model/port-wiring.ts";
import type { ModelRefinement } from "../model/refinement.ts";
import type { CoverageRecorder } from "../model/coverage.ts";
import { formatOp, toOpResult } from "./op-format.ts";
import type { CheckConfig, CpuProgram, MapOp, OpResult } from "./types.ts";

export interface RunSetup {
  readonly config: CheckConfig;
  readonly programs: readonly CpuProgram[];
  readonly choices: ChoiceSource;
  readonly maxSteps: number;
  /** Build the per-step event log (slower; needed for traces and replay). */
  readonly recordEvents: boolean;
  /** Records the model transitions the run takes; runs of a batch share one recorder. */
  readonly coverage?: CoverageRecorder;
  /**
   * Also run the snapshot checks after every step and fail on any
   * disagreement with the allocation-free scan; slow, for tests of the scan.
   */
  readonly crossCheckStructure?: boolean;
}

export interface RunReport {
  readonly outcome: RunOutcome;
  /** The CPU chosen at each step, recorded as each decision was made. */
  readonly schedule: readonly CpuId[];
  /** Per CPU, the results of the operations that ended. */
  readonly results: readonly (readonly OpResult[])[];
  readonly events: readonly TraceEvent[] | null;
  /** Keys and values reachable from the hash table at the end (or at the violation). */
  readonly finalKeys: Readonly<Record<string, number>>;
  readonly evictions: number;
}

/** Runs the programs once and checks every property; never throws for a fault of the port. */
export function runCheck(setup: RunSetup): RunReport {
  const run = new CheckedRun(setup);
  return run.execute();
}

class CheckedRun implements LruObserver, LockListener {
  private readonly config: CheckConfig;
  private readonly map: HtabLru;
  private readonly specification: MapSpecification;
  private readonly progress: ProgressTracker;
  private readonly lockOrder: LockOrderGraph;
  private readonly log: EventLog | null;
  private readonly refinement: ModelRefinement;
  private readonly scan: StructureScan;
  private readonly walkBound: RotationWalkBound;
  private readonly nodeCpu: (node: number) => number;
  private readonly linked: (node: number) => boolean;
  private readonly schedule: CpuId[] = [];
  private readonly results: OpResult[][];
  private readonly currentOp: (MapOp | null)[];
  /** Per CPU, the index of the operation running or about to start. */
  private readonly opIndex: number[];
  /** Nodes off every list, with the CPU that took them off. */
  private readonly holders = new Map<number, number>();
  private dirty = true;
  private evictions = 0;

  constructor(private readonly setup: RunSetup) {
    this.config = setup.config;
    const cpus = this.config.cpus;
    this.specification = new MapSpecification(cpus);
    this.progress = new ProgressTracker(cpus);
    this.lockOrder = new LockOrderGraph(cpus);
    this.results = Array.from({ length: cpus }, () => []);
    this.currentOp = new Array(cpus).fill(null);
    this.opIndex = new Array(cpus).fill(0);
    this.map = new HtabLru(
      {
        nrCpus: cpus,
        maxEntries: this.config.maxEntries,
        localFreeTarget: this.config.localFreeTarget,
        maxWalks: this.config.maxWalks,
        buckets: this.config.buckets,
        variant: this.config.variant,
        mutant: this.config.mutant,
      },
      new LockOps(this),
      this,
    );
    // Created after the map, so that bpf_lru_populate's moves are neither
    // logged as part of step 0 nor checked: the model starts every node on
    // the global free list, where populate puts it.
    this.log = setup.recordEvents ? new EventLog() : null;
    this.scan = new StructureScan(this.map);
    this.walkBound = new RotationWalkBound(cpus, this.config.maxWalks);
    const elems = this.map.elems;
    this.nodeCpu = (node) => elems[node].node.cpu;
    this.linked = (node) => elems[node].bucket !== null;
    this.refinement = createModelRefinement(this.map, setup.coverage === undefined ? {} : { coverage: setup.coverage });
  }

  execute(): RunReport {
    const threads: CpuThread[] = this.setup.programs.map((program, cpu) => this.cpuThread(cpu, program));
    let outcome = runEngine({
      threads,
      choices: this.setup.choices,
      maxSteps: this.setup.maxSteps,
      onDecision: (step, cpu, point) => this.decided(step, cpu, point),
      afterStep: (step, cpu) => this.stepEnded(step, cpu),
      describeCpu: (cpu) => this.describeCpu(cpu),
    });
    if (outcome.kind === "completed") outcome = this.checkFinalState(outcome.steps);

    return {
      outcome,
      schedule: this.schedule,
      results: this.results,
      events: this.log === null ? null : this.log.events,
      finalKeys: observeLru(this.map).htab.keys,
      evictions: this.evictions,
    };
  }

  private *cpuThread(cpu: CpuId, program: CpuProgram): CpuThread {
    for (const op of program) {
      this.currentOp[cpu] = op;
      this.specification.operationStarted(cpu, op);
      this.progress.operationStarted(cpu);

      const result = toOpResult(yield* this.runOp(cpu, op));
      this.results[cpu].push(result);
      this.log?.operationEnded(result);
      if (result === "ENOMEM" && op.op === "update") this.progress.updateFailedWithoutMemory(cpu, op.key);
      this.specification.operationEnded(cpu, result);
      this.progress.operationEnded(cpu);
      this.currentOp[cpu] = null;
      this.opIndex[cpu]++;
    }
  }

  private runOp(cpu: CpuId, op: MapOp): Generator<PreemptionPoint, number, void> {
    switch (op.op) {
      case "update":
        return this.map.update(cpu, op.key, op.value, op.flags);
      case "lookup":
        return this.map.lookup(cpu, op.key);
      case "lookup_sys":
        return this.map.lookupSys(cpu, op.key);
      case "delete":
        return this.map.delete(cpu, op.key);
    }
  }

  private decided(_step: number, cpu: CpuId, point: PreemptionPoint | null): void {
    this.schedule.push(cpu);
    if (this.log !== null) {
      // A CPU between operations starts its next one in this step.
      const op = this.currentOp[cpu] ?? this.setup.programs[cpu][this.opIndex[cpu]] ?? null;
      this.log.stepStarted(point, op === null ? null : formatOp(op));
    }
  }

  private stepEnded(step: number, cpu: CpuId): void {
    // The log entry is closed first, so that a property that throws below
    // still leaves this step in the trace.
    this.log?.stepEnded(step, cpu);
    this.progress.stepEnded();
    if (!this.dirty) return;
    this.dirty = false;
    this.checkStructure(this.currentOp.every((op) => op === null));
  }

  private checkStructure(idle: boolean): void {
    const sound = this.scan.sound(this.holders, idle);
    if (this.setup.crossCheckStructure === true) this.crossCheck(sound, idle);
    if (sound) {
      this.refinement.checkOwnerCpus(this.nodeCpu);
      this.refinement.checkReachableNotFree(this.linked);
      return;
    }
    this.checkStructureOnSnapshot(idle);
    throw new Error("harness bug: the structure scan found a broken property that the snapshot checks did not confirm");
  }

  private crossCheck(sound: boolean, idle: boolean): void {
    let snapshotSound = true;
    try {
      this.checkStructureOnSnapshot(idle);
    } catch (error) {
      if (!(error instanceof SubjectFault)) throw error;
      snapshotSound = false;
    }
    if (sound !== snapshotSound) {
      throw new Error(`harness bug: the structure scan says ${sound ? "sound" : "broken"}, the snapshot checks say ${snapshotSound ? "sound" : "broken"}`);
    }
  }

  /** Runs every structural property on a snapshot, in order, so the first broken one throws its violation. */
  private checkStructureOnSnapshot(idle: boolean): void {
    const snapshot = observeLru(this.map);
    listsWellFormed(snapshot);
    noKernelWarning(snapshot);
    const locations = nodeOnAtMostOneList(snapshot);
    nodesConserved(snapshot, locations, this.holders);
    nodeTypeMatchesList(snapshot, locations);
    localNodeCpuMatchesList(snapshot, locations);
    countsMatchLengths(snapshot);
    rotationCursorValid(snapshot);
    hashTableAgreesWithLists(snapshot, locations);
    localBatchBound(snapshot, this.holders, this.config.localFreeTarget);
    this.refinement.checkOwnerCpus((node) => snapshot.nodes[node].cpu);
    this.refinement.checkReachableNotFree((node) => snapshot.nodes[node].key !== null);
    capacityRespected(Object.keys(snapshot.htab.keys).length, this.config.maxEntries);
    if (idle) noLeakWhenIdle(snapshot, locations);
  }

  private checkFinalState(steps: number): RunOutcome {
    try {
      this.checkStructure(true);
      finalKeysMatch(this.specification, observeLru(this.map).htab.keys);
      return { kind: "completed", steps };
    } catch (error) {
      if (!(error instanceof SubjectFault)) throw error;
      const violation: Violation = { property: error.property, message: `at the end of the run: ${error.message}`, step: Math.max(0, steps - 1), cpu: null };
      return { kind: "violation", steps, violation };
    }
  }

  private describeCpu(cpu: CpuId): string {
    const op = this.currentOp[cpu];
    return op === null ? "between operations" : `in ${formatOp(op)}`;
  }

  // LruObserver

  nodeMoved(move: NodeMove): void {
    this.dirty = true;
    this.refinement?.nodeMoved(move);
    this.walkBound?.nodeMoved(move);
    if (move.to === Place.OffList) this.holders.set(move.node, move.cpu);
    else if (move.from === Place.OffList) this.holders.delete(move.node);
    if ((move.to === Place.OffList || move.to === Place.Pending) && this.currentOp[move.cpu]?.op === "update") {
      this.progress.nodeTaken(move.cpu);
    }
    this.log?.nodeMoved(move);
  }

  refSet(node: number, cpu: CpuId): void {
    this.refinement?.refSet(node, cpu);
    this.log?.refSet(node);
  }

  mapEvent(event: MapEvent): void {
    if (event.kind !== "read") this.dirty = true;
    if (event.kind === "evict") this.evictions++;
    if (event.kind === "unlink" || (event.kind === "link" && event.replaced !== null)) this.progress.nodeTaken(event.cpu);
    this.log?.mapEvent(event);
    this.refinement?.mapEvent(event);
    this.specification.mapEvent(event);
  }

  // LockListener

  acquired(lock: SpinLock, cpu: CpuId): void {
    if (lock === this.map.lru.lruList.lock) this.walkBound.globalLockTaken(cpu);
    this.log?.lockAcquired(lock);
    this.lockOrder.acquired(lock, cpu);
  }

  released(lock: SpinLock, cpu: CpuId): void {
    this.log?.lockReleased(lock);
    this.lockOrder.released(lock, cpu);
  }
}
