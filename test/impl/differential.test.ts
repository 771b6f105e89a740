/**
 * Differential test of the port against a deliberately plain reference map,
 * the way the kernel's selftests compare the LRU map with an ordinary hash
 * map. Random sequential programs run one operation at a time on random
 * CPUs. Until the port first evicts, results and key sets must agree
 * exactly. After that, each key the port lost must have been taken by a
 * recorded eviction. Results must then agree with the reference once the
 * evicted keys are removed from it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST, ERRNO } from "../../checker/types.ts";
import type { MapOp } from "../../checker/types.ts";
import { LockOps } from "../../harness/points.ts";
import { HtabLru } from "../../impl/htab-lru.ts";
import { observeLru } from "../../impl/observe.ts";
import { runSequential } from "../../impl/sequential.ts";
import { Recorder } from "./lru-fixture.ts";

const { ENOENT, EEXIST, EINVAL } = ERRNO;

/** An ordinary map with a capacity: the behaviour an LRU map has while nothing is evicted. */
class ReferenceMap {
  readonly entries = new Map<number, number>();

  constructor(readonly capacity: number) {}

  apply(op: MapOp): number {
    switch (op.op) {
      case "update": {
        if (op.flags !== BPF_ANY && op.flags !== BPF_NOEXIST && op.flags !== BPF_EXIST) return -EINVAL;
        const exists = this.entries.has(op.key);
        if (exists && op.flags === BPF_NOEXIST) return -EEXIST;
        if (!exists && op.flags === BPF_EXIST) return -ENOENT;
        if (!exists && this.entries.size >= this.capacity) {
          throw new Error(`reference map over capacity ${this.capacity} inserting key ${op.key}: the port must have evicted`);
        }
        this.entries.set(op.key, op.value);
        return 0;
      }
      case "lookup":
      case "lookup_sys":
        return this.entries.get(op.key) ?? -ENOENT;
      case "delete":
        return this.entries.delete(op.key) ? 0 : -ENOENT;
    }
  }
}

interface Program {
  readonly nrCpus: number;
  readonly maxEntries: number;
  readonly localFreeTarget: number;
  readonly maxWalks: number;
  readonly buckets: number;
  readonly variant: "rfc" | "steal-sets-cpu";
  readonly steps: readonly { readonly cpu: number; readonly op: MapOp }[];
}

const KEYS = 8;

const opArbitrary: fc.Arbitrary<MapOp> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("update" as const),
      key: fc.nat(KEYS - 1),
      value: fc.nat(99),
      flags: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(BPF_ANY, BPF_NOEXIST, BPF_EXIST) }, { weight: 1, arbitrary: fc.constantFrom(-1, 3) }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("lookup" as const), key: fc.nat(KEYS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("lookup_sys" as const), key: fc.nat(KEYS - 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), key: fc.nat(KEYS - 1) }) },
);

const programArbitrary: fc.Arbitrary<Program> = fc
  .record({
    nrCpus: fc.integer({ min: 1, max: 4 }),
    maxEntries: fc.integer({ min: 1, max: 6 }),
    localFreeTarget: fc.integer({ min: 1, max: 4 }),
    maxWalks: fc.integer({ min: 1, max: 4 }),
    buckets: fc.constantFrom(1, 2, 4),
    variant: fc.constantFrom("rfc" as const, "steal-sets-cpu" as const),
    rawSteps: fc.array(fc.record({ cpu: fc.nat(3), op: opArbitrary }), { minLength: 1, maxLength: 60 }),
  })
  .map(({ rawSteps, ...config }) => ({
    ...config,
    steps: rawSteps.map((step) => ({ cpu: step.cpu % config.nrCpus, op: step.op })),
  }));

function runPort(map: HtabLru, cpu: number, op: MapOp): number {
  switch (op.op) {
    case "update":
      return runSequential(map.update(cpu, op.key, op.value, op.flags));
    case "lookup":
      return runSequential(map.lookup(cpu, op.key));
    case "lookup_sys":
      return runSequential(map.lookupSys(cpu, op.key));
    case "delete":
      return runSequential(map.delete(cpu, op.key));
  }
}

function describeStep(index: number, cpu: number, op: MapOp): string {
  return `step ${index} on CPU ${cpu}: ${JSON.stringify(op)}`;
}

/** Runs the program on the port and the reference; returns whether the port evicted. */
function checkProgram(program: Program, tamper?: (map: HtabLru, index: number) => void): boolean {
  const recorder = new Recorder();
  const map = new HtabLru(program, new LockOps(), recorder);
  const reference = new ReferenceMap(program.maxEntries);
  let evicted = false;

  program.steps.forEach(({ cpu, op }, index) => {
    const where = describeStep(index, cpu, op);
    const eventsBefore = recorder.mapEvents.length;

    const result = runPort(map, cpu, op);
    tamper?.(map, index);

    // Evictions happen in bpf_lru_pop_free, before update looks up its key,
    // so the reference drops the evicted keys before it applies the op.
    for (const event of recorder.mapEvents.slice(eventsBefore)) {
      if (event.kind !== "evict") continue;
      expect(reference.entries.has(event.key), `${where}: evicted key ${event.key}, which the map did not hold`).toBe(true);
      reference.entries.delete(event.key);
      evicted = true;
    }

    const expectedResult = reference.apply(op);
    expect(result, `${where}: port returned ${result}, reference ${expectedResult}${evicted ? " (after evictions)" : ""}`).toBe(
      expectedResult,
    );

    const snapshot = observeLru(map);
    expect(snapshot.faults, where).toEqual([]);
    expect(snapshot.warnings, where).toEqual([]);
    const referenceKeys = Object.fromEntries([...reference.entries].map(([key, value]) => [String(key), value]));
    expect(snapshot.htab.keys, `${where}: key sets differ`).toEqual(referenceKeys);
  });
  return evicted;
}

describe("differential test against a plain map", () => {
  it("agrees on every result and key set, allowing only recorded evictions", () => {
    let programsWithEvictions = 0;
    fc.assert(
      fc.property(programArbitrary, (program) => {
        if (checkProgram(program)) programsWithEvictions++;
      }),
      { numRuns: 1000, seed: 20161002 },
    );
    // The generator must reach the eviction paths often, or the second half
    // of the comparison would go untested.
    expect(programsWithEvictions).toBeGreaterThan(150);
  });

  it("fails when a key disappears without an eviction", () => {
    const program: Program = {
      nrCpus: 1, maxEntries: 2, localFreeTarget: 2, maxWalks: 2, buckets: 1, variant: "rfc",
      steps: [
        { cpu: 0, op: { op: "update", key: 1, value: 1, flags: BPF_ANY } },
        { cpu: 0, op: { op: "lookup", key: 1 } },
      ],
    };
    expect(checkProgram(program)).toBe(false);

    const unlinkAll = (map: HtabLru, index: number): void => {
      if (index === 0) map.buckets[0].first = null;
    };
    expect(() => checkProgram(program, unlinkAll)).toThrow(/key sets differ/);
  });
});
