import { describe, expect, it } from "vitest";
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST, ERRNO } from "../../checker/types.ts";
import { LockOps } from "../../harness/points.ts";
import type { CpuId, LockListener, SpinLock } from "../../harness/points.ts";
import { Place } from "../../impl/events.ts";
import type { HtabLruParams } from "../../impl/htab-lru.ts";
import { HtabLru, multiplicativeHash } from "../../impl/htab-lru.ts";
import { observeLru } from "../../impl/observe.ts";
import { runSequential } from "../../impl/sequential.ts";
import { Recorder } from "./lru-fixture.ts";

const { ENOENT, EEXIST, EINVAL } = ERRNO;

function makeMap(params: Partial<HtabLruParams> = {}, listener: LockListener | null = null) {
  const recorder = new Recorder();
  const map = new HtabLru(
    { nrCpus: 2, maxEntries: 4, localFreeTarget: 2, maxWalks: 4, buckets: 4, ...params },
    new LockOps(listener ?? recorder),
    recorder,
  );
  const run = <T>(sim: Generator<unknown, T, void>): T => runSequential(sim as never);
  return { map, recorder, run };
}

describe("HtabLru parameters", () => {
  const cases: [Partial<HtabLruParams>, RegExp][] = [
    [{ nrCpus: 0 }, /invalid nrCpus 0/],
    [{ nrCpus: 65 }, /invalid nrCpus 65/],
    [{ maxEntries: 0 }, /invalid maxEntries 0/],
    [{ localFreeTarget: 0 }, /invalid localFreeTarget 0/],
    [{ maxWalks: 0 }, /invalid maxWalks 0/],
    [{ buckets: 3 }, /invalid buckets 3/],
    [{ buckets: 0 }, /invalid buckets 0/],
    [{ variant: "fixed" }, /invalid variant "fixed"/],
    [{ mutant: "no-such-mutant" }, /invalid mutant "no-such-mutant"/],
  ];
  for (const [params, message] of cases) {
    it(`rejects ${JSON.stringify(params)}`, () => {
      expect(() => makeMap(params)).toThrow(message);
    });
  }

  it("accepts both variants", () => {
    expect(makeMap({ variant: "rfc" }).map.lru.variant).toBe("rfc");
    expect(makeMap({ variant: "steal-sets-cpu" }).map.lru.variant).toBe("steal-sets-cpu");
  });

  it("populates every element at creation", () => {
    const { map } = makeMap({ maxEntries: 3 });
    expect(observeLru(map).global.free).toEqual([2, 1, 0]);
  });
});

describe("HtabLru hashing", () => {
  it("multiplicative hash spreads consecutive keys over distinct buckets", () => {
    expect(multiplicativeHash(1)).toBe(0x9e3779b1);
    const buckets = new Set([0, 1, 2, 3, 4, 5, 6, 7].map((key) => multiplicativeHash(key) & 7));
    expect(buckets.size).toBe(8);
  });

  it("a custom hash chooses the bucket", () => {
    const { map, run } = makeMap({ hash: () => 2 });
    run(map.update(0, 10, 1, BPF_ANY));
    run(map.update(0, 11, 2, BPF_ANY));
    const snapshot = observeLru(map);
    expect(snapshot.htab.buckets[2].nodes).toHaveLength(2);
    expect(snapshot.htab.keys).toEqual({ 10: 1, 11: 2 });
  });
});

