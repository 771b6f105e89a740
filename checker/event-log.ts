/**
 * Builds the trace's event log while a run goes, one entry per step. An entry
 * has the point the CPU resumed from, the locks it took and released, its
 * node moves and hash-table events, and the result of an operation that
 * ended in that step.
 */
import type { CpuId, PreemptionPoint, SpinLock } from "../harness/points.ts";
import type { MapEvent, NodeMove } from "../impl/events.ts";
import { PLACE_NAMES } from "../impl/events.ts";
import type { TraceEvent } from "../trace/format.ts";
import type { OpResult } from "./types.ts";

export function formatPoint(point: PreemptionPoint | null): string {
  if (point === null) return "start";
  if (point.kind === "access") return `access ${point.what}`;
  return `${point.kind} ${point.lock.name}`;
}

export function formatMove(move: NodeMove): string {
  const from = move.fromCpu < 0 ? PLACE_NAMES[move.from] : `${PLACE_NAMES[move.from]}@${move.fromCpu}`;
  const to = move.toCpu < 0 ? PLACE_NAMES[move.to] : `${PLACE_NAMES[move.to]}@${move.toCpu}`;
  return `node ${move.node}: ${from} -> ${to} (${move.fn})`;
}

export function formatMapEvent(event: MapEvent): string {
  switch (event.kind) {
    case "link":
      return event.replaced === null
        ? `link key ${event.key} = ${event.value} at node ${event.node}`
        : `link key ${event.key} = ${event.value} at node ${event.node}, unlink old node ${event.replaced}`;
    case "unlink":
      return `unlink key ${event.key} at node ${event.node}`;
    case "evict":
      return `evict key ${event.key} at node ${event.node}`;
    case "read":
      return event.node === null
        ? `${event.op} reads key ${event.key}: absent`
        : `${event.op} reads key ${event.key}: ${event.value} at node ${event.node}`;
  }
}

export class EventLog {
  readonly events: TraceEvent[] = [];
  private point = "start";
  private op: string | null = null;
  private locks: string[] = [];
  private moves: string[] = [];
  private map: string[] = [];
  private result: OpResult | undefined;

  stepStarted(point: PreemptionPoint | null, op: string | null): void {
    this.point = formatPoint(point);
    this.op = op;
  }

  lockAcquired(lock: SpinLock): void {
    this.locks.push(`+${lock.name}`);
  }

  lockReleased(lock: SpinLock): void {
    this.locks.push(`-${lock.name}`);
  }

  nodeMoved(move: NodeMove): void {
    this.moves.push(formatMove(move));
  }

  refSet(node: number): void {
    this.moves.push(`node ${node}: ref = 1`);
  }

  mapEvent(event: MapEvent): void {
    this.map.push(formatMapEvent(event));
  }

  operationEnded(result: OpResult): void {
    this.result = result;
  }

  /** Closes the entry of the step that `cpu` just took, even when that step ended in a violation. */
  stepEnded(step: number, cpu: CpuId): void {
    const event: TraceEvent = {
      step,
      cpu,
      point: this.point,
      op: this.op,
      locks: this.locks,
      moves: this.moves,
      map: this.map,
      ...(this.result === undefined ? {} : { result: this.result }),
    };
    this.events.push(event);
    this.locks = [];
    this.moves = [];
    this.map = [];
    this.result = undefined;
  }
}
