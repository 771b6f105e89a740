import { describe, expect, it } from "vitest";
import {
  defaultMaxSteps,
  OPTION_DEFAULTS,
  parseCheckOptions,
  parseModelOptions,
  parseMutantsOptions,
  parseReplayOptions,
} from "../../cli/options.ts";
import type { CheckOptions, RawOptions } from "../../cli/options.ts";
import { expectInputError } from "./input-error-assertions.ts";

const LISTS = { variants: ["rfc", "fix-rotate"], mutants: ["skip-lock", "no-ref-clear"] };
const MACHINE = { availableParallelism: 6 };

function check(raw: RawOptions): CheckOptions {
  return parseCheckOptions(raw, LISTS, MACHINE);
}

describe("parseCheckOptions defaults", () => {
  it("fills every option", () => {
    expect(check({})).toEqual({
      givenOptions: new Set(),
      config: { cpus: 4, maxEntries: 16, localFreeTarget: 4, maxWalks: 4, buckets: 8, variant: "rfc", mutant: null },
      keys: 24,
      opsPerCpu: 16,
      budget: { kind: "time", seconds: 60 },
      seed: 1,
      strategy: { kind: "random" },
      outDir: "traces/found",
      json: false,
      workers: 6,
      shard: { index: 1, count: 1 },
      maxSteps: 4 * 16 * OPTION_DEFAULTS.check.maxStepsPerOperation,
    });
  });

  it("records which options were given", () => {
    expect(check({ cpus: "2", json: true, color: true, seed: undefined }).givenOptions).toEqual(new Set(["cpus", "json"]));
  });

  it("keeps workers within 1 to 64", () => {
    expect(parseCheckOptions({}, LISTS, { availableParallelism: 128 }).workers).toBe(64);
    expect(parseCheckOptions({}, LISTS, { availableParallelism: 0 }).workers).toBe(1);
  });

  it("derives the step bound from cpus and ops", () => {
    expect(check({ cpus: "8", ops: "10000" }).maxSteps).toBe(defaultMaxSteps(8, 10000));
    expect(defaultMaxSteps(8, 10000)).toBe(800_000_000);
    expect(check({ maxSteps: "500" }).maxSteps).toBe(500);
  });
});

describe("parseCheckOptions accepts", () => {
  const valid: [string, RawOptions, (options: CheckOptions) => unknown, unknown][] = [
    ["cpus at the bounds", { cpus: "8" }, (o) => o.config.cpus, 8],
    ["one cpu", { cpus: "1" }, (o) => o.config.cpus, 1],
    ["entries 4096", { entries: "4096" }, (o) => o.config.maxEntries, 4096],
    ["a local free target", { localFreeTarget: "128" }, (o) => o.config.localFreeTarget, 128],
    ["max walks", { maxWalks: "128" }, (o) => o.config.maxWalks, 128],
    ["one bucket", { buckets: "1" }, (o) => o.config.buckets, 1],
    ["65536 buckets", { buckets: "65536" }, (o) => o.config.buckets, 65536],
    ["keys", { keys: "1" }, (o) => o.keys, 1],
    ["ops 10000", { ops: "10000" }, (o) => o.opsPerCpu, 10000],
    ["runs", { runs: "500" }, (o) => o.budget, { kind: "runs", runs: 500 }],
    ["time", { time: "5" }, (o) => o.budget, { kind: "time", seconds: 5 }],
    ["seed 0", { seed: "0" }, (o) => o.seed, 0],
    ["seed INT_MAX", { seed: "2147483647" }, (o) => o.seed, 2147483647],
    ["pct with its default depth", { strategy: "pct" }, (o) => o.strategy, { kind: "pct", depth: 3 }],
    ["pct with a depth", { strategy: "pct", depth: "5" }, (o) => o.strategy, { kind: "pct", depth: 5 }],
    ["random by name", { strategy: "random" }, (o) => o.strategy, { kind: "random" }],
    ["an output folder", { out: "/tmp/found" }, (o) => o.outDir, "/tmp/found"],
    ["--json", { json: true }, (o) => o.json, true],
    ["a variant", { variant: "fix-rotate" }, (o) => o.config.variant, "fix-rotate"],
    ["a mutant", { mutant: "skip-lock" }, (o) => o.config.mutant, "skip-lock"],
    ["mutant none", { mutant: "none" }, (o) => o.config.mutant, null],
    ["workers", { workers: "64" }, (o) => o.workers, 64],
    ["a shard", { shard: "2/3" }, (o) => o.shard, { index: 2, count: 3 }],
    ["the last shard", { shard: "3/3" }, (o) => o.shard, { index: 3, count: 3 }],
    ["numbers from a program", { cpus: 2, seed: 7 }, (o) => [o.config.cpus, o.seed], [2, 7]],
    ["options commander does not declare here", { color: true }, (o) => o.config.cpus, 4],
  ];

  for (const [name, raw, select, expected] of valid) {
    it(name, () => expect(select(check(raw))).toEqual(expected));
  }
});

