/**
 * The variant that seeded bugs are switched into passes every property on
 * the seeded-bug search, so each violation found under a seeded bug is the
 * seeded bug's. StrykerJS runs this file as the property suite.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheckJob } from "../../checker/check-job.ts";
import { baseVariantJobOptions, SEARCH_RUNS, tickClock } from "./mutant-search.ts";

let outDir = "";
beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), "bpf-lru-check-base-variant-"));
});
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe("base variant", () => {
  it("passes every property on the seeded-bug search", () => {
    const summary = runCheckJob(baseVariantJobOptions(outDir), tickClock(), () => {});

    expect(summary.violation?.message ?? null).toBeNull();
    expect(summary.runs).toBe(SEARCH_RUNS);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it("passes every property under PCT schedules", () => {
    const options = { ...baseVariantJobOptions(outDir), strategy: "pct" as const, depth: 3, runs: 2000 };
    const summary = runCheckJob(options, tickClock(), () => {});

    expect(summary.violation?.message ?? null).toBeNull();
    expect(summary.runs).toBe(2000);
  });
});