describe("HtabLru update flags", () => {
  it("rejects unknown flags before taking any lock or node", () => {
    const { map, recorder, run } = makeMap();
    for (const flags of [-1, 3, 4, 0.5]) expect(run(map.update(0, 1, 1, flags))).toBe(-EINVAL);
    expect(recorder.locks).toEqual([]);
    expect(recorder.moves.filter((move) => move.fn !== "bpf_lru_populate")).toEqual([]);
  });

  it("NOEXIST inserts, then fails with EEXIST and gives the node back", () => {
    const { map, recorder, run } = makeMap();
    expect(run(map.update(0, 1, 10, BPF_NOEXIST))).toBe(0);
    expect(run(map.update(0, 1, 20, BPF_NOEXIST))).toBe(-EEXIST);
    const snapshot = observeLru(map);
    expect(snapshot.htab.keys).toEqual({ 1: 10 });
    expect(snapshot.local[0].free).toHaveLength(1);
    expect(recorder.moves.at(-1)!.fn).toBe("bpf_lru_push_free");
  });

  it("EXIST fails with ENOENT on a missing key and replaces an existing one", () => {
    const { map, recorder, run } = makeMap();
    expect(run(map.update(0, 1, 10, BPF_EXIST))).toBe(-ENOENT);
    expect(observeLru(map).htab.keys).toEqual({});
    expect(run(map.update(0, 1, 10, BPF_ANY))).toBe(0);
    expect(run(map.update(0, 1, 30, BPF_EXIST))).toBe(0);
    expect(observeLru(map).htab.keys).toEqual({ 1: 30 });

    const links = recorder.mapEvents.filter((event) => event.kind === "link");
    expect(links).toHaveLength(2);
    const [first, second] = links;
    expect(second).toMatchObject({ key: 1, value: 30, replaced: first.kind === "link" ? first.node : -1 });
  });

  it("a replacing element gets the ref bit and the old node is freed", () => {
    const { map, run } = makeMap();
    run(map.update(0, 1, 10, BPF_ANY));
    const oldNode = observeLru(map).htab.buckets.flatMap((bucket) => bucket.nodes)[0];
    run(map.update(0, 1, 11, BPF_ANY));
    const snapshot = observeLru(map);
    const newNode = snapshot.htab.buckets.flatMap((bucket) => bucket.nodes)[0];
    expect(newNode).not.toBe(oldNode);
    expect(snapshot.nodes[newNode].ref).toBe(true);
    expect(snapshot.nodes[oldNode].place).toBe(Place.LocalFree);
  });

  it("rejects values that lookup could not return", () => {
    const { map, run } = makeMap();
    expect(() => run(map.update(0, 1, -5, BPF_ANY))).toThrow(/invalid value -5/);
  });
});

describe("HtabLru eviction below capacity", () => {
  it("evicts while a free node remains", () => {
    // The RFC shrinks for the whole LOCAL_FREE_TARGET batch: inserting the
    // third key into an empty 3-element map evicts the first.
    const { map, recorder, run } = makeMap({ nrCpus: 1, maxEntries: 3, localFreeTarget: 2, maxWalks: 128 });
    for (const key of [1, 2, 3]) expect(run(map.update(0, key, key, BPF_NOEXIST))).toBe(0);

    const snapshot = observeLru(map);
    expect(snapshot.htab.keys).toEqual({ 2: 2, 3: 3 });
    expect(recorder.mapEvents.filter((event) => event.kind === "evict").map((event) => event.key)).toEqual([1]);
    expect(snapshot.local[0].free).toHaveLength(1);
  });
});

