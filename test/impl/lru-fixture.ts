/**
 * A bare BpfLru for unit tests: nodes populated into the global free list,
 * a del_from_htab stand-in that succeeds for the node ids in `evictable`,
 * and records of every move, del_from_htab call and lock event.
 */
import { LockOps } from "../../harness/points.ts";
import type { CpuId, LockListener, Sim, SpinLock } from "../../harness/points.ts";
import type { LruObserver, MapEvent, NodeMove } from "../../impl/events.ts";
import { BpfLru, bpfLruPopulate } from "../../impl/bpf-lru.ts";
import type { ListHead } from "../../impl/list.ts";
import { listNodeIds } from "../../impl/list.ts";
import type { BpfLruGlobalListType } from "../../impl/lru-node.ts";
import { BPF_LRU_LIST_T_ACTIVE, BPF_LRU_LIST_T_INACTIVE, LruNode } from "../../impl/lru-node.ts";

export interface LockEvent {
  readonly kind: "acquired" | "released";
  readonly lock: string;
  readonly cpu: CpuId;
}

export class Recorder implements LruObserver, LockListener {
  readonly moves: NodeMove[] = [];
  readonly mapEvents: MapEvent[] = [];
  readonly refs: { node: number; cpu: CpuId }[] = [];
  readonly locks: LockEvent[] = [];

  nodeMoved(move: NodeMove): void {
    this.moves.push(move);
  }

  refSet(node: number, cpu: CpuId): void {
    this.refs.push({ node, cpu });
  }

  mapEvent(event: MapEvent): void {
    this.mapEvents.push(event);
  }

  acquired(lock: SpinLock, cpu: CpuId): void {
    this.locks.push({ kind: "acquired", lock: lock.name, cpu });
  }

  released(lock: SpinLock, cpu: CpuId): void {
    this.locks.push({ kind: "released", lock: lock.name, cpu });
  }

  /** Names of the locks acquired, in order. */
  acquiredLocks(): string[] {
    return this.locks.filter((event) => event.kind === "acquired").map((event) => event.lock);
  }
}

export interface Fixture {
  readonly lru: BpfLru;
  readonly nodes: readonly LruNode[];
  readonly recorder: Recorder;
  /** Node ids whose del_from_htab succeeds. */
  readonly evictable: Set<number>;
  /** Node ids passed to del_from_htab, in order. */
  readonly delCalls: number[];
}

export interface FixtureOptions {
  readonly nrCpus?: number;
  readonly nodeCount?: number;
  readonly localFreeTarget?: number;
  readonly maxWalks?: number;
  readonly variant?: string;
  /** Whether every node starts evictable; default true. */
  readonly allEvictable?: boolean;
}

export function makeLru(options: FixtureOptions = {}): Fixture {
  const nodeCount = options.nodeCount ?? 8;
  const recorder = new Recorder();
  const evictable = new Set<number>();
  const delCalls: number[] = [];
  if (options.allEvictable ?? true) for (let id = 0; id < nodeCount; id++) evictable.add(id);

  function* delFromHtab(_cpu: CpuId, node: LruNode): Sim<boolean> {
    delCalls.push(node.id);
    return evictable.has(node.id);
  }

  const lru = new BpfLru(
    {
      nrCpus: options.nrCpus ?? 1,
      nodeCount,
      localFreeTarget: options.localFreeTarget ?? 4,
      maxWalks: options.maxWalks ?? 128,
      variant: options.variant ?? "rfc",
      mutant: null,
      ops: new LockOps(recorder),
      observer: recorder,
    },
    delFromHtab,
  );
  const nodes: LruNode[] = [];
  for (let id = 0; id < nodeCount; id++) nodes.push(new LruNode(id));
  bpfLruPopulate(lru, nodes, 0);
  return { lru, nodes, recorder, evictable, delCalls };
}

/** Node ids of a list from head to tail; fails the test on a broken list. */
export function ids(head: ListHead): number[] {
  return listNodeIds(head, (message) => {
    throw new Error(message);
  });
}

/**
 * Moves nodes from the global free list onto the active and inactive lists,
 * through __bpf_lru_node_move, so that each list reads head to tail as given.
 */
export function arrange(fixture: Fixture, lists: { active?: number[]; inactive?: number[] }, cpu = 0): void {
  const place = (idsHeadToTail: number[] | undefined, type: BpfLruGlobalListType): void => {
    if (idsHeadToTail === undefined) return;
    for (const id of [...idsHeadToTail].reverse()) fixture.lru.lruList.__bpfLruNodeMove(cpu, fixture.nodes[id], type);
  };
  place(lists.active, BPF_LRU_LIST_T_ACTIVE);
  place(lists.inactive, BPF_LRU_LIST_T_INACTIVE);
}
