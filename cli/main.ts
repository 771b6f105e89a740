/**
 * The bpf-lru-check command line: parses arguments with commander, validates
 * them (options.ts), and dispatches to one command. Exit codes: 0 no
 * violation, 1 a violation was found or reproduced, 2 invalid input or a
 * trace that does not match this tool.
 */
import { Command, CommanderError } from "commander";
import { InputError, toOneLine } from "./errors.ts";
import { runCheckCommand } from "./check-command.ts";
import { runReplayCommand } from "./replay-command.ts";
import { runModelCommand } from "./model-command.ts";
import { runMutantsCommand } from "./mutants-command.ts";
import { TOOL_VERSION } from "../checker/version.ts";
import { MUTANT_BASE_VARIANT } from "../impl/variants.ts";

type Action = (...args: unknown[]) => Promise<number> | number;

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const wrap = (action: Action) => async (...args: unknown[]) => {
    exitCode = await action(...args);
  };

  const program = new Command("bpf-lru-check")
    .description("Check the BPF LRU list of the 2016 RFC against a node-lifecycle model on simulated CPUs")
    .version(TOOL_VERSION)
    .exitOverride()
    // Commander's own error lines are replaced by the one-line message below; help still goes out.
    .configureOutput({ outputError: () => {} })
    .showHelpAfterError(false);

  program
    .command("check")
    .description("run the port in many randomized interleavings and check every property after every step")
    .option("--cpus <n>", "simulated CPUs, 1 to 8 (default: generated, mostly 2 to 4)")
    .option("--entries <n>", "max_entries of the map (default: generated, 1 to 64)")
    .option("--local-free-target <n>", "LOCAL_FREE_TARGET (default: generated, 1 to 8 or the kernel's 128)")
    .option("--max-walks <n>", "MAX_WALKS (default: generated, 1 to 8 or the kernel's 128)")
    .option("--buckets <n>", "hash buckets, a power of two (default: generated, 1 to 16)")
    .option("--keys <n>", "size of the key space of generated programs (default: 2 x entries + 2)")
    .option("--ops <n>", "maximum operations per CPU (default: 16)")
    .option("--runs <n>", "stop after this many runs")
    .option("--time <seconds>", "stop after this many seconds (default: 60)")
    .option("--seed <n>", "seed of the first batch, 0 to 2147483647 (default: 1)")
    .option("--strategy <name>", "schedule generator: random (context-switch lists) or pct (default: random)")
    .option("--depth <d>", "PCT bug depth: d - 1 priority change points (default: 3)")
    .option("--out <dir>", "folder for found counterexample traces (default: traces/found)")
    .option("--variant <name>", "behaviour of the port: rfc or a named fix (default: rfc)")
    .option("--mutant <name>", `switch a seeded bug into the port, into the ${MUTANT_BASE_VARIANT} variant unless --variant is given (see: bpf-lru-check mutants)`)
    .option("--workers <n>", "worker threads, each taking whole batches (default: the number of cores)")
    .option("--shard <k/n>", "take only shard k of n of the batches, for CI jobs on separate machines")
    .option("--max-steps <n>", "step bound per run; reaching it is reported as a livelock")
    .option("--json", "print the summary as JSON, with no progress bar")
    .action(wrap((options) => runCheckCommand(options as Record<string, unknown>)));

  program
    .command("replay")
    .description("replay a trace step by step and show its violation")
    .argument("<file>", "trace file (JSON)")
    .option("--variant <name>", "replay with another behaviour of the port")
    .option("--mutant <name>", "replay with a seeded bug switched in, or none")
    .option("--quiet", "print only the outcome, not the step table")
    .option("--json", "print the outcome and the events as JSON")
    .action(wrap((file, options) => runReplayCommand(file, options as Record<string, unknown>)));

  program
    .command("model")
    .description("print the node-lifecycle model as a Mermaid state diagram or as JSON")
    .option("--format <format>", "mermaid or json (default: mermaid)")
    .action(wrap((options) => runModelCommand(options as Record<string, unknown>)));

  program
    .command("mutants")
    .description("list the seeded bugs, or with --run check that the checker finds each of them")
    .option("--run", "run the checker against every seeded bug and print the kill table")
    .option("--runs <n>", "run budget per seeded bug (default: 5000)")
    .option("--seed <n>", "seed (default: 1)")
    .option("--json", "print the table as JSON")
    .action(wrap((options) => runMutantsCommand(options as Record<string, unknown>)));

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      // Help shown because no command was given is a usage error.
      if (error.code === "commander.help") return error.exitCode === 0 ? 0 : 2;
      const text = error.message.replace(/^error: /, "").replace(/\.$/, "");
      process.stderr.write(`bpf-lru-check: ${toOneLine(text)}; run bpf-lru-check --help for usage\n`);
      return 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(`bpf-lru-check: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
