import { describe, expect, it } from "vitest";
import { SpinLock, SubjectFault } from "../../harness/points.ts";
import type { NodeMove } from "../../impl/events.ts";
import { Place } from "../../impl/events.ts";
import { CoverageRecorder } from "../../model/coverage.ts";
import { ModelRefinement } from "../../model/refinement.ts";

function makeLocks() {
  return {
    global: new SpinLock("lru_list.lock"),
    local: [new SpinLock("loc_l[0].lock"), new SpinLock("loc_l[1].lock")],
    buckets: [new SpinLock("bucket[0].lock"), new SpinLock("bucket[1].lock")],
  };
}

type Locks = ReturnType<typeof makeLocks>;

function move(node: number, from: Place, fromCpu: number, to: Place, toCpu: number, cpu: number, fn: string): NodeMove {
  return { node, from, fromCpu, to, toCpu, cpu, fn };
}

/** Runs `body` with `cpu` holding `held`, then releases them. */
function holding(held: SpinLock[], cpu: number, body: () => void): void {
  for (const lock of held) lock.holder = cpu;
  try {
    body();
  } finally {
    for (const lock of held) lock.holder = null;
  }
}

/** Drives node 0 from the global free list to CPU `cpu`'s pending list, linked, as update on `cpu` does. */
function updateOn(refinement: ModelRefinement, locks: Locks, cpu: number, node = 0): void {
  holding([locks.global, locks.local[cpu]], cpu, () => {
    refinement.nodeMoved(move(node, Place.GlobalFree, -1, Place.LocalFree, cpu, cpu, "__bpf_lru_node_move_out"));
  });
  holding([locks.local[cpu]], cpu, () => {
    refinement.nodeMoved(move(node, Place.LocalFree, cpu, Place.OffList, -1, cpu, "__local_list_pop_free"));
    refinement.nodeMoved(move(node, Place.OffList, -1, Place.Pending, cpu, cpu, "__local_list_add_pending"));
  });
  holding([locks.buckets[0]], cpu, () => {
    refinement.mapEvent({ kind: "link", cpu, key: 7, value: 1, node, replaced: null });
  });
}

function faultOf(body: () => void): SubjectFault {
  try {
    body();
  } catch (error) {
    if (error instanceof SubjectFault) return error;
    throw error;
  }
  throw new Error("expected a SubjectFault");
}

