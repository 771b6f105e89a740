import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError, toOneLine } from "../../cli/errors.ts";
import { parseCheckOptions, parseModelOptions, parseMutantsOptions, parseReplayOptions } from "../../cli/options.ts";
import type { CheckOptions, RawOptions } from "../../cli/options.ts";
import { CONFIG_LIMITS, isPowerOfTwo } from "../../trace/limits.ts";
import { LINE_BREAK } from "./input-error-assertions.ts";

const LISTS = { variants: ["rfc", "fix-rotate"], mutants: ["skip-lock"] };
const MACHINE = { availableParallelism: 2 };

/** Raw key, flag and whether the option takes a value, for every option of check. */
const CHECK_OPTIONS: [string, string, boolean][] = [
  ["cpus", "--cpus", true],
  ["entries", "--entries", true],
  ["localFreeTarget", "--local-free-target", true],
  ["maxWalks", "--max-walks", true],
  ["buckets", "--buckets", true],
  ["keys", "--keys", true],
  ["ops", "--ops", true],
  ["runs", "--runs", true],
  ["time", "--time", true],
  ["seed", "--seed", true],
  ["strategy", "--strategy", true],
  ["depth", "--depth", true],
  ["out", "--out", true],
  ["json", "--json", false],
  ["variant", "--variant", true],
  ["mutant", "--mutant", true],
  ["workers", "--workers", true],
  ["shard", "--shard", true],
  ["maxSteps", "--max-steps", true],
];

const INTEGER_TEXT = fc.oneof(
  fc.integer({ min: -10, max: 70000 }).map(String),
  fc.constantFrom("", " 4", "4 ", "4x", "1e3", "+4", "-0", "08", "0x10", "1.0", "2147483648", "2147483647", "99999999999999999999"),
);

/** Strings commander could pass, plus odd values a programmatic caller could. */
const rawValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 4, arbitrary: INTEGER_TEXT },
  { weight: 2, arbitrary: fc.constantFrom("random", "pct", "rfc", "skip-lock", "none", "1/2", "2/1", "mermaid", "dfs") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.oneof(fc.boolean(), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 })) },
);

/** Checks that `error` is a one-line InputError naming `flag`, and `value` when it is a string. */
function expectDescribedError(error: unknown, flag: string, value: unknown): void {
  expect(error).toBeInstanceOf(InputError);
  const message = (error as InputError).message;
  expect(message).not.toMatch(LINE_BREAK);
  expect(message).toContain(flag);
  if (typeof value === "string" && flag !== "replay") {
    expect(message.includes(value) || message.includes(toOneLine(JSON.stringify(value)))).toBe(true);
  }
}

function expectValidCheckOptions(options: CheckOptions): void {
  const { config } = options;
  expect(config.cpus).toBeGreaterThanOrEqual(CONFIG_LIMITS.cpus.min);
  expect(config.cpus).toBeLessThanOrEqual(CONFIG_LIMITS.cpus.max);
  expect(config.maxEntries).toBeLessThanOrEqual(CONFIG_LIMITS.maxEntries.max);
  expect(isPowerOfTwo(config.buckets)).toBe(true);
  expect(LISTS.variants).toContain(config.variant);
  expect(config.mutant === null || LISTS.mutants.includes(config.mutant)).toBe(true);
  for (const value of [config.localFreeTarget, config.maxWalks, options.keys, options.opsPerCpu, options.workers, options.maxSteps]) {
    expect(Number.isSafeInteger(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(1);
  }
  expect(Number.isSafeInteger(options.seed)).toBe(true);
  expect(options.seed).toBeGreaterThanOrEqual(0);
  expect(options.shard.index).toBeGreaterThanOrEqual(1);
  expect(options.shard.index).toBeLessThanOrEqual(options.shard.count);
  expect(options.outDir).not.toBe("");
}

describe("option parsing on arbitrary values", () => {
  it("check: one option returns valid options or an InputError naming it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHECK_OPTIONS), rawValue, ([key, flag], value) => {
        let options: CheckOptions;
        try {
          options = parseCheckOptions({ [key]: value }, LISTS, MACHINE);
        } catch (error) {
          expectDescribedError(error, flag, value);
          return;
        }
        expectValidCheckOptions(options);
      }),
      { numRuns: 4000 },
    );
  });

  it("check: integers are accepted exactly when plain and in range", () => {
    fc.assert(
      fc.property(fc.constantFrom("cpus", "entries", "ops", "workers"), INTEGER_TEXT, (key, text) => {
        const range = { cpus: CONFIG_LIMITS.cpus, entries: CONFIG_LIMITS.maxEntries, ops: { min: 1, max: 10000 }, workers: { min: 1, max: 64 } }[key]!;
        const plain = /^(0|[1-9][0-9]*)$/.test(text);
        const expected = plain && Number(text) >= range.min && Number(text) <= range.max;
        let accepted = true;
        try {
          parseCheckOptions({ [key]: text }, LISTS, MACHINE);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          accepted = false;
        }
        expect(accepted).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("check: many options at once return valid options or a one-line InputError", () => {
    const rawOptions = fc.dictionary(fc.constantFrom(...CHECK_OPTIONS.map(([key]) => key)), rawValue, { maxKeys: 6 });
    fc.assert(
      fc.property(rawOptions, (raw: RawOptions) => {
        try {
          expectValidCheckOptions(parseCheckOptions(raw, LISTS, MACHINE));
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).message).not.toMatch(LINE_BREAK);
          expect((error as InputError).message).toMatch(/^(--[a-z-]+|replay) /);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("replay, model and mutants return options or an InputError naming the option", () => {
    const cases: [string, string, (value: unknown) => unknown][] = [
      ["--json", "json", (value) => parseReplayOptions("t.json", { json: value }, LISTS)],
      ["--quiet", "quiet", (value) => parseReplayOptions("t.json", { quiet: value }, LISTS)],
      ["--variant", "variant", (value) => parseReplayOptions("t.json", { variant: value }, LISTS)],
      ["--mutant", "mutant", (value) => parseReplayOptions("t.json", { mutant: value }, LISTS)],
      ["replay", "file", (value) => parseReplayOptions(value, {}, LISTS)],
      ["--format", "format", (value) => parseModelOptions({ format: value })],
      ["--run", "run", (value) => parseMutantsOptions({ run: value })],
      ["--runs", "runs", (value) => parseMutantsOptions({ run: true, runs: value })],
      ["--seed", "seed", (value) => parseMutantsOptions({ run: true, seed: value })],
      ["--json", "json", (value) => parseMutantsOptions({ json: value })],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...cases), rawValue, ([flag, , parse], value) => {
        try {
          parse(value);
        } catch (error) {
          expectDescribedError(error, flag, value);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
