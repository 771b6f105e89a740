/**
 * The checker finds every seeded bug, and its shrunk counterexample replays
 * to the same violation (base-variant.test.ts shows that the same search
 * finds nothing without a seeded bug). The `needs` of each seeded bug are
 * checked too: a search that lacks the condition finds nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseArbitrary, switchListArbitrary } from "../../checker/generators.ts";
import type { GeneratedCase } from "../../checker/generators.ts";
import { huntMutant } from "../../checker/mutant-kill.ts";
import { replayTrace } from "../../checker/replay.ts";
import { runCheck } from "../../checker/run.ts";
import { defaultMaxSteps } from "../../checker/trace-builder.ts";
import { SwitchListSource } from "../../harness/choice/switch-list.ts";
import type { ContextSwitch } from "../../harness/choice/switch-list.ts";
import { MUTANTS, MUTANT_BASE_VARIANT } from "../../impl/variants.ts";
import type { MutantName } from "../../impl/variants.ts";
import { loadTrace } from "../../trace/load.ts";
import { SEARCH_RUNS, SEARCH_SEED, tickClock } from "./mutant-search.ts";

/** Runs per search that lacks a needed condition. */
const NEEDS_RUNS = 1500;
const SHAPE = { ops: 12 } as const;

let outDir = "";
beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), "bpf-lru-check-mutants-test-"));
});
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe("seeded bugs", () => {
  it.each(MUTANTS.map((mutant) => mutant.name))("%s is found and its trace replays", (name) => {
    const row = huntMutant(name, { runs: SEARCH_RUNS, seed: SEARCH_SEED, outDir: join(outDir, name) }, tickClock());

    expect(row.found, `${name} survived ${row.runs} runs`).toBe(true);
    expect(row.property).not.toBeNull();
    expect(row.tracePath).not.toBeNull();

    const trace = loadTrace(row.tracePath!);
    expect(trace.config.mutant).toBe(name);
    expect(trace.config.variant).toBe(MUTANT_BASE_VARIANT);
    expect(trace.origin?.shrunk).toBe(true);
    expect(trace.expect.violation).toBe(row.property);

    const replay = replayTrace(trace);
    expect(replay.status, replay.message).toBe("reproduced");
    expect(replay.report.outcome.kind).toBe("violation");
    if (replay.report.outcome.kind === "violation") expect(replay.report.outcome.violation.property).toBe(row.property);
  });
});

interface Sample {
  readonly generated: GeneratedCase;
  readonly switches: ContextSwitch[];
}

/** Runs `runs` samples and returns the first violation's description, or null. */
function firstViolation(samples: fc.Arbitrary<Sample>, runs: number): string | null {
  let found: string | null = null;
  fc.check(
    fc.property(samples, ({ generated, switches }) => {
      if (found !== null) return true;
      const { config, programs } = generated;
      const report = runCheck({ config, programs, choices: new SwitchListSource(switches), maxSteps: defaultMaxSteps(programs, config), recordEvents: false });
      if (report.outcome.kind === "violation") {
        const { cpus, maxEntries, localFreeTarget } = config;
        found = `${report.outcome.violation.property} with ${cpus} CPUs, max_entries ${maxEntries}, LOCAL_FREE_TARGET ${localFreeTarget}`;
      }
      return true;
    }),
    { seed: SEARCH_SEED, numRuns: runs },
  );
  return found;
}

/** Generated cases whose CPUs run their programs one after another (no context switch inside an operation). */
function sequentialSamples(mutant: MutantName): fc.Arbitrary<Sample> {
  return caseArbitrary({ variant: MUTANT_BASE_VARIANT, mutant }, SHAPE).map((generated) => ({ generated, switches: [] }));
}

/** Generated cases with max_entries >= LOCAL_FREE_TARGET x CPUs and generated schedules. */
function largeMapSamples(mutant: MutantName): fc.Arbitrary<Sample> {
  const sizes = fc.record({
    cpus: fc.integer({ min: 1, max: 4 }),
    localFreeTarget: fc.integer({ min: 1, max: 6 }),
    extra: fc.integer({ min: 0, max: 12 }),
  });
  return sizes.chain(({ cpus, localFreeTarget, extra }) =>
    fc.record({
      generated: caseArbitrary({ variant: MUTANT_BASE_VARIANT, mutant, cpus, localFreeTarget, maxEntries: cpus * localFreeTarget + extra }, SHAPE),
      switches: switchListArbitrary(),
    }),
  );
}

describe("seeded bug needs", () => {
  const needing = (need: "concurrency" | "small-map") => MUTANTS.filter((mutant) => (mutant.needs as readonly string[]).includes(need)).map((mutant) => mutant.name);

  it("at least three need concurrency and two a small map", () => {
    expect(needing("concurrency").length).toBeGreaterThanOrEqual(3);
    expect(needing("small-map").length).toBeGreaterThanOrEqual(2);
  });

  it.each(needing("concurrency"))("%s is not found when CPUs run one after another", (name) => {
    expect(firstViolation(sequentialSamples(name), NEEDS_RUNS)).toBeNull();
  });

  it.each(needing("small-map"))("%s is not found when max_entries >= LOCAL_FREE_TARGET x CPUs", (name) => {
    expect(firstViolation(largeMapSamples(name), NEEDS_RUNS)).toBeNull();
  });
});