describe("model refinement", () => {
  it("accepts an update's moves under the RFC's locks", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    updateOn(refinement, locks, 1);
    expect(refinement.view(0)).toEqual({ state: "pending", owner: 1, ref: false, htab: "linked" });
  });

  it("rejects get_free without the local lock", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    const fault = faultOf(() =>
      holding([locks.global], 0, () => {
        refinement.nodeMoved(move(0, Place.GlobalFree, -1, Place.LocalFree, 0, 0, "__bpf_lru_node_move_out"));
      }),
    );
    expect(fault.property).toBe("model-refinement");
    expect(fault.message).toContain("node 0");
    expect(fault.message).toContain("global-free");
    expect(fault.message).toContain("local-free@0");
    expect(fault.message).toContain("CPU 0 holds lru_list.lock");
    expect(fault.message).toContain("requires lru_list.lock and loc_l[0].lock");
    expect(fault.message).toContain("does not hold loc_l[0].lock");
    expect(fault.message).toContain("__bpf_lru_list_get_free");
  });

  it("rejects push_free onto another CPU's list after a steal", () => {
    // The RFC's bug: CPU 1 stole node 0 from CPU 0's free list, so node.cpu
    // still names CPU 0, and bpf_lru_push_free locks loc_l[0] to move the
    // node off CPU 1's pending list onto CPU 0's free list.
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    updateOn(refinement, locks, 0);
    holding([locks.buckets[0]], 0, () => refinement.mapEvent({ kind: "unlink", cpu: 0, key: 7, node: 0 }));
    holding([locks.local[0]], 0, () => {
      refinement.nodeMoved(move(0, Place.Pending, 0, Place.LocalFree, 0, 0, "bpf_lru_push_free"));
    });
    holding([locks.local[0]], 1, () => {
      refinement.nodeMoved(move(0, Place.LocalFree, 0, Place.OffList, -1, 1, "__local_list_pop_free"));
    });
    holding([locks.local[1]], 1, () => {
      refinement.nodeMoved(move(0, Place.OffList, -1, Place.Pending, 1, 1, "__local_list_add_pending"));
    });
    holding([locks.buckets[0]], 1, () => refinement.mapEvent({ kind: "link", cpu: 1, key: 8, value: 2, node: 0, replaced: null }));
    holding([locks.buckets[0]], 0, () => refinement.mapEvent({ kind: "unlink", cpu: 0, key: 8, node: 0 }));

    expect(() => refinement.checkOwnerCpus(() => 0)).toThrow(/node 0 is pending on CPU 1 in the model, but its cpu field is 0/);

    const fault = faultOf(() =>
      holding([locks.local[0]], 0, () => {
        refinement.nodeMoved(move(0, Place.Pending, 1, Place.LocalFree, 0, 0, "bpf_lru_push_free"));
      }),
    );
    expect(fault.property).toBe("model-refinement");
    expect(fault.message).toContain("pending@1");
    expect(fault.message).toContain("local-free@0");
    expect(fault.message).toContain("pending on CPU 1");
    expect(fault.message).toContain("requires loc_l[1].lock");
    expect(fault.message).toContain("CPU 0 does not hold loc_l[1].lock");
    expect(fault.message).toContain("joined the list of CPU 0, owner is CPU 1");
    expect(fault.message).toContain("bpf_lru_push_free");
  });

  it("rejects freeing a node that is still reachable", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    updateOn(refinement, locks, 0);
    const fault = faultOf(() =>
      holding([locks.local[0]], 0, () => {
        refinement.nodeMoved(move(0, Place.Pending, 0, Place.LocalFree, 0, 0, "bpf_lru_push_free"));
      }),
    );
    expect(fault.message).toContain("delete or a replacing update unlinked the element");
  });

  it("rejects a move from a place the model does not have the node in", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    const fault = faultOf(() =>
      holding([locks.global], 1, () => {
        refinement.nodeMoved(move(0, Place.Inactive, -1, Place.Active, -1, 1, "__bpf_lru_node_move"));
      }),
    );
    expect(fault.message).toContain("the port moved it from inactive to active on CPU 1");
    expect(fault.message).toContain("the model has it in globalFree");
  });

  it("rejects a move no transition makes", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    updateOn(refinement, locks, 0);
    const fault = faultOf(() =>
      holding([locks.global], 0, () => {
        refinement.nodeMoved(move(0, Place.Pending, 0, Place.GlobalFree, -1, 0, "__bpf_lru_node_move"));
      }),
    );
    expect(fault.message).toContain("no transition of the model moves a node from pending to global-free");
  });

  it("rejects a flush to the list the ref bit does not pick", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    updateOn(refinement, locks, 0);
    refinement.refSet(0, 1);
    const fault = faultOf(() =>
      holding([locks.global, locks.local[0]], 0, () => {
        refinement.nodeMoved(move(0, Place.Pending, 0, Place.Inactive, -1, 0, "__bpf_lru_node_move_in"));
      }),
    );
    expect(fault.message).toContain("pending --FLUSH--> active");
    expect(fault.message).toContain("but the port moved the node to inactive");
  });

  it("requires eviction before a shrink", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    updateOn(refinement, locks, 0);
    holding([locks.global, locks.local[0]], 0, () => {
      refinement.nodeMoved(move(0, Place.Pending, 0, Place.Inactive, -1, 0, "__bpf_lru_node_move_in"));
    });
    const fault = faultOf(() =>
      holding([locks.global, locks.local[1]], 1, () => {
        refinement.nodeMoved(move(0, Place.Inactive, -1, Place.LocalFree, 1, 1, "__bpf_lru_node_move_out"));
      }),
    );
    expect(fault.message).toContain("del_from_htab has just unlinked the node");

    holding([locks.global, locks.local[1], locks.buckets[1]], 1, () => refinement.mapEvent({ kind: "evict", cpu: 1, key: 7, node: 0 }));
    holding([locks.global, locks.local[1]], 1, () => {
      refinement.nodeMoved(move(0, Place.Inactive, -1, Place.LocalFree, 1, 1, "__bpf_lru_node_move_out"));
    });
    expect(refinement.view(0)).toEqual({ state: "localFree", owner: 1, ref: false, htab: "unused" });
  });

  it("checks the key's own bucket lock when it knows the hash", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1, { bucketOfKey: (key) => key % 2 });
    holding([locks.global, locks.local[0]], 0, () => {
      refinement.nodeMoved(move(0, Place.GlobalFree, -1, Place.LocalFree, 0, 0, "__bpf_lru_node_move_out"));
    });
    holding([locks.local[0]], 0, () => {
      refinement.nodeMoved(move(0, Place.LocalFree, 0, Place.OffList, -1, 0, "__local_list_pop_free"));
      refinement.nodeMoved(move(0, Place.OffList, -1, Place.Pending, 0, 0, "__local_list_add_pending"));
    });
    const fault = faultOf(() =>
      holding([locks.buckets[0]], 0, () => refinement.mapEvent({ kind: "link", cpu: 0, key: 7, value: 1, node: 0, replaced: null })),
    );
    expect(fault.message).toContain("does not hold bucket[1].lock");
  });

  it("sets the ref bit of a replacing element and unlinks the old one", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 2);
    updateOn(refinement, locks, 0, 0);
    holding([locks.global, locks.local[1]], 1, () => {
      refinement.nodeMoved(move(1, Place.GlobalFree, -1, Place.LocalFree, 1, 1, "__bpf_lru_node_move_out"));
    });
    holding([locks.local[1]], 1, () => {
      refinement.nodeMoved(move(1, Place.LocalFree, 1, Place.OffList, -1, 1, "__local_list_pop_free"));
      refinement.nodeMoved(move(1, Place.OffList, -1, Place.Pending, 1, 1, "__local_list_add_pending"));
    });
    holding([locks.buckets[0]], 1, () => refinement.mapEvent({ kind: "link", cpu: 1, key: 7, value: 2, node: 1, replaced: 0 }));
    expect(refinement.view(1)).toEqual({ state: "pending", owner: 1, ref: true, htab: "linked" });
    expect(refinement.view(0)).toEqual({ state: "pending", owner: 0, ref: false, htab: "unlinked" });
  });

  it("accepts bpf_lru_populate once per node", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 1);
    refinement.nodeMoved(move(0, Place.OffList, -1, Place.GlobalFree, -1, 0, "bpf_lru_populate"));
    expect(refinement.view(0).state).toBe("globalFree");
    expect(() => refinement.nodeMoved(move(0, Place.OffList, -1, Place.GlobalFree, -1, 0, "bpf_lru_populate"))).toThrow(SubjectFault);
  });

  it("flags a reachable node the model has on a free list", () => {
    const locks = makeLocks();
    const refinement = new ModelRefinement(locks, 2);
    updateOn(refinement, locks, 0, 0);
    expect(() => refinement.checkReachableNotFree((node) => node === 0)).not.toThrow();
    expect(() => refinement.checkReachableNotFree((node) => node === 1)).toThrow(/node 1 is reachable from the hash table but is in globalFree/);
  });

  it("reports transitions to coverage and to its listener", () => {
    const locks = makeLocks();
    const coverage = new CoverageRecorder();
    const seen: string[] = [];
    const refinement = new ModelRefinement(locks, 1, { coverage, onTransition: (node, transition, cpu) => seen.push(`${node} ${transition.id} ${cpu}`) });
    updateOn(refinement, locks, 1);
    expect(seen).toEqual([
      "0 globalFree --GET_FREE--> localFree 1",
      "0 localFree --POP_FREE--> offList 1",
      "0 offList --ADD_PENDING--> pending 1",
      "0 pending --LINK 1",
    ]);
    const entries = coverage.toJSON().entries;
    expect(entries).toContainEqual({
      transition: "globalFree --GET_FREE--> localFree",
      relation: "own",
      locks: ["lru_list.lock", "own loc_l lock"],
      count: 1,
    });
    expect(entries).toContainEqual({ transition: "pending --LINK", relation: "own", locks: ["bucket lock"], count: 1 });
  });
});
