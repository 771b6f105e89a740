/**
 * Builds the port for a check configuration and calls its map operations,
 * for every driver: the checker, replay and the benchmark's bare port.
 */
import type { LockOps, Sim } from "../harness/points.ts";
import type { LruObserver } from "../impl/events.ts";
import { HtabLru } from "../impl/htab-lru.ts";
import type { CheckConfig, MapOp } from "./types.ts";

/** Creates the LRU hash map of `config`, its locks reporting to `locks` and its moves to `observer`. */
export function createPort(config: CheckConfig, locks: LockOps, observer: LruObserver): HtabLru {
  return new HtabLru(
    {
      nrCpus: config.cpus,
      maxEntries: config.maxEntries,
      localFreeTarget: config.localFreeTarget,
      maxWalks: config.maxWalks,
      buckets: config.buckets,
      variant: config.variant,
      mutant: config.mutant,
    },
    locks,
    observer,
  );
}

/** Starts map operation `op` on `cpu`; the generator returns the kernel-style result (a value, 0 or a negated errno). */
export function callMapOp(map: HtabLru, cpu: number, op: MapOp): Sim<number> {
  switch (op.op) {
    case "update":
      return map.update(cpu, op.key, op.value, op.flags);
    case "lookup":
      return map.lookup(cpu, op.key);
    case "lookup_sys":
      return map.lookupSys(cpu, op.key);
    case "delete":
      return map.delete(cpu, op.key);
  }
}
