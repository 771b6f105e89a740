/**
 * Four scenarios of the kernel's LRU map selftest (test_lru_map.c, its
 * 2016-2018 versions), with the results the kernel asserts. Every operation
 * runs on CPU 0, and the results must not depend on how many CPUs exist.
 */
import { describe, expect, it } from "vitest";
import { BPF_EXIST, BPF_NOEXIST, ERRNO, KERNEL_LOCAL_FREE_TARGET, KERNEL_MAX_WALKS } from "../../checker/types.ts";
import { LockOps } from "../../harness/points.ts";
import { HtabLru } from "../../impl/htab-lru.ts";
import { observeLru } from "../../impl/observe.ts";
import { runSequential } from "../../impl/sequential.ts";
import { Recorder } from "./lru-fixture.ts";

const { ENOENT, EEXIST, EINVAL } = ERRNO;
const VALUE = 1234;
const CPU = 0;

function selftestMap(nrCpus: number, maxEntries: number) {
  const recorder = new Recorder();
  const map = new HtabLru(
    {
      nrCpus,
      maxEntries,
      localFreeTarget: KERNEL_LOCAL_FREE_TARGET,
      maxWalks: KERNEL_MAX_WALKS,
      buckets: 512,
    },
    new LockOps(),
    recorder,
  );
  const insert = (key: number): number => runSequential(map.update(CPU, key, VALUE, BPF_NOEXIST));
  const lookup = (key: number): number => runSequential(map.lookup(CPU, key));
  const lookupSys = (key: number): number => runSequential(map.lookupSys(CPU, key));
  const update = (key: number, flags: number): number => runSequential(map.update(CPU, key, VALUE, flags));
  const remove = (key: number): number => runSequential(map.delete(CPU, key));
  const keys = (): Record<string, number> => observeLru(map).htab.keys;
  const evictions = (): number => recorder.mapEvents.filter((event) => event.kind === "evict").length;
  return { insert, lookup, lookupSys, update, remove, keys, evictions };
}

function expected(...ranges: [number, number][]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [from, to] of ranges) for (let key = from; key <= to; key++) result[key] = VALUE;
  return result;
}

for (const nrCpus of [1, 2, 4]) {
  describe(`kernel selftests with ${nrCpus} CPUs`, () => {
    it("sanity0: a referenced key survives", () => {
      const map = selftestMap(nrCpus, 2);
      expect(map.insert(1)).toBe(0);
      expect(map.insert(1)).toBe(-EEXIST);
      expect(map.update(1, -1)).toBe(-EINVAL);
      expect(map.lookup(2)).toBe(-ENOENT);
      expect(map.update(2, BPF_EXIST)).toBe(-ENOENT);
      expect(map.insert(2)).toBe(0);
      expect(map.lookup(3)).toBe(-ENOENT);
      expect(map.lookup(1)).toBe(VALUE);
      expect(map.insert(3)).toBe(0);
      expect(map.lookup(2)).toBe(-ENOENT);
      expect(map.keys()).toEqual({ 1: VALUE, 3: VALUE });
    });

    it("sanity1: unreferenced keys are recycled first", () => {
      const map = selftestMap(nrCpus, 192);
      for (let key = 1; key <= 128; key++) expect(map.insert(key)).toBe(0);
      for (let key = 1; key <= 64; key++) expect(map.lookup(key)).toBe(VALUE);
      for (let key = 129; key <= 256; key++) expect(map.insert(key)).toBe(0);
      expect(map.keys()).toEqual(expected([1, 64], [129, 256]));
    });

    it("sanity4: deleting returns capacity with no eviction", () => {
      const map = selftestMap(nrCpus, 384);
      for (let key = 1; key <= 256; key++) expect(map.insert(key)).toBe(0);
      expect(map.insert(1)).toBe(-EEXIST);
      for (let key = 1; key <= 128; key++) expect(map.lookup(key)).toBe(VALUE);
      for (let key = 129; key <= 256; key++) {
        expect(map.remove(key)).toBe(0);
        expect(map.remove(key)).toBe(-ENOENT);
      }
      expect(map.evictions()).toBe(0);
      for (let key = 257; key <= 512; key++) expect(map.insert(key)).toBe(0);
      expect(map.evictions()).toBe(0);
      expect(map.keys()).toEqual(expected([1, 128], [257, 512]));
    });

    it("sanity7: lookup protects, lookup_sys does not", () => {
      const map = selftestMap(nrCpus, 2);
      expect(map.insert(1)).toBe(0);
      expect(map.insert(1)).toBe(-EEXIST);
      expect(map.lookup(2)).toBe(-ENOENT);
      expect(map.update(2, BPF_EXIST)).toBe(-ENOENT);
      expect(map.insert(2)).toBe(0);
      expect(map.lookup(3)).toBe(-ENOENT);
      expect(map.lookup(1)).toBe(VALUE);
      expect(map.lookupSys(2)).toBe(VALUE);
      expect(map.insert(3)).toBe(0);
      expect(map.lookup(2)).toBe(-ENOENT);
      expect(map.keys()).toEqual({ 1: VALUE, 3: VALUE });
    });
  });
}
