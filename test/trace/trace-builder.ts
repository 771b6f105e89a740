/**
 * Valid traces for tests, built by hand because the checker cannot record
 * any yet, and a fast-check arbitrary that generates valid traces of every
 * shape the format allows.
 */
import { PROPERTY_NAMES } from "../../properties/names.ts";
import fc from "fast-check";
import type { CheckConfig, CpuProgram, MapOp, OpResult } from "../../checker/types.ts";
import { TRACE_FORMAT, TRACE_VERSION } from "../../trace/format.ts";
import type { Trace, TraceEvent } from "../../trace/format.ts";

export const SAMPLE_CONFIG: CheckConfig = {
  cpus: 2,
  maxEntries: 4,
  localFreeTarget: 2,
  maxWalks: 2,
  buckets: 4,
  variant: "rfc",
  mutant: null,
};

/** Builds a hand-written scenario: two CPUs run in CPU order, with expected results and final keys. */
export function sequentialScenario(): Trace {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    tool: { name: "bpf-lru-check", version: "0.1.0" },
    kind: "scenario",
    description: "CPU 0 inserts key 3 and CPU 1 then finds it and deletes it.",
    config: SAMPLE_CONFIG,
    programs: [
      [
        { op: "update", key: 3, value: 7, flags: 1 },
        { op: "lookup", key: 3 },
      ],
      [
        { op: "lookup_sys", key: 3 },
        { op: "delete", key: 3 },
        { op: "delete", key: 3 },
      ],
    ],
    schedule: "sequential",
    expect: {
      violation: null,
      results: [
        [0, 7],
        [7, 0, "ENOENT"],
      ],
      finalKeys: {},
    },
    violation: null,
  };
}

/** Builds a found counterexample with an explicit schedule, an origin, a violation and an event log. */
export function foundCounterexample(): Trace {
  const events: TraceEvent[] = [
    { step: 0, cpu: 1, point: "start", op: "update(5, 1, ANY)", locks: ["+loc_l[1].lock"], moves: [], map: [] },
    {
      step: 1,
      cpu: 0,
      point: "start",
      op: "update(5, 2, ANY)",
      locks: [],
      moves: ["node 2: free@1 -> pending@1 (__local_list_pop_free)"],
      map: ["link key 5 -> node 2"],
      result: 0,
    },
    { step: 2, cpu: 1, point: "release loc_l[1].lock", op: "update(5, 1, ANY)", locks: ["-loc_l[1].lock"], moves: [], map: [] },
  ];
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    tool: { name: "bpf-lru-check", version: "0.1.0" },
    kind: "counterexample",
    description: "Two CPUs update key 5 at once and the node ends up in two lists.",
    config: { ...SAMPLE_CONFIG, cpus: 3, buckets: 8, mutant: "skip-lock" },
    programs: [[{ op: "update", key: 5, value: 2, flags: 0 }], [{ op: "update", key: 5, value: 1, flags: 0 }], []],
    schedule: [1, 0, 1],
    expect: { violation: "node-on-one-list" },
    origin: { seed: 1, run: 42, strategy: "pct", shrunk: true },
    violation: { property: "node-on-one-list", message: "node 2 is in two lists", step: 2, cpu: 1 },
    events,
  };
}

/** Builds a trace whose update carries an invalid flag, which the map must reject with EINVAL. */
export function invalidFlagsScenario(): Trace {
  return {
    ...sequentialScenario(),
    description: "An update with flags 4 fails with EINVAL and changes nothing.",
    config: { ...SAMPLE_CONFIG, cpus: 1 },
    programs: [[{ op: "update", key: 0, value: 1, flags: 4 }]],
    expect: { violation: null, results: [["EINVAL"]], finalKeys: {} },
  };
}

export function sampleTraces(): Trace[] {
  return [sequentialScenario(), foundCounterexample(), invalidFlagsScenario()];
}

const int32 = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const smallKey = fc.oneof(fc.integer({ min: 0, max: 30 }), int32);

const mapOp: fc.Arbitrary<MapOp> = fc.oneof(
  fc.record({
    op: fc.constant("update" as const),
    key: smallKey,
    value: int32,
    flags: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.maxSafeInteger(), fc.integer({ min: -5, max: 100 })),
  }),
  fc.record({ op: fc.constantFrom("lookup" as const, "lookup_sys" as const, "delete" as const), key: smallKey }),
);

const opResult: fc.Arbitrary<OpResult> = fc.oneof(int32, fc.constantFrom("ENOENT", "ENOMEM", "EEXIST", "EINVAL"));

const text = fc.string({ maxLength: 20 });
const name = fc.string({ minLength: 1, maxLength: 12 });

/** Valid traces: every field consistent with the configuration, optional fields present or absent. */
export const validTrace: fc.Arbitrary<Trace> = fc
  .record({
    cpus: fc.integer({ min: 1, max: 8 }),
    bucketsLog: fc.integer({ min: 0, max: 16 }),
  })
  .chain(({ cpus, bucketsLog }) => {
    const cpuId = fc.integer({ min: 0, max: cpus - 1 });
    const config = fc.record({
      cpus: fc.constant(cpus),
      maxEntries: fc.integer({ min: 1, max: 4096 }),
      localFreeTarget: fc.oneof(fc.integer({ min: 1, max: 256 }), fc.constant(2 ** 31 - 1)),
      maxWalks: fc.integer({ min: 1, max: 256 }),
      buckets: fc.constant(2 ** bucketsLog),
      variant: name,
      mutant: fc.option(name),
    });
    const programs = fc.array(fc.array(mapOp, { maxLength: 5 }), { minLength: cpus, maxLength: cpus });
    return fc.record({ config, programs }).chain(({ config, programs }) => {
      const results = fc.tuple(...programs.map((program: CpuProgram) => fc.array(opResult, { minLength: program.length, maxLength: program.length })));
      const event: fc.Arbitrary<TraceEvent> = fc.record(
        {
          step: fc.nat(),
          cpu: cpuId,
          point: text,
          op: fc.option(text),
          locks: fc.array(text, { maxLength: 2 }),
          moves: fc.array(text, { maxLength: 2 }),
          map: fc.array(text, { maxLength: 2 }),
          result: opResult,
        },
        { requiredKeys: ["step", "cpu", "point", "op", "locks", "moves", "map"] },
      );
      return fc.record(
        {
          format: fc.constant(TRACE_FORMAT),
          version: fc.constant(TRACE_VERSION),
          tool: fc.record({ name, version: name }),
          kind: fc.constantFrom("counterexample" as const, "scenario" as const),
          description: name,
          config: fc.constant(config),
          programs: fc.constant(programs),
          schedule: fc.oneof(fc.constant("sequential" as const), fc.array(cpuId, { maxLength: 12 })),
          expect: fc.record(
            {
              violation: fc.option(fc.constantFrom(...PROPERTY_NAMES)),
              results,
              finalKeys: fc.dictionary(int32.map(String), int32, { maxKeys: 4 }),
            },
            { requiredKeys: ["violation"] },
          ),
          origin: fc.record({ seed: int32, run: int32, strategy: name, shrunk: fc.boolean() }),
          violation: fc.option(
            fc.record({ property: name, message: text, step: fc.nat(), cpu: fc.option(cpuId) }),
          ),
          events: fc.array(event, { maxLength: 4 }),
        },
        { requiredKeys: ["format", "version", "tool", "kind", "description", "config", "programs", "schedule", "expect", "violation"] },
      );
    });
  });
