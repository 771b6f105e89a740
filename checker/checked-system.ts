import { LockOps, SubjectFault } from "../harness/points.ts";
import type { CpuId, CpuThread, LockListener, PreemptionPoint, SpinLock } from "../harness/points.ts";
import type { LruObserver, MapEvent, NodeMove } from "../impl/events.ts";
import { Place } from "../impl/events.ts";
import type { HtabLru } from "../impl/htab-lru.ts";
import { callMapOp, createPort } from "./port.ts";
import { observeLru } from "../impl/observe.ts";
import { MapSpecification, capacityRespected, finalKeysMatch } from "../properties/map-semantics.ts";
import { ProgressTracker, noLeakWhenIdle } from "../properties/progress.ts";
import { LockOrderGraph } from "../properties/lock-order.ts";
import {
  countsMatchLengths,
  hashTableAgreesWithLists,
  listsWellFormed,
  localNodeCpuMatchesList,
  noKernelWarning,
  nodeOnAtMostOneList,
  nodeTypeMatchesList,
  nodesConserved,
  rotationCursorValid,
} from "../properties/structure.ts";
import { StructureScan } from "../properties/fast-structure.ts";
import { RotationWalkBound, localBatchBound } from "../properties/batching.ts";
import { createModelRefinement } from "../model/port-wiring.ts";
import type { ModelRefinement } from "../model/refinement.ts";
import type { CoverageRecorder } from "../model/coverage.ts";
import { EventLog } from "./event-log.ts";
import { formatOp, toOpResult } from "./op-format.ts";
import type { CheckConfig, CpuProgram, MapOp, OpResult } from "./types.ts";

export interface CheckOptions {
  /** Build the per-step event log (slower; needed for traces and replay). */
  readonly recordEvents?: boolean;
  /** Records the model transitions taken; runs of a batch share one recorder. */
  readonly coverage?: CoverageRecorder;
  /**
   * Also run the snapshot checks after every step and fail on any
   * disagreement with the allocation-free scan; slow, for tests of the scan.
   */
  readonly crossCheckStructure?: boolean;
}

/**
 * The port on simulated CPUs with every property attached: the map, the
 * observers that check each node move and hash-table event as it happens,
 * the per-step structure checks and the end-of-run checks. A driver (the
 * engine in run.ts, or the fast-check scheduler harness of the benchmark)
 * runs `cpuThread` for each CPU and calls `stepEnded` after every step.
 */
export class CheckedSystem implements LruObserver, LockListener {
  readonly map: HtabLru;
  private readonly specification: MapSpecification;
  private readonly progress: ProgressTracker;
  private readonly lockOrder: LockOrderGraph;
  readonly log: EventLog | null;
  private readonly refinement: ModelRefinement;
  private readonly scan: StructureScan;
  private readonly walkBound: RotationWalkBound;
  private readonly nodeCpu: (node: number) => number;
  private readonly linked: (node: number) => boolean;
  /** Per CPU, the results of the operations that ended. */
  readonly results: OpResult[][];
  private readonly currentOp: (MapOp | null)[];
  /** Per CPU, the index of the operation running or about to start. */
  private readonly opIndex: number[];
  /** Per node id: the CPU that took the node off every list, or -1 while it is on a list. */
  private readonly holderOf: Int16Array;
  private dirty = true;
  evictions = 0;

  constructor(
    readonly config: CheckConfig,
    private readonly programs: readonly CpuProgram[],
    private readonly options: CheckOptions = {},
  ) {
    const cpus = this.config.cpus;
    this.specification = new MapSpecification(cpus);
    this.progress = new ProgressTracker(cpus);
    this.lockOrder = new LockOrderGraph(cpus);
    this.results = Array.from({ length: cpus }, () => []);
    this.currentOp = new Array(cpus).fill(null);
    this.opIndex = new Array(cpus).fill(0);
    this.holderOf = new Int16Array(config.maxEntries).fill(-1);
    this.map = createPort(config, new LockOps(this), this);
    // Created after the map, so that bpf_lru_populate's moves are neither
    // logged as part of step 0 nor checked: the model starts every node on
    // the global free list, where populate puts it.
    this.log = options.recordEvents === true ? new EventLog() : null;
    this.scan = new StructureScan(this.map);
    this.walkBound = new RotationWalkBound(cpus, this.config.maxWalks);
    const elems = this.map.elems;
    this.nodeCpu = (node) => elems[node].node.cpu;
    this.linked = (node) => elems[node].bucket !== null;
    this.refinement = createModelRefinement(this.map, options.coverage === undefined ? {} : { coverage: options.coverage });
  }

