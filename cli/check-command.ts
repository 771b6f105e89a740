/**
 * `bpf-lru-check check`: validates options, runs the check job with a
 * progress bar on stderr, and prints a summary (text or JSON) on stdout.
 */
import cliProgress from "cli-progress";
import { colour as pc } from "./colour.ts";
import { parseCheckOptions } from "./options.ts";
import type { CheckOptionKey, CheckOptions } from "./options.ts";
import { checkWritableDirectory } from "../trace/save.ts";
import { runCheckJobWithWorkers } from "../checker/check-job.ts";
import { shardRuns } from "../checker/parallel/batch-plan.ts";
import type { CheckJobOptions, CheckProgress, CheckSummary } from "../checker/check-job.ts";
import type { ConfigChoices } from "../checker/generators.ts";
import { nameLists } from "./names.ts";
import { InputError } from "./errors.ts";
import { MUTANT_BASE_VARIANT } from "../impl/variants.ts";
import { CoverageRecorder, formatCoverageSummary } from "../model/coverage.ts";
import { NODE_TRANSITION_TABLE } from "../model/transition-table.ts";

const TRANSITION_COUNT = NODE_TRANSITION_TABLE.transitions.length;

const BATCH_RUNS = 25;

export function jobOptions(options: CheckOptions): CheckJobOptions {
  // A configuration field given on the command line is fixed; the others are generated.
  const given = (key: CheckOptionKey): boolean => options.givenOptions.has(key);
  const { config } = options;
  const choices: ConfigChoices = {
    cpus: given("cpus") ? config.cpus : undefined,
    maxEntries: given("entries") ? config.maxEntries : undefined,
    localFreeTarget: given("localFreeTarget") ? config.localFreeTarget : undefined,
    maxWalks: given("maxWalks") ? config.maxWalks : undefined,
    buckets: given("buckets") ? config.buckets : undefined,
    // A seeded bug goes into the fixed variant unless --variant names another,
    // so that the RFC's own fault does not hide it.
    variant: config.mutant !== null && !given("variant") ? MUTANT_BASE_VARIANT : config.variant,
    mutant: config.mutant,
  };
  return {
    choices,
    shape: { ops: options.opsPerCpu, keys: given("keys") ? options.keys : undefined },
    strategy: options.strategy.kind,
    depth: options.strategy.kind === "pct" ? options.strategy.depth : 1,
    seed: options.seed,
    runs: options.budget.kind === "runs" ? options.budget.runs : null,
    timeMs: options.budget.kind === "time" ? options.budget.seconds * 1000 : null,
    outDir: options.outDir,
    maxSteps: given("maxSteps") ? options.maxSteps : undefined,
    shard: { index: options.shard.index - 1, count: options.shard.count },
    batchRuns: BATCH_RUNS,
  };
}

export async function runCheckCommand(raw: Record<string, unknown>): Promise<number> {
  const options = parseCheckOptions(raw, nameLists());
  checkWritableDirectory(options.outDir);
  const job = jobOptions(options);
  if (shardRuns(job) === 0) {
    throw new InputError(
      `--shard ${options.shard.index}/${options.shard.count} gets no batch of --runs ${job.runs}, which makes ` +
        `${describeCount(Math.ceil((job.runs ?? 0) / job.batchRuns), "batch", "batches")} of ${job.batchRuns} runs; use fewer shards or more runs`,
    );
  }

  const bar = options.json || !process.stderr.isTTY ? null : createBar(job);
  const summary = await runCheckJobWithWorkers(
    job,
    options.workers,
    () => performance.now(),
    (progress) => updateBar(bar, job, progress),
    (path) => {
      if (!options.json) process.stderr.write(`\nviolation found; trace written to ${path}, shrinking it now\n`);
    },
  );
  bar?.stop();

  if (options.json) {
    process.stdout.write(`${JSON.stringify(jsonSummary(job, summary), null, 2)}\n`);
  } else {
    process.stdout.write(textSummary(job, summary));
  }
  return summary.violation === null ? 0 : 1;
}

