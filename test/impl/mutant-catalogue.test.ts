/**
 * The seeded-bug catalogue: every entry is documented, and every name is
 * switched at a spot in the port, all of whose lines sit in one file.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MUTANTS, MUTANT_BASE_VARIANT, VARIANTS, isMutant } from "../../impl/variants.ts";

const IMPL = new URL("../../impl/", import.meta.url).pathname;

function implSources(): { file: string; text: string }[] {
  const files = readdirSync(IMPL, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
  return files.map((file) => ({ file, text: readFileSync(join(IMPL, file), "utf8") }));
}

/** Files and line counts of the `mutant === "name"` and `mutant !== "name"` tests in impl/, by name. */
function switchSpots(): Map<string, Map<string, number>> {
  const spots = new Map<string, Map<string, number>>();
  for (const { file, text } of implSources()) {
    for (const match of text.matchAll(/\bmutant [!=]== "([^"]+)"/g)) {
      const files = spots.get(match[1]) ?? new Map<string, number>();
      files.set(file, (files.get(file) ?? 0) + 1);
      spots.set(match[1], files);
    }
  }
  return spots;
}

describe("seeded bug catalogue", () => {
  it("has unique kebab-case names that are not variants", () => {
    const names = MUTANTS.map((mutant) => mutant.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(VARIANTS.map((variant) => variant.name)).not.toContain(name);
    }
  });

  it.each(MUTANTS.map((mutant) => [mutant.name, mutant] as const))("%s has one-line texts", (_name, mutant) => {
    for (const text of [mutant.description, mutant.imitates]) {
      expect(text.length).toBeGreaterThan(20);
      expect(text).not.toContain("\n");
      expect(text).toMatch(/\.$/);
    }
  });

  it("switches every seeded bug in one file of the port, and nothing else", () => {
    const spots = switchSpots();
    expect([...spots.keys()].sort()).toEqual(MUTANTS.map((mutant) => mutant.name).sort());
    for (const [name, files] of spots) expect([name, [...files.keys()]]).toEqual([name, [expect.any(String)]]);
  });

  it("accepts only listed names and bases them on a variant", () => {
    expect(isMutant(MUTANTS[0].name)).toBe(true);
    expect(isMutant("no-such-mutant")).toBe(false);
    expect(isMutant(MUTANT_BASE_VARIANT)).toBe(false);
    expect(VARIANTS.map((variant) => variant.name)).toContain(MUTANT_BASE_VARIANT);
  });
});
