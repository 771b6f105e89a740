/**
 * Validation of the CLI's options. commander parses the command line into
 * raw values (strings, true for flags, undefined when absent) and these pure
 * functions turn them into typed options or throw InputError with a one-line
 * message that names the option, the value and the fix.
 *
 * Declare the options in commander without default values: the functions
 * here apply OPTION_DEFAULTS themselves, because some checks depend on
 * whether an option was given at all (--runs with --time, --depth without
 * --strategy pct). Raw keys are commander's camelCase names (localFreeTarget
 * for --local-free-target); keys not listed here are ignored.
 */
import { availableParallelism } from "node:os";
import type { CheckConfig } from "../checker/types.ts";
import { CONFIG_LIMITS, INT_MAX, isPowerOfTwo, nearestPowersOfTwo, SEED_RANGE } from "../trace/limits.ts";
import type { IntegerRange } from "../trace/limits.ts";
import { FOUND_TRACES_DIRECTORY } from "../trace/names.ts";
import { InputError, quoteValue } from "./errors.ts";
import { listChoices, parseInteger, readChoice, readFlag, readInteger, readString } from "./option-values.ts";
import type { RawOptions } from "./option-values.ts";

export type { RawOptions } from "./option-values.ts";

export const STRATEGIES = ["random", "pct"] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const MODEL_FORMATS = ["mermaid", "json"] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

/** Given to --mutant, selects the port without a seeded bug. */
export const NO_MUTANT = "none";

/**
 * Default values of every option, in one place. The seed is fixed rather
 * than drawn from the clock, so two runs of the same command check the same
 * programs and schedules. Pass --seed to explore others. --workers defaults
 * to os.availableParallelism(), at most 64.
 */
export const OPTION_DEFAULTS = {
  check: {
    cpus: 4,
    entries: 16,
    localFreeTarget: 4,
    maxWalks: 4,
    buckets: 8,
    keys: 24,
    ops: 16,
    /** Used when neither --runs nor --time is given. */
    timeSeconds: 60,
    seed: 1,
    strategy: "random" as StrategyName,
    depth: 3,
    out: FOUND_TRACES_DIRECTORY,
    variant: "rfc",
    mutant: null as string | null,
    /**
     * Without --max-steps, the step bound is cpus x ops x this, at most
     * 2147483647. A run that reaches the bound is reported as a livelock.
     */
    // NOTE: an estimate with wide headroom, not a measured per-operation maximum; adjust once the checker reports step counts.
    maxStepsPerOperation: 10_000,
  },
  model: { format: "mermaid" as ModelFormat },
  /** 5000 runs per seeded bug: on seed 1 the slowest seeded bug needs about 1500 runs to be found. */
  mutants: { runs: 5000, seed: 1 },
} as const;

/** Ranges of the options that are not configuration fields (those are CONFIG_LIMITS). */
export const OPTION_LIMITS = {
  keys: { min: 1, max: INT_MAX },
  ops: { min: 1, max: 10000 },
  runs: { min: 1, max: INT_MAX },
  /** 2147483 s is the longest delay a Node.js timer supports (2^31 - 1 ms), so a time budget can be one timer. */
  timeSeconds: { min: 1, max: 2147483 },
  seed: SEED_RANGE,
  depth: { min: 1, max: INT_MAX },
  workers: { min: 1, max: 64 },
  shardCount: { min: 1, max: INT_MAX },
  maxSteps: { min: 1, max: INT_MAX },
} as const satisfies Record<string, IntegerRange>;

/** Names the caller accepts for --variant and --mutant, so this module needs no knowledge of impl/. */
export interface NameLists {
  readonly variants: readonly string[];
  readonly mutants: readonly string[];
}

export type Budget =
  | { readonly kind: "runs"; readonly runs: number }
  | { readonly kind: "time"; readonly seconds: number };

export type StrategyOptions = { readonly kind: "random" } | { readonly kind: "pct"; readonly depth: number };

/** The slice of the work chosen with --shard K/N; the checker decides which runs each slice takes. */
export interface Shard {
  /** 1-based, as written on the command line. */
  readonly index: number;
  readonly count: number;
}

/** commander's keys of the options of `check`, in the order of its help text. */
export const CHECK_OPTION_KEYS = [
  "cpus",
  "entries",
  "localFreeTarget",
  "maxWalks",
  "buckets",
  "keys",
  "ops",
  "runs",
  "time",
  "seed",
  "strategy",
  "depth",
  "out",
  "json",
  "variant",
  "mutant",
  "workers",
  "shard",
  "maxSteps",
] as const;
export type CheckOptionKey = (typeof CHECK_OPTION_KEYS)[number];

export interface CheckOptions {
  /** Keys of the options present on the command line; every other field is set to its default. */
  readonly givenOptions: ReadonlySet<CheckOptionKey>;
  readonly config: CheckConfig;
  /** Generated programs use keys 0 to keys - 1. */
  readonly keys: number;
  readonly opsPerCpu: number;
  readonly budget: Budget;
  readonly seed: number;
  readonly strategy: StrategyOptions;
  readonly outDir: string;
  readonly json: boolean;
  readonly workers: number;
  readonly shard: Shard;
  readonly maxSteps: number;
}

