import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseArbitrary, switchListArbitrary } from "../../checker/generators.ts";
import { runCheck } from "../../checker/run.ts";
import { defaultMaxSteps } from "../../checker/trace-builder.ts";
import { SwitchListSource } from "../../harness/choice/switch-list.ts";
import { MUTANTS, MUTANT_BASE_VARIANT } from "../../impl/variants.ts";

/** Runs generated cases with the scan and the snapshot checks side by side; a disagreement throws a harness bug. */
function crossCheck(variant: string, mutant: string | null, runs: number, seed: number): { violations: number } {
  let violations = 0;
  const input = fc.tuple(caseArbitrary({ variant, mutant }, { ops: 10 }), switchListArbitrary());
  for (const [generated, switches] of fc.sample(input, { numRuns: runs, seed })) {
    const report = runCheck({
      config: generated.config,
      programs: generated.programs,
      choices: new SwitchListSource(switches),
      maxSteps: defaultMaxSteps(generated.programs, generated.config),
      recordEvents: false,
      crossCheckStructure: true,
    });
    if (report.outcome.kind === "violation") violations++;
  }
  return { violations };
}

describe("StructureScan", () => {
  it("agrees with the snapshot checks on the RFC", () => {
    const { violations } = crossCheck("rfc", null, 300, 11);
    expect(violations).toBeGreaterThan(0);
  });

  it("agrees with the snapshot checks on the fixed variant", () => {
    expect(crossCheck(MUTANT_BASE_VARIANT, null, 300, 12).violations).toBe(0);
  });

  it("agrees with the snapshot checks under every seeded bug", () => {
    let violations = 0;
    for (const mutant of MUTANTS) violations += crossCheck(MUTANT_BASE_VARIANT, mutant.name, 60, 13).violations;
    expect(violations).toBeGreaterThan(0);
  });
});
