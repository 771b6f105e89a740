/**
 * `bpf-lru-check mutants`: lists the seeded bugs, or with --run hunts each
 * one and prints the kill table. Exit 1 when any seeded bug survives.
 */
import { colour as pc } from "./colour.ts";
import { parseMutantsOptions } from "./options.ts";
import { MUTANTS, MUTANT_BASE_VARIANT } from "../impl/variants.ts";
import { huntMutant } from "../checker/mutant-kill.ts";
import type { KillRow } from "../checker/mutant-kill.ts";

export function runMutantsCommand(raw: Record<string, unknown>): number {
  const options = parseMutantsOptions(raw);

  if (!options.run) {
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ baseVariant: MUTANT_BASE_VARIANT, mutants: MUTANTS }, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...MUTANTS.map((mutant) => mutant.name.length));
    process.stdout.write(`Seeded bugs, each switched into the ${MUTANT_BASE_VARIANT} variant with --mutant NAME:\n`);
    for (const mutant of MUTANTS) {
      const needs = mutant.needs.length === 0 ? "" : ` (needs ${mutant.needs.join(" and ")})`;
      process.stdout.write(`  ${mutant.name.padEnd(width)}  ${mutant.description}${needs}\n`);
    }
    return 0;
  }

  const rows: KillRow[] = [];
  for (const mutant of MUTANTS) {
    const row = huntMutant(mutant.name, { runs: options.runs, seed: options.seed, outDir: null }, () => performance.now());
    rows.push(row);
    if (!options.json) process.stderr.write(`${row.found ? "found" : "SURVIVED"} ${mutant.name}\n`);
  }

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ runs: options.runs, seed: options.seed, rows }, null, 2)}\n`);
  } else {
    process.stdout.write(formatKillTable(rows));
  }
  const survivors = rows.filter((row) => !row.found).length;
  if (!options.json) {
    process.stdout.write(survivors === 0 ? pc.green(`all ${rows.length} seeded bugs found\n`) : pc.red(`${survivors} of ${rows.length} seeded bugs survived\n`));
  }
  return survivors === 0 ? 0 : 1;
}

export function formatKillTable(rows: readonly KillRow[]): string {
  const header = ["seeded bug", "needs", "found", "runs", "ms", "property", "ops", "switches"];
  const cells = rows.map((row) => [
    row.mutant,
    needsOf(row.mutant),
    row.found ? "yes" : "NO",
    String(row.runs),
    row.msToViolation.toFixed(0),
    row.property ?? "-",
    row.shrunkOps === null ? "-" : String(row.shrunkOps),
    row.shrunkContextSwitches === null ? "-" : String(row.shrunkContextSwitches),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column].length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  return `${[render(header), ...cells.map(render)].join("\n")}\n`;
}

/** The seeded bug's needs for the table: "-" for none. */
function needsOf(name: string): string {
  const needs = MUTANTS.find((mutant) => mutant.name === name)?.needs ?? [];
  return needs.length === 0 ? "-" : needs.join(", ");
}
