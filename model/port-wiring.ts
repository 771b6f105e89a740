/**
 * Wiring of the refinement check to a port instance: the lock objects it
 * reads and the port's key-to-bucket function.
 */
import type { HtabLru } from "../impl/htab-lru.ts";
import type { ModelLocks, RefinementOptions } from "./refinement.ts";
import { ModelRefinement } from "./refinement.ts";

/** Collects the global, local-list and bucket locks of `map`, indexed by CPU and by bucket. */
export function modelLocksOf(map: HtabLru): ModelLocks {
  return {
    global: map.lru.lruList.lock,
    local: map.lru.localList.map((localList) => localList.lock),
    buckets: map.buckets.map((bucket) => bucket.lock),
  };
}

/** Returns a function from a key to the index of its bucket in `map`, as htab_lru_map_update_elem selects it. */
export function bucketOfKeyIn(map: HtabLru): (key: number) => number {
  return (key) => map.selectBucket(map.hash(key)).index;
}

/**
 * Creates a refinement check for `map`, with its locks and hash function.
 * Create it after the map and route the map's observer to it. By then
 * bpf_lru_populate has put every node on the global free list, where the
 * model starts.
 */
export function createModelRefinement(map: HtabLru, options: Omit<RefinementOptions, "bucketOfKey"> = {}): ModelRefinement {
  return new ModelRefinement(modelLocksOf(map), map.elems.length, { ...options, bucketOfKey: bucketOfKeyIn(map) });
}
