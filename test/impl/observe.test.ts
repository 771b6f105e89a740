import { describe, expect, it } from "vitest";
import { BPF_ANY } from "../../checker/types.ts";
import { LockOps } from "../../harness/points.ts";
import { NULL_OBSERVER, Place } from "../../impl/events.ts";
import { HtabLru } from "../../impl/htab-lru.ts";
import { liveView, observeLru } from "../../impl/observe.ts";
import { runSequential } from "../../impl/sequential.ts";

function smallMap(): HtabLru {
  return new HtabLru(
    { nrCpus: 2, maxEntries: 3, localFreeTarget: 2, maxWalks: 2, buckets: 2, hash: (key) => key },
    new LockOps(),
    NULL_OBSERVER,
  );
}

describe("observeLru", () => {
  it("snapshots lists, nodes and keys as plain data", () => {
    const map = smallMap();
    runSequential(map.update(1, 5, 50, BPF_ANY));
    const snapshot = observeLru(map);

    expect(snapshot.global).toEqual({
      active: [],
      inactive: [],
      free: [0],
      counts: { active: 0, inactive: 0 },
      nextInactiveRotation: "head",
      lockHolder: null,
    });
    expect(snapshot.local[1]).toEqual({ cpu: 1, free: [2], pending: [1], nextSteal: 1, lockHolder: null });
    expect(snapshot.nodes[1]).toEqual({ id: 1, type: 4, cpu: 1, ref: false, place: Place.Pending, placeCpu: 1, key: 5, value: 50 });
    expect(snapshot.nodes[2].key).toBeNull();
    expect(snapshot.htab.buckets).toEqual([
      { lockHolder: null, nodes: [] },
      { lockHolder: null, nodes: [1] },
    ]);
    expect(snapshot.htab.keys).toEqual({ 5: 50 });
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it("changes nothing", () => {
    const map = smallMap();
    runSequential(map.update(0, 1, 10, BPF_ANY));
    const first = observeLru(map);
    expect(observeLru(map)).toEqual(first);
  });

  it("reports a broken list as a fault instead of throwing", () => {
    const map = smallMap();
    const free = map.lru.lruList.lists[2];
    free.next.next = free.next;
    const snapshot = observeLru(map);
    expect(snapshot.faults).toHaveLength(1);
    expect(snapshot.faults[0]).toMatch(/global free list/);
  });

  it("live view reads the same objects", () => {
    const map = smallMap();
    const view = liveView(map);
    runSequential(map.update(0, 1, 10, BPF_ANY));
    expect(view.counts).toEqual([0, 0]);
    expect(view.nodes[1].place).toBe(Place.Pending);
    expect(view.elems[1].key).toBe(1);
    expect(view.local[0].lock.name).toBe("loc_l[0].lock");
    expect(view.bucketLocks).toHaveLength(2);
  });
});