  /** The body of simulated CPU `cpu`: runs its program, checking each result. */
  *cpuThread(cpu: CpuId, program: CpuProgram): CpuThread {
    for (const op of program) {
      this.currentOp[cpu] = op;
      this.specification.operationStarted(cpu, op);
      this.progress.operationStarted(cpu);

      const result = toOpResult(yield* callMapOp(this.map, cpu, op));
      this.results[cpu].push(result);
      this.log?.operationEnded(result);
      if (result === "ENOMEM" && op.op === "update") this.progress.updateFailedWithoutMemory(cpu, op.key);
      this.specification.operationEnded(cpu, result);
      this.progress.operationEnded(cpu);
      this.currentOp[cpu] = null;
      this.opIndex[cpu]++;
    }
  }


  /** Opens the event-log entry of the step `cpu` is about to take. */
  stepStarted(cpu: CpuId, point: PreemptionPoint | null): void {
    if (this.log !== null) {
      // A CPU between operations starts its next one in this step.
      const op = this.currentOp[cpu] ?? this.programs[cpu][this.opIndex[cpu]] ?? null;
      this.log.stepStarted(point, op === null ? null : formatOp(op));
    }
  }

  /** Checks every property after a step; throws a SubjectFault for the first broken one. */
  stepEnded(step: number, cpu: CpuId): void {
    // The log entry is closed first, so that a property that throws below
    // still leaves this step in the trace.
    this.log?.stepEnded(step, cpu);
    this.progress.stepEnded();
    if (!this.dirty) return;
    this.dirty = false;
    this.checkStructure(this.currentOp.every((op) => op === null));
  }

  private checkStructure(idle: boolean): void {
    const sound = this.scan.sound(this.holderOf, idle);
    if (this.options.crossCheckStructure === true) this.crossCheck(sound, idle);
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
    nodesConserved(snapshot, locations, this.holderOf);
    nodeTypeMatchesList(snapshot, locations);
    localNodeCpuMatchesList(snapshot, locations);
    countsMatchLengths(snapshot);
    rotationCursorValid(snapshot);
    hashTableAgreesWithLists(snapshot, locations);
    localBatchBound(snapshot, this.holderOf, this.config.localFreeTarget);
    this.refinement.checkOwnerCpus((node) => snapshot.nodes[node].cpu);
    this.refinement.checkReachableNotFree((node) => snapshot.nodes[node].key !== null);
    capacityRespected(Object.keys(snapshot.htab.keys).length, this.config.maxEntries);
    if (idle) noLeakWhenIdle(snapshot, locations);
  }

  /** Checks the state a completed run ends in; throws a SubjectFault for the first broken property. */
  checkFinalState(): void {
    this.checkStructure(true);
    finalKeysMatch(this.specification, observeLru(this.map).htab.keys);
  }

  /** Returns where a CPU is, for deadlock and livelock messages. */
  describeCpu(cpu: CpuId): string {
    const op = this.currentOp[cpu];
    return op === null ? "between operations" : `in ${formatOp(op)}`;
  }

  // LruObserver

  nodeMoved(move: NodeMove): void {
    this.dirty = true;
    this.refinement?.nodeMoved(move);
    this.walkBound?.nodeMoved(move);
    if (move.to === Place.OffList) this.holderOf[move.node] = move.cpu;
    else if (move.from === Place.OffList) this.holderOf[move.node] = -1;
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
