import { describe, expect, it } from "vitest";
import { runWithFcScheduler } from "../../bench/fc-scheduler/run.ts";
import { STANDARD_WORKLOAD, generateInputs } from "../../bench/workload.ts";
import type { BenchInput } from "../../bench/workload.ts";
import { runCheck } from "../../checker/run.ts";
import { defaultMaxSteps } from "../../checker/trace-builder.ts";
import { SwitchListSource } from "../../harness/choice/switch-list.ts";
import { MUTANTS, MUTANT_BASE_VARIANT } from "../../impl/variants.ts";

function underEngine(input: BenchInput) {
  const report = runCheck({
    config: input.config,
    programs: input.programs,
    choices: new SwitchListSource(input.switches),
    maxSteps: defaultMaxSteps(input.programs, input.config),
    recordEvents: false,
  });
  const { outcome } = report;
  return {
    kind: outcome.kind,
    steps: outcome.steps,
    property: outcome.kind === "violation" ? outcome.violation.property : null,
    schedule: report.schedule,
  };
}

async function underFcScheduler(input: BenchInput) {
  const result = await runWithFcScheduler(input, defaultMaxSteps(input.programs, input.config));
  return { kind: result.kind, steps: result.steps, property: result.property, schedule: result.schedule };
}

describe("fast-check scheduler harness", () => {
  it("follows the engine's schedule on clean runs", async () => {
    const inputs = generateInputs({ ...STANDARD_WORKLOAD, opsPerCpu: 8 }, 12, 3);
    for (const input of inputs) {
      const engine = underEngine(input);
      expect(engine.kind).toBe("completed");
      expect(await underFcScheduler(input)).toEqual(engine);
    }
  });

  it("finds the RFC's fault where the engine does", async () => {
    const inputs = generateInputs({ ...STANDARD_WORKLOAD, cpus: 2, maxEntries: 2, localFreeTarget: 1, keys: 4, opsPerCpu: 8, variant: "rfc" }, 40, 5);
    let violations = 0;
    for (const input of inputs) {
      const engine = underEngine(input);
      if (engine.kind === "violation") violations++;
      expect(await underFcScheduler(input)).toEqual(engine);
    }
    expect(violations).toBeGreaterThan(0);
  });
});

describe("fast-check scheduler harness on seeded bugs", () => {
  // Small maps on 2 or 3 CPUs, so that most seeded bugs show within a few inputs.
  const small = { ...STANDARD_WORKLOAD, maxEntries: 3, localFreeTarget: 1, maxWalks: 2, buckets: 2, keys: 6, opsPerCpu: 6, variant: MUTANT_BASE_VARIANT };

  it.each(MUTANTS.map((mutant) => mutant.name))("gives the engine's verdict with %s", async (mutant) => {
    for (const cpus of [2, 3]) {
      const inputs = generateInputs({ ...small, cpus }, 15, cpus).map((input) => ({ ...input, config: { ...input.config, mutant } }));
      for (const input of inputs) expect(await underFcScheduler(input)).toEqual(underEngine(input));
    }
  });

  it("sees a violation with most seeded bugs", async () => {
    let caught = 0;
    for (const { name } of MUTANTS) {
      const inputs = generateInputs({ ...small, cpus: 3 }, 15, 3).map((input) => ({ ...input, config: { ...input.config, mutant: name } }));
      if (inputs.some((input) => underEngine(input).kind === "violation")) caught++;
    }
    expect(caught).toBeGreaterThan(MUTANTS.length / 2);
  });
});

describe("bench workload", () => {
  it("gives every CPU exactly the requested operations", () => {
    const inputs = generateInputs(STANDARD_WORKLOAD, 20, 1);
    expect(inputs).toHaveLength(20);
    for (const input of inputs) {
      expect(input.programs).toHaveLength(4);
      for (const program of input.programs) expect(program).toHaveLength(32);
      for (const program of input.programs) for (const op of program) expect(op.key).toBeLessThan(24);
    }
  });

  it("draws the same inputs from the same seed", () => {
    expect(generateInputs(STANDARD_WORKLOAD, 5, 9)).toEqual(generateInputs(STANDARD_WORKLOAD, 5, 9));
  });
});