describe("parseCheckOptions rejects", () => {
  const invalid: [string, RawOptions, string][] = [
    ["cpus above 8", { cpus: "9" }, "--cpus 9 is out of range; use 1 to 8"],
    ["cpus of 0", { cpus: "0" }, "--cpus 0 is out of range; use 1 to 8"],
    ["a negative count", { cpus: "-1" }, "--cpus -1 is out of range; use 1 to 8"],
    ["-0", { seed: "-0" }, "--seed -0 is not a plain decimal integer; write digits only, such as 1"],
    ["a trailing letter", { cpus: "4x" }, "--cpus 4x is not a plain decimal integer; write digits only, such as 4"],
    ["an exponent", { runs: "1e3" }, "--runs 1e3 is not a plain decimal integer; write digits only, such as 1000"],
    ["a leading space", { cpus: " 4" }, '--cpus " 4" is not a plain decimal integer; write digits only, such as 4'],
    ["an empty value", { entries: "" }, '--entries "" is not a plain decimal integer; write digits only, such as 16'],
    ["a plus sign", { keys: "+4" }, "--keys +4 is not a plain decimal integer; write digits only, such as 24"],
    ["hexadecimal", { ops: "0x10" }, "--ops 0x10 is not a plain decimal integer; write digits only, such as 16"],
    ["a fraction", { time: "1.5" }, "--time 1.5 is not a plain decimal integer; write digits only, such as 60"],
    ["a leading zero", { cpus: "04" }, "--cpus 04 has a leading zero; write it without, such as 4"],
    ["a huge number", { seed: "99999999999999999999" }, "--seed 99999999999999999999 is out of range; use 0 to 2147483647"],
    ["entries above 4096", { entries: "4097" }, "--entries 4097 is out of range; use 1 to 4096"],
    ["local free target 0", { localFreeTarget: "0" }, "--local-free-target 0 is out of range; use 1 to 2147483647"],
    ["max walks 0", { maxWalks: "0" }, "--max-walks 0 is out of range; use 1 to 2147483647"],
    ["buckets not a power of two", { buckets: "6" }, "--buckets 6 is not a power of two; use 4 or 8"],
    ["buckets 0", { buckets: "0" }, "--buckets 0 is out of range; use 1 to 65536"],
    ["keys 0", { keys: "0" }, "--keys 0 is out of range; use 1 to 2147483647"],
    ["ops above 10000", { ops: "10001" }, "--ops 10001 is out of range; use 1 to 10000"],
    ["runs 0", { runs: "0" }, "--runs 0 is out of range; use 1 to 2147483647"],
    ["time beyond a timer", { time: "2147484" }, "--time 2147484 is out of range; use 1 to 2147483"],
    ["runs and time", { runs: "5", time: "5" }, "--runs and --time both given; use one of them"],
    ["an unknown strategy", { strategy: "dfs" }, "--strategy dfs is not a strategy; use random or pct"],
    ["depth with random by default", { depth: "3" }, "--depth 3 applies only to --strategy pct; add --strategy pct or drop --depth"],
    ["depth with random", { strategy: "random", depth: "2" }, "--depth 2 applies only to --strategy pct; add --strategy pct or drop --depth"],
    ["depth 0", { strategy: "pct", depth: "0" }, "--depth 0 is out of range; use 1 to 2147483647"],
    ["an empty output folder", { out: "" }, '--out "" is empty; give a folder such as traces/found'],
    ["a value for --json", { json: "yes" }, "--json takes no value, but got yes; give --json alone"],
    ["an unknown variant", { variant: "fix" }, "--variant fix is not a variant; use rfc or fix-rotate"],
    ["an unknown mutant", { mutant: "nope" }, "--mutant nope is not a mutant; use skip-lock, no-ref-clear or none"],
    ["workers 0", { workers: "0" }, "--workers 0 is out of range; use 1 to 64"],
    ["workers above 64", { workers: "65" }, "--workers 65 is out of range; use 1 to 64"],
    ["a shard past the count", { shard: "3/2" }, "--shard 3/2 is invalid; use K/N with 1 <= K <= N"],
    ["shard 0", { shard: "0/2" }, "--shard 0/2 is invalid; use K/N with 1 <= K <= N"],
    ["a shard without a slash", { shard: "2" }, "--shard 2 is invalid; use K/N with 1 <= K <= N"],
    ["a shard with two slashes", { shard: "1/2/3" }, "--shard 1/2/3 is invalid; use K/N with 1 <= K <= N"],
    ["a shard with spaces", { shard: "1 / 2" }, '--shard "1 / 2" is invalid; use K/N with 1 <= K <= N'],
    ["max steps 0", { maxSteps: "0" }, "--max-steps 0 is out of range; use 1 to 2147483647"],
    ["a missing value", { cpus: true }, "--cpus needs a value; use --cpus N"],
    ["a repeated variadic value", { seed: ["1", "2"] }, "--seed has 2 values, not a single value; use --seed N once"],
    ["a newline in a value", { strategy: "pct\nrandom" }, '--strategy "pct\\nrandom" is not a strategy; use random or pct'],
  ];

  for (const [name, raw, message] of invalid) {
    it(name, () => expectInputError(() => check(raw), message));
  }

  it("a mutant from a long list by pointing to the mutants command", () => {
    const mutants = Array.from({ length: 9 }, (_, index) => `m${index}`);
    expectInputError(
      () => parseCheckOptions({ mutant: "x" }, { variants: ["rfc"], mutants }, MACHINE),
      "--mutant x is not a mutant; run bpf-lru-check mutants to list them",
    );
  });

  it("a variant when the build has none", () => {
    expectInputError(
      () => parseCheckOptions({ variant: "rfc" }, { variants: [], mutants: [] }, MACHINE),
      "--variant rfc is not a variant, and this build has none; drop --variant",
    );
  });

  it("a mutant when the build has none", () => {
    expectInputError(
      () => parseCheckOptions({ mutant: "x" }, { variants: ["rfc"], mutants: [] }, MACHINE),
      "--mutant x is not a mutant, and this build has none; use --mutant none or drop --mutant",
    );
  });
});