describe("HtabLru lookup and delete", () => {
  it("lookup sets the ref bit, lookup_sys does not", () => {
    const { map, recorder, run } = makeMap();
    run(map.update(0, 7, 70, BPF_ANY));
    const node = observeLru(map).htab.buckets.flatMap((bucket) => bucket.nodes)[0];

    expect(run(map.lookupSys(1, 7))).toBe(70);
    expect(observeLru(map).nodes[node].ref).toBe(false);
    expect(run(map.lookup(1, 7))).toBe(70);
    expect(observeLru(map).nodes[node].ref).toBe(true);
    expect(recorder.refs).toEqual([{ node, cpu: 1 }]);
    expect(run(map.lookup(1, 8))).toBe(-ENOENT);

    const reads = recorder.mapEvents.filter((event) => event.kind === "read" && event.op !== "update");
    expect(reads).toEqual([
      { kind: "read", cpu: 1, op: "lookup_sys", key: 7, node, value: 70 },
      { kind: "read", cpu: 1, op: "lookup", key: 7, node, value: 70 },
      { kind: "read", cpu: 1, op: "lookup", key: 8, node: null, value: null },
    ]);
  });

  it("lookups take no lock", () => {
    const { map, recorder, run } = makeMap();
    run(map.update(0, 7, 70, BPF_ANY));
    recorder.locks.length = 0;
    run(map.lookup(0, 7));
    run(map.lookupSys(0, 7));
    expect(recorder.locks).toEqual([]);
  });

  it("delete unlinks once, then returns ENOENT", () => {
    const { map, recorder, run } = makeMap();
    run(map.update(0, 3, 30, BPF_ANY));
    expect(run(map.delete(1, 3))).toBe(0);
    expect(run(map.delete(1, 3))).toBe(-ENOENT);
    expect(observeLru(map).htab.keys).toEqual({});
    expect(recorder.mapEvents.filter((event) => event.kind === "unlink")).toHaveLength(1);
  });

  it("del_from_htab unlinks a linked element once and reports an eviction", () => {
    const { map, recorder, run } = makeMap();
    run(map.update(0, 3, 30, BPF_ANY));
    const id = observeLru(map).htab.buckets.flatMap((bucket) => bucket.nodes)[0];
    const node = map.lru.nodes[id];
    expect(run(map.delFromHtab(0, node))).toBe(true);
    expect(run(map.delFromHtab(0, node))).toBe(false);
    expect(recorder.mapEvents.filter((event) => event.kind === "evict")).toEqual([{ kind: "evict", cpu: 0, key: 3, node: id }]);
  });
});

/**
 * Asserts the RFC's lock order on every acquisition: a local lock, then the
 * global lock, then one bucket lock. So no bucket lock is ever held while
 * bpf_lru_pop_free or bpf_lru_push_free takes an LRU lock.
 */
class LockOrderListener implements LockListener {
  private readonly held = new Map<CpuId, string[]>();
  readonly pairs = new Set<string>();

  private static rank(name: string): number {
    if (name.startsWith("loc_l[")) return 0;
    if (name === "lru_list.lock") return 1;
    return 2;
  }

  acquired(lock: SpinLock, cpu: CpuId): void {
    const held = this.held.get(cpu) ?? [];
    for (const outer of held) {
      if (LockOrderListener.rank(outer) >= LockOrderListener.rank(lock.name)) {
        throw new Error(`CPU ${cpu} acquired ${lock.name} while holding ${outer}`);
      }
      this.pairs.add(`${outer.replace(/\[\d+\]/, "[*]")} -> ${lock.name.replace(/\[\d+\]/, "[*]")}`);
    }
    held.push(lock.name);
    this.held.set(cpu, held);
  }

  released(lock: SpinLock, cpu: CpuId): void {
    const held = this.held.get(cpu) ?? [];
    held.splice(held.indexOf(lock.name), 1);
  }
}

describe("HtabLru lock order", () => {
  it("nests local, global, then bucket locks", () => {
    const listener = new LockOrderListener();
    const { map, run } = makeMap({ nrCpus: 3, maxEntries: 6, localFreeTarget: 2, maxWalks: 2, buckets: 2 }, listener);
    for (let i = 0; i < 200; i++) {
      const cpu = (i * 7) % 3;
      const key = (i * 5) % 11;
      switch (i % 4) {
        case 0:
        case 1:
          run(map.update(cpu, key, i, BPF_ANY));
          break;
        case 2:
          run(map.lookup(cpu, key));
          break;
        case 3:
          run(map.delete(cpu, (key + 3) % 11));
          break;
      }
    }
    // All three nestings occurred, so the order check above saw each of them.
    expect([...listener.pairs].sort()).toEqual([
      "loc_l[*].lock -> bucket[*].lock",
      "loc_l[*].lock -> lru_list.lock",
      "lru_list.lock -> bucket[*].lock",
    ]);
  });
});
