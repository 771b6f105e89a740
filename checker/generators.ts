/**
 * fast-check arbitraries for a checker run: the configuration, each CPU's
 * program, and the schedule, generated together so that fast-check shrinks
 * all three at once.
 */
import fc from "fast-check";
import type { ContextSwitch } from "../harness/choice/switch-list.ts";
import type { PctParameters } from "../harness/choice/pct.ts";
import type { CheckConfig, CpuProgram, MapOp } from "./types.ts";
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST } from "./types.ts";

/** Fixed values for configuration fields; a field left undefined is generated. */
export interface ConfigChoices {
  readonly cpus?: number;
  readonly maxEntries?: number;
  readonly localFreeTarget?: number;
  readonly maxWalks?: number;
  readonly buckets?: number;
  readonly variant: string;
  readonly mutant: string | null;
}

export interface ProgramShape {
  /** Maximum operations per CPU. */
  readonly ops: number;
  /** Keys are drawn from 0 to keys - 1; undefined means twice max_entries plus two. */
  readonly keys?: number;
}

export interface GeneratedCase {
  readonly config: CheckConfig;
  readonly keys: number;
  readonly programs: readonly CpuProgram[];
}

/** Batching parameters: small values exercise batching and stealing, 128 is the kernel's. */
const batchParameter = (): fc.Arbitrary<number> =>
  fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 8 }) }, { weight: 1, arbitrary: fc.constant(128) });

function configArbitrary(choices: ConfigChoices): fc.Arbitrary<CheckConfig> {
  const fixedOr = (value: number | undefined, generated: fc.Arbitrary<number>): fc.Arbitrary<number> =>
    value === undefined ? generated : fc.constant(value);
  return fc.record({
    cpus: fixedOr(choices.cpus, fc.integer({ min: 1, max: 8 })),
    maxEntries: fixedOr(choices.maxEntries, fc.integer({ min: 1, max: 64 })),
    localFreeTarget: fixedOr(choices.localFreeTarget, batchParameter()),
    maxWalks: fixedOr(choices.maxWalks, batchParameter()),
    buckets: fixedOr(choices.buckets, fc.constantFrom(1, 2, 4, 8, 16)),
    variant: fc.constant(choices.variant),
    mutant: fc.constant(choices.mutant),
  });
}

function opArbitrary(keys: number): fc.Arbitrary<MapOp> {
  const key = fc.integer({ min: 0, max: keys - 1 });
  const flags = fc.oneof(
    { weight: 10, arbitrary: fc.constant(BPF_ANY) },
    { weight: 5, arbitrary: fc.constant(BPF_NOEXIST) },
    { weight: 4, arbitrary: fc.constant(BPF_EXIST) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 3, 4) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ op: fc.constant("update" as const), key, value: fc.integer({ min: 0, max: 99 }), flags }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant("lookup" as const), key }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("lookup_sys" as const), key }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("delete" as const), key }) },
  );
}

/** Generates a configuration with one program per CPU. Programs shrink toward fewer and simpler operations. */
export function caseArbitrary(choices: ConfigChoices, shape: ProgramShape): fc.Arbitrary<GeneratedCase> {
  return configArbitrary(choices).chain((config) => {
    const keys = shape.keys ?? 2 * config.maxEntries + 2;
    const program = fc.array(opArbitrary(keys), { minLength: 0, maxLength: shape.ops, size: "max" });
    return fc.record({
      config: fc.constant(config),
      keys: fc.constant(keys),
      programs: fc.array(program, { minLength: config.cpus, maxLength: config.cpus }),
    });
  });
}

/** Generates a schedule as context switches. An empty list runs each CPU to its end in turn. */
export function switchListArbitrary(): fc.Arbitrary<ContextSwitch[]> {
  return fc.array(
    fc.record({ gap: fc.nat({ max: 40 }), offset: fc.nat({ max: 7 }) }),
    { maxLength: 64, size: "max" },
  );
}

/** PCT parameters for `cpus` CPUs and bug depth `depth`, with change points up to `expectedSteps`. */
export function pctArbitrary(cpus: number, depth: number, expectedSteps: number): fc.Arbitrary<PctParameters> {
  const priorities = fc.shuffledSubarray(
    Array.from({ length: cpus }, (_, cpu) => depth + cpu),
    { minLength: cpus, maxLength: cpus },
  );
  const changePoints = fc.array(fc.integer({ min: 1, max: Math.max(1, expectedSteps) }), {
    minLength: 0,
    maxLength: depth - 1,
  });
  return fc.record({ priorities, changePoints });
}