export interface ReplayOptions {
  readonly file: string;
  readonly json: boolean;
  readonly quiet: boolean;
  /** Replaces the trace's variant; undefined keeps it. */
  readonly variant: string | undefined;
  /** Replaces the trace's mutant (null: no mutant); undefined keeps it. */
  readonly mutant: string | null | undefined;
}

export interface ModelOptions {
  readonly format: ModelFormat;
}

export interface MutantsOptions {
  /** Whether to run the checker against every mutant instead of only listing them. */
  readonly run: boolean;
  readonly runs: number;
  readonly seed: number;
  readonly json: boolean;
}

/** Machine facts the defaults depend on, passed in to keep parsing pure in tests. */
export interface Environment {
  readonly availableParallelism: number;
}

/** Validates the options of `check`. */
export function parseCheckOptions(
  raw: RawOptions,
  lists: NameLists,
  environment: Environment = { availableParallelism: availableParallelism() },
): CheckOptions {
  const defaults = OPTION_DEFAULTS.check;

  const buckets = readInteger(raw, "buckets", "--buckets", CONFIG_LIMITS.buckets, defaults.buckets) ?? defaults.buckets;
  if (!isPowerOfTwo(buckets)) {
    const { below, above } = nearestPowersOfTwo(buckets);
    throw new InputError(`--buckets ${buckets} is not a power of two; use ${below} or ${above}`);
  }

  const config: CheckConfig = {
    cpus: readInteger(raw, "cpus", "--cpus", CONFIG_LIMITS.cpus, defaults.cpus) ?? defaults.cpus,
    maxEntries: readInteger(raw, "entries", "--entries", CONFIG_LIMITS.maxEntries, defaults.entries) ?? defaults.entries,
    localFreeTarget:
      readInteger(raw, "localFreeTarget", "--local-free-target", CONFIG_LIMITS.localFreeTarget, defaults.localFreeTarget) ??
      defaults.localFreeTarget,
    maxWalks: readInteger(raw, "maxWalks", "--max-walks", CONFIG_LIMITS.maxWalks, defaults.maxWalks) ?? defaults.maxWalks,
    buckets,
    variant: readVariant(raw, lists) ?? defaults.variant,
    mutant: readMutant(raw, lists) ?? defaults.mutant,
  };

  const opsPerCpu = readInteger(raw, "ops", "--ops", OPTION_LIMITS.ops, defaults.ops) ?? defaults.ops;
  const workersDefault = clamp(Math.floor(environment.availableParallelism), OPTION_LIMITS.workers);

  return {
    givenOptions: new Set(CHECK_OPTION_KEYS.filter((key) => raw[key] !== undefined)),
    config,
    keys: readInteger(raw, "keys", "--keys", OPTION_LIMITS.keys, defaults.keys) ?? defaults.keys,
    opsPerCpu,
    budget: readBudget(raw),
    seed: readInteger(raw, "seed", "--seed", OPTION_LIMITS.seed, defaults.seed) ?? defaults.seed,
    strategy: readStrategy(raw),
    outDir: readOutDirectory(raw) ?? defaults.out,
    json: readFlag(raw, "json", "--json"),
    workers: readInteger(raw, "workers", "--workers", OPTION_LIMITS.workers, workersDefault) ?? workersDefault,
    shard: readShard(raw) ?? { index: 1, count: 1 },
    maxSteps: readInteger(raw, "maxSteps", "--max-steps", OPTION_LIMITS.maxSteps, 100000) ?? defaultMaxSteps(config.cpus, opsPerCpu),
  };
}

/** Validates the argument and options of `replay FILE`. */
export function parseReplayOptions(file: unknown, raw: RawOptions, lists: NameLists): ReplayOptions {
  if (typeof file !== "string" || file === "") {
    throw new InputError(`replay needs the path of a trace file; use bpf-lru-check replay ${FOUND_TRACES_DIRECTORY}/NAME.json`);
  }
  const json = readFlag(raw, "json", "--json");
  const quiet = readFlag(raw, "quiet", "--quiet");
  if (json && quiet) throw new InputError("--json and --quiet both given; use one of them");

  return { file, json, quiet, variant: readVariant(raw, lists), mutant: readMutant(raw, lists) };
}

/** Validates the options of `model`. */
export function parseModelOptions(raw: RawOptions): ModelOptions {
  const format = readChoice(raw, "format", "--format", MODEL_FORMATS, "format") ?? OPTION_DEFAULTS.model.format;
  return { format };
}

