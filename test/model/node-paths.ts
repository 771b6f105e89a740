/**
 * Paths of the node model that the path tests drive through the real port.
 *
 * Each path is a list of model events for one node, the node under test,
 * with the CPU that makes each one. The driver maps every event to port
 * operations (path-runner.ts). A step's `before` lists port actions that set
 * up helper nodes or interleavings, and they must not move the node under test.
 *
 * The paths are written by hand rather than taken from
 * `getShortestPaths`: the node model abstracts away the other nodes and the
 * control flow of each map operation, so most of its shortest paths have no
 * run of the port (for example a FLUSH of a node whose owner is still inside
 * the update that popped it). xstate/graph checks each path here against the
 * machine (`getPathsFromEvents`) before the port runs it.
 */
import type { MapOp } from "../../checker/types.ts";
import { BPF_EXIST } from "../../checker/types.ts";
import type { HtabLruParams } from "../../impl/htab-lru.ts";
import type { NodeEventType } from "../../model/vocabulary.ts";

/** A lookup or delete of the key that node `node` holds when the action runs. */
export interface NodeKeyOp {
  readonly op: "lookup" | "delete";
  readonly node: number;
}

export type PortAction =
  /** Runs `op` on the idle `cpu` to its end. */
  | { readonly kind: "run"; readonly cpu: number; readonly op: MapOp | NodeKeyOp }
  /** Runs `cpu`'s operation to its end. */
  | { readonly kind: "finish"; readonly cpu: number }
  /** Starts `op` on the idle `cpu` and stops it at its first unlocked access to `what`. */
  | { readonly kind: "pause"; readonly cpu: number; readonly op: MapOp | NodeKeyOp; readonly what: string };

export interface PathStep {
  readonly event: NodeEventType;
  readonly cpu: number;
  /** The operation to start when `cpu` is idle; the runner picks one for the event otherwise. */
  readonly op?: MapOp;
  readonly before?: readonly PortAction[];
}

export interface NodePath {
  readonly name: string;
  /** What the path does, in the port's terms. */
  readonly story: string;
  /** Port parameters that differ from PATH_PORT_PARAMS. */
  readonly params?: Partial<HtabLruParams>;
  /** The node under test. */
  readonly node: number;
  readonly steps: readonly PathStep[];
}

const at = (event: NodeEventType, cpu: number, extra: Omit<PathStep, "event" | "cpu"> = {}): PathStep => ({ event, cpu, ...extra });

/** update on CPU 0 takes the only node from the global free list and links it. */
const UPDATE_ON_0: readonly PathStep[] = [at("GET_FREE", 0), at("POP_FREE", 0), at("ADD_PENDING", 0), at("LINK", 0)];

