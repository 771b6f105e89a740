/**
 * Writes the kernel selftest scenarios (tools/testing/selftests/bpf/
 * test_lru_map.c, as of its first versions, 2016 to 2018) as trace files in
 * traces/selftests/: every operation on CPU 0, run with 1, 2 and 4 possible
 * CPUs, LOCAL_FREE_TARGET and MAX_WALKS at the kernel's 128, and the results
 * the kernel test asserts. Run: node bin/run-ts.js traces/write-selftests.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BPF_EXIST, BPF_NOEXIST, KERNEL_LOCAL_FREE_TARGET, KERNEL_MAX_WALKS } from "../checker/types.ts";
import type { MapOp, OpResult } from "../checker/types.ts";
import { TRACE_FORMAT, TRACE_VERSION } from "../trace/format.ts";
import type { Trace } from "../trace/format.ts";
import { TOOL_NAME, TOOL_VERSION } from "../checker/version.ts";

interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly maxEntries: number;
  readonly steps: [MapOp, OpResult][];
  readonly finalKeys: Record<string, number>;
}

const insert = (key: number, value = key): [MapOp, OpResult] => [{ op: "update", key, value, flags: BPF_NOEXIST }, 0];
const lookup = (key: number, result: OpResult): [MapOp, OpResult] => [{ op: "lookup", key }, result];
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const keysOf = (keys: number[], value?: number): Record<string, number> =>
  Object.fromEntries(keys.map((key) => [String(key), value ?? key]));

const sanity0Start: [MapOp, OpResult][] = [
  insert(1, 1234),
  [{ op: "update", key: 1, value: 1234, flags: BPF_NOEXIST }, "EEXIST"],
  [{ op: "update", key: 1, value: 1234, flags: -1 }, "EINVAL"],
  lookup(2, "ENOENT"),
  [{ op: "update", key: 2, value: 1234, flags: BPF_EXIST }, "ENOENT"],
  insert(2, 1234),
  lookup(3, "ENOENT"),
  lookup(1, 1234),
];

const scenarios: Scenario[] = [
  {
    name: "sanity0",
    description: "Kernel selftest sanity0: basic calls and flags on a 2-element map; key 1, referenced by a lookup, survives while key 2 is evicted.",
    maxEntries: 2,
    steps: [...sanity0Start, insert(3, 1234), lookup(2, "ENOENT")],
    finalKeys: keysOf([1, 3], 1234),
  },
  {
    name: "sanity1",
    description: "Kernel selftest sanity1: with 192 elements, unreferenced keys 65..128 are recycled before the referenced keys 1..64.",
    maxEntries: 192,
    steps: [...range(1, 128).map((key) => insert(key)), ...range(1, 64).map((key) => lookup(key, key)), ...range(129, 256).map((key) => insert(key))],
    finalKeys: keysOf([...range(1, 64), ...range(129, 256)]),
  },
  {
    name: "sanity4",
    description: "Kernel selftest sanity4: deleting 128 keys returns their nodes, so 256 more inserts into a 384-element map evict nothing.",
    maxEntries: 384,
    steps: [
      ...range(1, 256).map((key) => insert(key)),
      [{ op: "update", key: 1, value: 1, flags: BPF_NOEXIST }, "EEXIST"],
      ...range(1, 128).map((key) => lookup(key, key)),
      ...range(129, 256).flatMap((key): [MapOp, OpResult][] => [[{ op: "delete", key }, 0], [{ op: "delete", key }, "ENOENT"]]),
      ...range(257, 512).map((key) => insert(key)),
    ],
    finalKeys: keysOf([...range(1, 128), ...range(257, 512)]),
  },
  {
    name: "sanity7",
    description: "Kernel selftest sanity7: the datapath lookup of key 1 protects it, the syscall-side lookup of key 2 does not, so inserting key 3 evicts key 2.",
    maxEntries: 2,
    steps: [
      insert(1, 1234),
      [{ op: "update", key: 1, value: 1234, flags: BPF_NOEXIST }, "EEXIST"],
      lookup(2, "ENOENT"),
      [{ op: "update", key: 2, value: 1234, flags: BPF_EXIST }, "ENOENT"],
      insert(2, 1234),
      lookup(3, "ENOENT"),
      lookup(1, 1234),
      [{ op: "lookup_sys", key: 2 }, 1234],
      insert(3, 1234),
      lookup(2, "ENOENT"),
    ],
    finalKeys: keysOf([1, 3], 1234),
  },
];

function roundUpPowerOfTwo(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}

for (const scenario of scenarios) {
  for (const cpus of [1, 2, 4]) {
    const programs: MapOp[][] = Array.from({ length: cpus }, () => []);
    programs[0] = scenario.steps.map(([op]) => op);
    const results: OpResult[][] = Array.from({ length: cpus }, () => []);
    results[0] = scenario.steps.map(([, result]) => result);
    const trace: Trace = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      kind: "scenario",
      description: `${scenario.description} Every operation runs on CPU 0 of ${cpus}.`,
      config: {
        cpus,
        maxEntries: scenario.maxEntries,
        localFreeTarget: KERNEL_LOCAL_FREE_TARGET,
        maxWalks: KERNEL_MAX_WALKS,
        buckets: roundUpPowerOfTwo(scenario.maxEntries),
        variant: "rfc",
        mutant: null,
      },
      programs,
      schedule: "sequential",
      expect: { violation: null, results, finalKeys: scenario.finalKeys },
      violation: null,
    };
    const path = join(import.meta.dirname, "selftests", `${scenario.name}-${cpus}cpu.json`);
    writeFileSync(path, `${JSON.stringify(trace, null, 2)}\n`);
  }
}
