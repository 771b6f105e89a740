/**
 * The per-step property checks of a checker run, for the fast-check
 * scheduler harness: the same properties and model refinement in the same
 * order, with the same dirty-step shortcut and allocation-free structure
 * scan, but driven by the caller of `stepEnded`.
 *
 * NOTE: this mirrors the private CheckedRun class of checker/run.ts (without
 * event log and coverage), because that class is not exported. A check
 * added there must be added here too, or the two harnesses stop doing the
 * same work; test/bench/fc-scheduler.test.ts compares their verdicts on
 * every seeded bug to catch a missing one.
 */
import { LockOps, SubjectFault } from "../../harness/points.ts";
import type { CpuId, CpuThread, LockListener, PreemptionPoint, SpinLock } from "../../harness/points.ts";
import type { LruObserver, MapEvent, NodeMove } from "../../impl/events.ts";
import { Place } from "../../impl/events.ts";
import { HtabLru } from "../../impl/htab-lru.ts";
import { observeLru } from "../../impl/observe.ts";
import { MapSpecification, capacityRespected, finalKeysMatch } from "../../properties/map-semantics.ts";
import { ProgressTracker, noLeakWhenIdle } from "../../properties/progress.ts";
import { LockOrderGraph } from "../../properties/lock-order.ts";
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
} from "../../properties/structure.ts";
import { StructureScan } from "../../properties/fast-structure.ts";
import { RotationWalkBound, localBatchBound } from "../../properties/batching.ts";
import { createModelRefinement } from "../../model/port-wiring.ts";
import type { ModelRefinement } from "../../model/refinement.ts";
import { toOpResult } from "../../checker/op-format.ts";
import type { CheckConfig, CpuProgram, MapOp } from "../../checker/types.ts";

export class StepChecks implements LruObserver, LockListener {
  readonly map: HtabLru;
  private readonly specification: MapSpecification;
  private readonly progress: ProgressTracker;
  private readonly lockOrder: LockOrderGraph;
  private readonly refinement: ModelRefinement;
  private readonly scan: StructureScan;
  private readonly walkBound: RotationWalkBound;
  private readonly nodeCpu: (node: number) => number;
  private readonly linked: (node: number) => boolean;
  private readonly currentOp: (MapOp | null)[];
  /** Nodes off every list, with the CPU that took them off. */
  private readonly holders = new Map<number, number>();
  private dirty = true;

  constructor(private readonly config: CheckConfig) {
    const cpus = config.cpus;
    this.specification = new MapSpecification(cpus);
    this.progress = new ProgressTracker(cpus);
    this.lockOrder = new LockOrderGraph(cpus);
    this.currentOp = new Array(cpus).fill(null);
    this.map = new HtabLru(
      {
        nrCpus: cpus,
        maxEntries: config.maxEntries,
        localFreeTarget: config.localFreeTarget,
        maxWalks: config.maxWalks,
        buckets: config.buckets,
        variant: config.variant,
        mutant: config.mutant,
      },
      new LockOps(this),
      this,
    );
    this.scan = new StructureScan(this.map);
    this.walkBound = new RotationWalkBound(cpus, config.maxWalks);
    const elems = this.map.elems;
    this.nodeCpu = (node) => elems[node].node.cpu;
    this.linked = (node) => elems[node].bucket !== null;
    this.refinement = createModelRefinement(this.map);
  }

  /** The body of simulated CPU `cpu`: runs its program and keeps the map-level trackers informed. */
  *cpuThread(cpu: CpuId, program: CpuProgram): CpuThread {
    for (const op of program) {
      this.currentOp[cpu] = op;
      this.specification.operationStarted(cpu, op);
      this.progress.operationStarted(cpu);

      const result = toOpResult(yield* this.runOp(cpu, op));
      if (result === "ENOMEM" && op.op === "update") this.progress.updateFailedWithoutMemory(cpu, op.key);
      this.specification.operationEnded(cpu, result);
      this.progress.operationEnded(cpu);
      this.currentOp[cpu] = null;
    }
  }

  /** Checks every property after a step; throws a SubjectFault when one is broken. */
  stepEnded(): void {
    this.progress.stepEnded();
    if (!this.dirty) return;
    this.dirty = false;
    this.checkStructure(this.currentOp.every((op) => op === null));
  }

  /** Checks the state a completed run ends in; throws a SubjectFault when a property is broken. */
  checkFinalState(): void {
    this.checkStructure(true);
    finalKeysMatch(this.specification, observeLru(this.map).htab.keys);
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

  private checkStructure(idle: boolean): void {
    if (this.scan.sound(this.holders, idle)) {
      this.refinement.checkOwnerCpus(this.nodeCpu);
      this.refinement.checkReachableNotFree(this.linked);
      return;
    }
    this.checkStructureOnSnapshot(idle);
    throw new Error("harness bug: the structure scan found a broken property that the snapshot checks did not confirm");
  }

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

  // LruObserver

  nodeMoved(move: NodeMove): void {
    this.dirty = true;
    // Undefined while the constructor builds the map: bpf_lru_populate's moves are not checked, as in checker/run.ts.
    this.refinement?.nodeMoved(move);
    this.walkBound?.nodeMoved(move);
    if (move.to === Place.OffList) this.holders.set(move.node, move.cpu);
    else if (move.from === Place.OffList) this.holders.delete(move.node);
    if ((move.to === Place.OffList || move.to === Place.Pending) && this.currentOp[move.cpu]?.op === "update") {
      this.progress.nodeTaken(move.cpu);
    }
  }

  refSet(node: number, cpu: CpuId): void {
    this.refinement?.refSet(node, cpu);
  }

  mapEvent(event: MapEvent): void {
    if (event.kind !== "read") this.dirty = true;
    if (event.kind === "unlink" || (event.kind === "link" && event.replaced !== null)) this.progress.nodeTaken(event.cpu);
    this.refinement?.mapEvent(event);
    this.specification.mapEvent(event);
  }

  // LockListener

  acquired(lock: SpinLock, cpu: CpuId): void {
    if (lock === this.map.lru.lruList.lock) this.walkBound.globalLockTaken(cpu);
    this.lockOrder.acquired(lock, cpu);
  }

  released(lock: SpinLock, cpu: CpuId): void {
    this.lockOrder.released(lock, cpu);
  }
}

/** Returns the property a step's exception breaks: a SubjectFault's own, or "no-crash" for any other exception from the port. */
export function brokenProperty(error: unknown): string {
  return error instanceof SubjectFault ? error.property : "no-crash";
}