export const NODE_PATHS: readonly NodePath[] = [
  {
    name: "update links a free node",
    story: "update on CPU 0 refills its local list from the global free list, pops the node, parks it on its pending list and links it; a lookup on CPU 1 sets its ref bit",
    node: 0,
    steps: [...UPDATE_ON_0, at("REF_SET", 1)],
  },
  {
    name: "delete frees a pending node locally",
    story: "delete on CPU 1 unlinks the element and bpf_lru_push_free returns the node to CPU 0's free list, where CPU 1 then steals it",
    node: 0,
    steps: [...UPDATE_ON_0, at("UNLINK", 1), at("PUSH_FREE", 1), at("POP_FREE", 1), at("ADD_PENDING", 1)],
  },
  {
    name: "late lookup sets the ref bit of a free node",
    story:
      "a lookup on CPU 1 finds the element and stops before it writes the ref bit; delete on CPU 0 frees the node to " +
      "CPU 0's free list, and then the lookup sets the bit of the free node",
    node: 0,
    steps: [
      ...UPDATE_ON_0,
      at("UNLINK", 0, { before: [{ kind: "pause", cpu: 1, op: { op: "lookup", node: 0 }, what: "node.ref write" }] }),
      at("PUSH_FREE", 0),
      at("REF_SET", 1),
    ],
  },
  {
    name: "failed update frees its node",
    story: "update with BPF_EXIST on a missing key pops a node, then check_flags fails and the updater pushes the unlinked node back",
    node: 0,
    steps: [at("GET_FREE", 0, { op: { op: "update", key: 1, value: 1, flags: BPF_EXIST } }), at("POP_FREE", 0), at("ADD_PENDING", 0), at("PUSH_FREE", 0)],
  },
  {
    name: "flush and shrink an unreferenced node",
    story: "a second update on CPU 0 flushes the node to the inactive list, finds no free node, evicts it and takes it back",
    node: 0,
    steps: [...UPDATE_ON_0, at("FLUSH", 0), at("EVICT", 0), at("SHRINK", 0)],
  },
  {
    name: "flush a referenced node, then demote it",
    story: "after a lookup, the flush puts the node on the active list; the rotation that follows finds the inactive list low and demotes it",
    node: 0,
    steps: [...UPDATE_ON_0, at("REF_SET", 1), at("FLUSH", 0), at("ROTATE", 0)],
  },
  {
    name: "steal from another CPU's pending list",
    story: "update on CPU 1 finds no free node anywhere, evicts the node from CPU 0's pending list and takes it",
    node: 0,
    steps: [...UPDATE_ON_0, at("EVICT", 1), at("POP_PENDING", 1)],
  },
  {
    name: "promote a referenced inactive node",
    story:
      "with two nodes the first stays on the inactive list after its flush, because the second is still free; " +
      "a lookup sets its ref bit and the next rotation moves it to the active list",
    params: { maxEntries: 2 },
    node: 1,
    steps: [...UPDATE_ON_0, at("FLUSH", 0), at("REF_SET", 1), at("ROTATE", 0)],
  },
  {
    name: "delete an inactive node",
    story: "delete on CPU 1 unlinks the inactive node and waits for CPU 0 to drop lru_list.lock before freeing it to the global list",
    params: { maxEntries: 2 },
    node: 1,
    steps: [...UPDATE_ON_0, at("FLUSH", 0), at("UNLINK", 1), at("PUSH_FREE", 1)],
  },
  {
    name: "delete an active node",
    story:
      "a helper element sits on the inactive list, so the referenced node stays on the active list after its flush; " +
      "delete on CPU 1 then unlinks it and frees it to the global list",
    params: { maxEntries: 2 },
    node: 0,
    steps: [
      at("GET_FREE", 0, { before: [{ kind: "run", cpu: 0, op: { op: "update", key: 1, value: 1, flags: 0 } }] }),
      at("POP_FREE", 0),
      at("ADD_PENDING", 0),
      at("LINK", 0),
      at("REF_SET", 1),
      at("FLUSH", 0),
      at("UNLINK", 1),
      at("PUSH_FREE", 1),
    ],
  },
  {
    name: "force-shrink an active node",
    story:
      "the node rests on the active list with the helper back on CPU 0's free list; CPU 1 finds no free node, rotates " +
      "the referenced node back to the active head, and with the inactive list empty force-shrinks it from the active list",
    params: { maxEntries: 2 },
    node: 0,
    steps: [
      at("GET_FREE", 0, { before: [{ kind: "run", cpu: 0, op: { op: "update", key: 1, value: 1, flags: 0 } }] }),
      at("POP_FREE", 0),
      at("ADD_PENDING", 0),
      at("LINK", 0),
      at("REF_SET", 1),
      at("FLUSH", 0),
      at("REF_SET", 1, {
        before: [
          { kind: "finish", cpu: 0 },
          { kind: "run", cpu: 1, op: { op: "delete", node: 1 } },
        ],
      }),
      at("ROTATE", 1),
      at("EVICT", 1),
      at("SHRINK", 1),
    ],
  },
];