/** Validates the options of `mutants`; --runs and --seed apply only with --run. */
export function parseMutantsOptions(raw: RawOptions): MutantsOptions {
  const defaults = OPTION_DEFAULTS.mutants;
  const run = readFlag(raw, "run", "--run");
  const runs = readInteger(raw, "runs", "--runs", OPTION_LIMITS.runs, defaults.runs);
  const seed = readInteger(raw, "seed", "--seed", OPTION_LIMITS.seed, defaults.seed);
  if (!run && runs !== undefined) throw new InputError(`--runs ${runs} applies only with --run; add --run or drop --runs`);
  if (!run && seed !== undefined) throw new InputError(`--seed ${seed} applies only with --run; add --run or drop --seed`);

  return { run, runs: runs ?? defaults.runs, seed: seed ?? defaults.seed, json: readFlag(raw, "json", "--json") };
}

function readBudget(raw: RawOptions): Budget {
  const runs = readInteger(raw, "runs", "--runs", OPTION_LIMITS.runs, 1000);
  const seconds = readInteger(raw, "time", "--time", OPTION_LIMITS.timeSeconds, OPTION_DEFAULTS.check.timeSeconds);
  if (runs !== undefined && seconds !== undefined) throw new InputError("--runs and --time both given; use one of them");
  if (runs !== undefined) return { kind: "runs", runs };
  return { kind: "time", seconds: seconds ?? OPTION_DEFAULTS.check.timeSeconds };
}

function readStrategy(raw: RawOptions): StrategyOptions {
  const defaults = OPTION_DEFAULTS.check;
  const strategy = readChoice(raw, "strategy", "--strategy", STRATEGIES, "strategy") ?? defaults.strategy;
  const depth = readInteger(raw, "depth", "--depth", OPTION_LIMITS.depth, defaults.depth);
  if (strategy === "random") {
    if (depth !== undefined) throw new InputError(`--depth ${depth} applies only to --strategy pct; add --strategy pct or drop --depth`);
    return { kind: "random" };
  }
  return { kind: "pct", depth: depth ?? defaults.depth };
}

function readOutDirectory(raw: RawOptions): string | undefined {
  const out = readString(raw, "out", "--out", "DIR");
  if (out === "") throw new InputError(`--out "" is empty; give a folder such as ${FOUND_TRACES_DIRECTORY}`);
  if (out !== undefined && out.startsWith("-")) {
    throw new InputError(`--out ${quoteValue(out)} looks like an option, not a folder; give a folder, or ./${out} for a folder of that name`);
  }
  return out;
}

function readShard(raw: RawOptions): Shard | undefined {
  const text = readString(raw, "shard", "--shard", "K/N");
  if (text === undefined) return undefined;

  const invalid = () => new InputError(`--shard ${quoteValue(text)} is invalid; use K/N with 1 <= K <= N`);
  const match = /^([^/]*)\/([^/]*)$/.exec(text);
  if (match === null) throw invalid();
  let index: number;
  let count: number;
  try {
    index = parseInteger(match[1]!, "--shard", OPTION_LIMITS.shardCount, 1);
    count = parseInteger(match[2]!, "--shard", OPTION_LIMITS.shardCount, 1);
  } catch (error) {
    if (error instanceof InputError) throw invalid();
    throw error;
  }
  if (index > count) throw invalid();
  return { index, count };
}

function readVariant(raw: RawOptions, lists: NameLists): string | undefined {
  const name = readString(raw, "variant", "--variant", "NAME");
  if (name === undefined) return undefined;
  if (!lists.variants.includes(name)) {
    const fix = lists.variants.length === 0 ? ", and this build has none; drop --variant" : `; use ${listChoices(lists.variants)}`;
    throw new InputError(`--variant ${quoteValue(name)} is not a variant${fix}`);
  }
  return name;
}

/** Reads --mutant: undefined when absent, null for "none", otherwise a name from the list. */
function readMutant(raw: RawOptions, lists: NameLists): string | null | undefined {
  const name = readString(raw, "mutant", "--mutant", "NAME");
  if (name === undefined) return undefined;
  if (name === NO_MUTANT) return null;
  if (!lists.mutants.includes(name)) {
    throw new InputError(`--mutant ${quoteValue(name)} is not a mutant${unknownMutantFix(lists.mutants)}`);
  }
  return name;
}

/** Maximum number of mutant names listed in a message; longer lists point to the `mutants` command. */
const MAX_LISTED_MUTANTS = 8;

/** Returns the end of the message for an unknown mutant name, from the punctuation after "is not a mutant" on. */
function unknownMutantFix(mutants: readonly string[]): string {
  if (mutants.length === 0) return `, and this build has none; use --mutant ${NO_MUTANT} or drop --mutant`;
  if (mutants.length > MAX_LISTED_MUTANTS) return "; run bpf-lru-check mutants to list them";
  return `; use ${listChoices([...mutants, NO_MUTANT])}`;
}

/** Returns the step bound used when --max-steps is not given. */
export function defaultMaxSteps(cpus: number, opsPerCpu: number): number {
  return Math.min(OPTION_LIMITS.maxSteps.max, cpus * opsPerCpu * OPTION_DEFAULTS.check.maxStepsPerOperation);
}

function clamp(value: number, range: IntegerRange): number {
  if (!Number.isFinite(value)) return range.min;
  return Math.min(range.max, Math.max(range.min, value));
}
