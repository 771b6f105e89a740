/**
 * `bpf-lru-check replay FILE`: replays a trace deterministically, prints the
 * step table and the outcome. Exit 1 when the recorded violation reproduces
 * (or an unexpected one shows), 0 when the trace shows none, 2 when the
 * replay cannot follow the trace.
 */
import { colour as pc } from "./colour.ts";
import { parseReplayOptions } from "./options.ts";
import { nameLists } from "./names.ts";
import { loadTrace } from "../trace/load.ts";
import { REPLAY_EXIT_CODES, replayTrace } from "../checker/replay.ts";
import type { ReplayResult } from "../checker/replay.ts";
import type { Trace, TraceEvent } from "../trace/format.ts";
import { InputError, quoteString } from "./errors.ts";
import { MUTANT_BASE_VARIANT } from "../impl/variants.ts";

export function runReplayCommand(file: unknown, raw: Record<string, unknown>): number {
  const options = parseReplayOptions(file, raw, nameLists());
  const trace = loadTrace(options.file);
  checkNames(options.file, trace);
  // As in check, a seeded bug goes into the fixed variant unless --variant names another.
  const variant = options.variant ?? (typeof options.mutant === "string" ? MUTANT_BASE_VARIANT : undefined);
  const result = replayTrace(trace, { variant, mutant: options.mutant });
  const exitCode = REPLAY_EXIT_CODES[result.status];

  if (options.json) {
    const output = { file: options.file, status: result.status, exitCode, message: result.message, config: result.config, outcome: result.report.outcome, events: result.report.events };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return exitCode;
  }

  if (!options.quiet) {
    process.stdout.write(`${trace.description}\n`);
    process.stdout.write(formatStepTable(result.report.events ?? []));
  }
  let colour = pc.red;
  if (result.status === "clean") colour = pc.green;
  if (result.status === "mismatch") colour = pc.yellow;
  const stream = result.status === "mismatch" ? process.stderr : process.stdout;
  stream.write(`${colour(outcomeLine(options.file, result))}\n`);
  return exitCode;
}

/** Rejects a trace whose variant or mutant this build of the port does not have. */
function checkNames(file: string, trace: Trace): void {
  const { variants, mutants } = nameLists();
  const { variant, mutant } = trace.config;
  if (!variants.includes(variant)) {
    throw new InputError(`${file}: /config/variant ${quoteString(variant)} is not a variant of this build; use ${variants.join(" or ")}, or replay with --variant`);
  }
  if (mutant !== null && !mutants.includes(mutant)) {
    throw new InputError(`${file}: /config/mutant ${quoteString(mutant)} is not a seeded bug of this build; run bpf-lru-check mutants for the list, or replay with --mutant none`);
  }
}

function outcomeLine(file: string, result: ReplayResult): string {
  if (result.status === "mismatch") return `bpf-lru-check: ${file}: ${result.message}; record the trace again with this version`;
  return result.message;
}

/** Renders the event log as a table, one row per step, with continuation lines for multiple events. */
export function formatStepTable(events: readonly TraceEvent[]): string {
  const header = ["step", "cpu", "operation", "resumed at", "locks", "events", "result"];
  const rows: string[][] = [];
  for (const event of events) {
    const details = [...event.moves, ...event.map];
    const first = [
      String(event.step),
      String(event.cpu),
      event.op ?? "-",
      event.point,
      event.locks.join(" "),
      details[0] ?? "",
      event.result === undefined ? "" : String(event.result),
    ];
    rows.push(first);
    for (const detail of details.slice(1)) rows.push(["", "", "", "", "", detail, ""]);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  return `${[render(header), ...rows.map(render)].join("\n")}\n`;
}
