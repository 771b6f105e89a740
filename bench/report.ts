/**
 * The benchmark record: markdown tables for the console and for
 * BENCHMARKS.md, which the record is appended to.
 */
import { CHECKER, violationCounts } from "./harnesses.ts";
import type { Rate } from "./measure.ts";
import { median, medianRatio, runsPerSecond, stepsPerSecond } from "./measure.ts";
import type { ProfileSummary } from "./profile.ts";
import type { Measurements, TargetResult } from "./targets.ts";
import type { Workload } from "./workload.ts";

export interface Machine {
  readonly date: string;
  readonly node: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly commit: string;
}

export interface RecordParts {
  readonly machine: Machine;
  readonly workload: Workload;
  readonly inputs: number;
  readonly rounds: number;
  readonly measurements: Measurements;
  readonly targets: readonly TargetResult[];
  readonly profiles: readonly ProfileSummary[];
  readonly seeds: readonly number[];
  readonly huntRuns: number;
  readonly elapsedSeconds: number;
}

const integer = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "-");
const decimal = (value: number | null, digits = 1): string => (value === null || !Number.isFinite(value) ? "-" : value.toFixed(digits));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function renderRecord(parts: RecordParts): string {
  const { machine, workload, measurements } = parts;
  const sections = [
    `## ${machine.date}`,
    `Node ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores; commit ${machine.commit}; ` +
      `\`npm run bench\` took ${parts.elapsedSeconds.toFixed(0)} s.`,
    `Standard workload: ${workload.cpus} CPUs, ${workload.maxEntries} entries, LOCAL_FREE_TARGET ${workload.localFreeTarget}, ` +
      `MAX_WALKS ${workload.maxWalks}, ${workload.buckets} buckets, ${workload.opsPerCpu} operations per CPU over ${workload.keys} keys, ` +
      `variant ${workload.variant}; ${parts.inputs} generated inputs (programs and switch lists), ${parts.rounds} alternating rounds per harness, medians shown.`,
    "### Targets",
    table(
      ["target", "measured", "status"],
      parts.targets.map((target) => [target.target, target.measured, targetStatus(target)]),
    ),
    "### Harnesses on the same inputs",
    harnessTable(measurements.rates),
    "### Scaling from the standard workload (checker)",
    table(
      ["change", "runs/s", "steps per run", "time per run vs standard", "time per step vs standard"],
      measurements.scaling.map((row) => [
        row.change,
        integer(row.runsPerSecond),
        integer(row.stepsPerRun),
        `${decimal(row.costRatio, 2)}x`,
        `${decimal(row.costRatio / (row.stepsPerRun / measurements.scaling[0].stepsPerRun), 2)}x`,
      ]),
    ),
    "### Workers",
    workersText(measurements),
    "### Seeded bugs",
    seededBugsText(parts),
  ];
  if (parts.profiles.length > 0) sections.push("### CPU profiles of the missed targets", ...parts.profiles.map(profileText));
  return `${sections.join("\n\n")}\n`;
}

/** Returns the status cell of a target, such as "met with 2.0x to spare" or "MISSED by a factor of 1.5". */
function targetStatus(target: TargetResult): string {
  if (target.met === null) return `not measured: ${target.margin}`;
  return target.met ? target.margin : target.margin.replace(/^missed/, "MISSED");
}

function harnessTable(rates: ReadonlyMap<string, readonly Rate[]>): string {
  const checker = rates.get(CHECKER) ?? [];
  const rows = [...rates.entries()].map(([name, list]) => {
    const steps = median(list.map(stepsPerSecond));
    const violations = violationCounts.get(name) ?? 0;
    return [
      name,
      integer(median(list.map(runsPerSecond))),
      steps === 0 ? "-" : integer(steps),
      `${decimal(medianRatio(list, checker, runsPerSecond), 3)}x`,
      violations === 0 ? "0" : `${violations} (runs that did not complete)`,
    ];
  });
  return table(["harness", "runs/s", "steps/s", "runs/s vs checker", "violations"], rows);
}

function workersText(measurements: Measurements): string {
  const { workers } = measurements;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `\`bpf-lru-check check --json\` with the standard configuration, ${integer(workers.runs)} runs in ${workers.batches} batches ` +
      "(programs of up to the standard operations per CPU), each command in a fresh process.",
    "",
    table(
      ["round", "--workers 1 (in-process)", "--workers 2 (worker threads)", "speed-up", "CPU loop on 2 threads, before and after"],
      workers.oneWorkerMs.map((ms, round) => [
        String(round + 1),
        seconds(ms),
        seconds(workers.twoWorkersMs[round]),
        `${decimal(ms / workers.twoWorkersMs[round], 2)}x`,
        workers.capacity[round].map((speedup) => `${decimal(speedup, 2)}x`).join(", "),
      ]),
    ),
    "",
    `Speed-up of 2 workers over 1: ${decimal(workers.speedup, 2)}x (median of same-round ratios). ` +
      "The last column is the speed-up of a CPU-bound loop without allocation on two threads over one, just before and just after the round's jobs: " +
      "below 2x, other processes held part of the second core. " +
      `A job of 2 batches takes ${integer(workers.startupMs)} ms longer on 2 workers than on 1: the workers' start-up (each thread loads tsx and compiles the sources).`,
  ].join("\n");
}

function seededBugsText(parts: RecordParts): string {
  const rows = parts.measurements.seededBugs;
  if (rows.length === 0) return "impl/variants.ts MUTANTS is empty in this build: no seeded bug to hunt, so nothing was measured.";
  const found = (row: (typeof rows)[number]) => row.hunts.filter((hunt) => hunt.found).length;
  return [
    `Each bug hunted with seeds ${parts.seeds[0]} to ${parts.seeds.at(-1)}, ${integer(parts.huntRuns)} runs at most per seed, ` +
      "with the kill table's job (checker/mutant-kill.ts); time to the violation ends when the unshrunk trace is on disk.",
    "",
    table(
      ["seeded bug", "found", "median ms to violation", "median runs to violation", "median shrink ms", "shrunk ops", "shrunk switches", "properties"],
      rows.map((row) => [
        row.bug,
        `${found(row)}/${row.hunts.length}`,
        integer(row.medianMsToViolation),
        integer(row.medianRunsToViolation),
        integer(row.medianShrinkMs ?? NaN),
        decimal(row.medianShrunkOps, 0),
        decimal(row.medianShrunkContextSwitches, 0),
        row.properties.join(", ") || "-",
      ]),
    ),
  ].join("\n");
}

function profileText(profile: ProfileSummary): string {
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  return [
    `Profile of \`${profile.target}\` (${integer(profile.busyMs)} ms busy): self time by source folder, then the top functions.`,
    "",
    table(["folder", "self time"], profile.folders.map((entry) => [entry.name, percent(entry.share)])),
    "",
    table(["function", "self time"], profile.functions.map((entry) => [`\`${entry.name}\``, percent(entry.share)])),
  ].join("\n");
}
