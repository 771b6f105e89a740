import { describe, expect, it } from "vitest";
import { counterexampleFileName, counterexamplePath } from "../../trace/names.ts";
import type { FoundTrace } from "../../trace/names.ts";
import { foundCounterexample } from "./trace-builder.ts";

function found(change: (trace: any) => void = () => {}): FoundTrace {
  const trace = JSON.parse(JSON.stringify(foundCounterexample()));
  change(trace);
  return trace as FoundTrace;
}

describe("counterexampleFileName", () => {
  it("names property, seed, run and mutant", () => {
    expect(counterexampleFileName(found())).toBe("node-on-one-list-seed1-run42-mutant-skip-lock.json");
  });

  it("is the same for the same trace", () => {
    expect(counterexampleFileName(found())).toBe(counterexampleFileName(found()));
  });

  it("differs by seed and by run", () => {
    const names = new Set([
      counterexampleFileName(found()),
      counterexampleFileName(found((t) => (t.origin.seed = 2))),
      counterexampleFileName(found((t) => (t.origin.run = 43))),
    ]);
    expect(names.size).toBe(3);
  });

  it("omits the rfc variant and names others", () => {
    expect(counterexampleFileName(found((t) => (t.config.mutant = null)))).toBe("node-on-one-list-seed1-run42.json");
    expect(counterexampleFileName(found((t) => ((t.config.mutant = null), (t.config.variant = "fix-rotate"))))).toBe(
      "node-on-one-list-seed1-run42-variant-fix-rotate.json",
    );
  });

  it("falls back to the expected violation", () => {
    const trace = found((t) => {
      t.violation = null;
      t.expect.violation = "deadlock";
      t.config.mutant = null;
    });
    expect(counterexampleFileName(trace)).toBe("deadlock-seed1-run42.json");
  });

  it("makes unsafe names safe", () => {
    const trace = found((t) => {
      t.violation.property = "../../etc/passwd x";
      t.config.mutant = "a/b\\c:d";
    });
    expect(counterexampleFileName(trace)).toBe("etc-passwd-x-seed1-run42-mutant-a-b-c-d.json");
    expect(counterexampleFileName(found((t) => (t.violation.property = "///")))).toBe(
      "unnamed-seed1-run42-mutant-skip-lock.json",
    );
  });

  it("joins the folder", () => {
    expect(counterexamplePath("traces/found", found())).toBe("traces/found/node-on-one-list-seed1-run42-mutant-skip-lock.json");
  });
});
