/**
 * `npm run bench`: measures the checker against fast-check's scheduler and
 * the raw port on the same inputs, hunts the seeded bugs, measures scaling
 * and parallel workers, profiles what misses its target, prints the record
 * and appends it to BENCHMARKS.md. Not part of `npm test`; about 2 to 5
 * minutes, depending on how many seeded bugs impl/variants.ts lists.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { checkerHarness, engineOnlyHarness, fcSchedulerHarness, fcSchedulerOnlyHarness, rawPortHarness } from "./harnesses.ts";
import { measureRounds } from "./measure.ts";
import { profileHarness } from "./profile.ts";
import { renderRecord } from "./report.ts";
import type { Machine } from "./report.ts";
import { measureScaling } from "./sections/scaling.ts";
import { huntAllSeededBugs } from "./sections/seeded-bugs.ts";
import { measureWorkers } from "./sections/workers.ts";
import { evaluateTargets } from "./targets.ts";
import { STANDARD_WORKLOAD, generateInputs } from "./workload.ts";

const RECORD_FILE = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url));
const INPUTS = 200;
const ROUNDS = 3;
const HARNESS_MS = 2000;
const SCALING_ROUNDS = 2;
const SCALING_MS = 1500;
const WORKER_RUNS = 40000;
const WORKER_ROUNDS = 3;
const SEEDS = Array.from({ length: 10 }, (_, index) => index + 1);
const HUNT_RUNS = 2000;
const PROFILE_MS = 4000;

function machine(): Machine {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // Not a git checkout: the record shows "unknown".
  }
  const processors = cpus();
  return {
    date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    node: process.version,
    cpuModel: processors[0]?.model.trim() ?? "unknown CPU",
    cores: processors.length,
    commit,
  };
}

const log = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

const started = performance.now();

log(`measuring 5 harnesses, ${ROUNDS} rounds of ${HARNESS_MS / 1000} s each`);
const inputs = generateInputs(STANDARD_WORKLOAD, INPUTS, 1);
const rates = await measureRounds(
  [checkerHarness, engineOnlyHarness, fcSchedulerHarness, fcSchedulerOnlyHarness, rawPortHarness],
  inputs,
  ROUNDS,
  HARNESS_MS,
);

log("measuring scaling with CPUs, entries and operations doubled");
const scaling = await measureScaling(STANDARD_WORKLOAD, SCALING_ROUNDS, SCALING_MS);

log(`measuring --workers 2 against --workers 1 on ${WORKER_RUNS} runs`);
const workers = await measureWorkers(STANDARD_WORKLOAD, WORKER_RUNS, WORKER_ROUNDS);

log("hunting the seeded bugs");
const seededBugs = huntAllSeededBugs(SEEDS, HUNT_RUNS);

const measurements = { rates, scaling, workers, seededBugs };
const targets = evaluateTargets(measurements);
const profileTargets = [...new Set(targets.flatMap((target) => target.profiles))];
const profiles = profileTargets.map((target) => {
  log(`profiling ${target} for ${PROFILE_MS / 1000} s`);
  return profileHarness(target, PROFILE_MS);
});

const record = renderRecord({
  machine: machine(),
  workload: STANDARD_WORKLOAD,
  inputs: INPUTS,
  rounds: ROUNDS,
  measurements,
  targets,
  profiles,
  seeds: SEEDS,
  huntRuns: HUNT_RUNS,
  elapsedSeconds: (performance.now() - started) / 1000,
});
process.stdout.write(record);
if (!existsSync(RECORD_FILE)) writeFileSync(RECORD_FILE, "# Benchmarks\n");
appendFileSync(RECORD_FILE, `\n${record}`);
log(`record appended to ${RECORD_FILE}`);