function createBar(job: CheckJobOptions): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {percentage}% | runs {runs} | steps {steps} | violations {violations} | transitions {transitions}/${TRANSITION_COUNT} | {elapsed}s`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(shardRuns(job) ?? Math.round((job.timeMs ?? 0) / 1000), 0, { runs: 0, steps: 0, violations: 0, transitions: 0, elapsed: 0 });
  return bar;
}

function updateBar(bar: cliProgress.SingleBar | null, job: CheckJobOptions, progress: CheckProgress): void {
  if (bar === null) return;
  const elapsed = Math.round(progress.elapsedMs / 1000);
  const value = job.runs !== null ? progress.runs : elapsed;
  bar.update(value, {
    runs: progress.runs,
    steps: progress.steps,
    violations: progress.violations,
    transitions: progress.transitionsCovered,
    elapsed,
  });
}

function describeChoices(job: CheckJobOptions): string {
  const { choices } = job;
  const field = (name: string, value: number | undefined, range: string) => `${name} ${value ?? `generated (${range})`}`;
  return [
    field("cpus", choices.cpus, "1-8"),
    field("max_entries", choices.maxEntries, "1-64"),
    field("LOCAL_FREE_TARGET", choices.localFreeTarget, "1-8 or 128"),
    field("MAX_WALKS", choices.maxWalks, "1-8 or 128"),
    field("buckets", choices.buckets, "1-16"),
    `variant ${choices.variant}`,
    `mutant ${choices.mutant ?? "none"}`,
  ].join(", ");
}

function textSummary(job: CheckJobOptions, summary: CheckSummary): string {
  const seconds = summary.elapsedMs / 1000;
  const rate = (count: number) => (seconds > 0 ? Math.round(count / seconds).toLocaleString("en-US") : "n/a");
  const lines = [
    `configuration: ${describeChoices(job)}`,
    `programs: up to ${job.shape.ops} operations per CPU; strategy ${job.strategy}${job.strategy === "pct" ? ` depth ${job.depth}` : ""}; seed ${job.seed}`,
    `runs ${summary.runs.toLocaleString("en-US")} (${rate(summary.runs)}/s), steps ${summary.steps.toLocaleString("en-US")} (${rate(summary.steps)}/s), ` +
      `${seconds.toFixed(1)} s, ${describeWork(job, summary)}`,
    ...(summary.violation === null
      ? []
      : [`the first violation came in run ${summary.violation.runsToViolation.toLocaleString("en-US")}; the other runs shrank it`]),
  ];
  lines.push(`model coverage: ${describeCoverage(summary)}`);
  if (summary.violation === null) {
    lines.push(pc.green("no violation found"));
  } else {
    const { violation } = summary;
    const { before, after } = violation.shrink;
    lines.push(
      pc.red(`violation of ${violation.property}: ${violation.message}`),
      `shrunk from ${describeSize(before)} to ${describeSize(after)} (${describeCount(after.steps, "step", "steps")})`,
      `trace: ${violation.tracePath}`,
      `replay: npx bpf-lru-check replay ${shellQuote(violation.tracePath)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Describes a counterexample's size: "2 operations on 2 CPUs with 1 context switch". */
function describeSize(size: { ops: number; cpus: number; contextSwitches: number }): string {
  const ops = describeCount(size.ops, "operation", "operations");
  const cpus = describeCount(size.cpus, "CPU", "CPUs");
  const switches = describeCount(size.contextSwitches, "context switch", "context switches");
  return `${ops} on ${cpus} with ${switches}`;
}

/** Summarises model coverage: transitions taken, combinations of CPU relation and lock set seen, and transitions never taken. */
function describeCoverage(summary: CheckSummary): string {
  if (summary.coverage === null) return "not recorded";
  const coverage = CoverageRecorder.fromJSON(summary.coverage);
  return `${formatCoverageSummary(coverage)} (${summary.coverage.entries.length} combinations of transition, CPU relation and locks held)`;
}

/** Says how many batches ran on how many threads, and which shard they were: "40 batches on 2 worker threads, shard 1/4". */
function describeWork(job: CheckJobOptions, summary: CheckSummary): string {
  const batches = `${summary.batches} ${summary.batches === 1 ? "batch" : "batches"}`;
  const threads = summary.workers === 1 ? "in one thread" : `on ${summary.workers} worker threads`;
  const shard = job.shard.count === 1 ? "" : `, shard ${job.shard.index + 1}/${job.shard.count}`;
  return `${batches} ${threads}${shard}`;
}

function jsonCoverage(summary: CheckSummary): unknown {
  if (summary.coverage === null) return null;
  const coverage = CoverageRecorder.fromJSON(summary.coverage);
  return {
    transitionsCovered: coverage.exercised().length,
    transitions: TRANSITION_COUNT,
    neverExercised: coverage.neverExercised().map((transition) => transition.id),
    entries: summary.coverage.entries,
  };
}

function jsonSummary(job: CheckJobOptions, summary: CheckSummary): unknown {
  return {
    configuration: job.choices,
    opsPerCpu: job.shape.ops,
    strategy: job.strategy,
    depth: job.strategy === "pct" ? job.depth : null,
    seed: job.seed,
    shard: { index: job.shard.index + 1, count: job.shard.count },
    workers: summary.workers,
    batches: summary.batches,
    runs: summary.runs,
    steps: summary.steps,
    elapsedSeconds: Math.round(summary.elapsedMs) / 1000,
    coverage: jsonCoverage(summary),
    violation:
      summary.violation === null
        ? null
        : {
            property: summary.violation.property,
            message: summary.violation.message,
            batch: summary.violation.batch,
            runsToViolation: summary.violation.runsToViolation,
            trace: summary.violation.tracePath,
            replay: `npx bpf-lru-check replay ${shellQuote(summary.violation.tracePath)}`,
            shrink: summary.violation.shrink,
          },
  };
}

/** Quotes a path for a POSIX shell when it contains anything but safe characters, so the printed command can be pasted. */
export function shellQuote(path: string): string {
  if (/^[A-Za-z0-9_./:+=@-]+$/.test(path) && !path.startsWith("-")) return path;
  const relative = path.startsWith("-") ? `./${path}` : path;
  return `'${relative.replace(/'/g, `'\\''`)}'`;
}

function describeCount(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