describe("parseReplayOptions", () => {
  it("keeps the trace's variant and mutant by default", () => {
    expect(parseReplayOptions("t.json", {}, LISTS)).toEqual({
      file: "t.json",
      json: false,
      quiet: false,
      variant: undefined,
      mutant: undefined,
    });
  });

  it("overrides variant and mutant", () => {
    const options = parseReplayOptions("t.json", { variant: "fix-rotate", mutant: "none", quiet: true }, LISTS);
    expect(options).toEqual({ file: "t.json", json: false, quiet: true, variant: "fix-rotate", mutant: null });
  });

  it("rejects a missing file", () => {
    expectInputError(
      () => parseReplayOptions(undefined, {}, LISTS),
      "replay needs the path of a trace file; use bpf-lru-check replay traces/found/NAME.json",
    );
  });

  it("rejects --json with --quiet", () => {
    expectInputError(() => parseReplayOptions("t.json", { json: true, quiet: true }, LISTS), "--json and --quiet both given; use one of them");
  });

  it("rejects an unknown mutant", () => {
    expectInputError(
      () => parseReplayOptions("t.json", { mutant: "x y" }, LISTS),
      '--mutant "x y" is not a mutant; use skip-lock, no-ref-clear or none',
    );
  });
});

describe("parseModelOptions", () => {
  it("defaults to mermaid", () => expect(parseModelOptions({})).toEqual({ format: "mermaid" }));
  it("accepts json", () => expect(parseModelOptions({ format: "json" })).toEqual({ format: "json" }));
  it("rejects another format", () => {
    expectInputError(() => parseModelOptions({ format: "svg" }), "--format svg is not a format; use mermaid or json");
  });
});

describe("parseMutantsOptions", () => {
  it("lists by default", () => {
    expect(parseMutantsOptions({})).toEqual({ run: false, runs: 5000, seed: 1, json: false });
  });

  it("runs with a budget and seed", () => {
    expect(parseMutantsOptions({ run: true, runs: "50", seed: "9", json: true })).toEqual({ run: true, runs: 50, seed: 9, json: true });
  });

  it("rejects --runs without --run", () => {
    expectInputError(() => parseMutantsOptions({ runs: "50" }), "--runs 50 applies only with --run; add --run or drop --runs");
  });

  it("rejects --seed without --run", () => {
    expectInputError(() => parseMutantsOptions({ seed: "9" }), "--seed 9 applies only with --run; add --run or drop --seed");
  });

  it("rejects a malformed count", () => {
    expectInputError(() => parseMutantsOptions({ run: true, runs: "ten" }), "--runs ten is not a plain decimal integer; write digits only, such as 5000");
  });
});
