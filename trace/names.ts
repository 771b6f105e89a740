/**
 * File names of found counterexamples, built from the trace alone (no clock,
 * no counter), so the same seed and run always give the same name and a
 * rerun overwrites its earlier result instead of piling up copies.
 */
import { join } from "node:path";
import type { Trace } from "./format.ts";

/** A trace written by the checker, which records how it found the counterexample. */
export type FoundTrace = Trace & { readonly origin: NonNullable<Trace["origin"]> };

/** Default folder for found counterexamples, relative to the working folder. */
export const FOUND_TRACES_DIRECTORY = join("traces", "found");

/** Maximum length of a file-name part taken from a property, variant or mutant name. */
const MAX_PART_LENGTH = 64;

/**
 * Names the file of a found counterexample:
 * `<property>-seed<seed>-run<run>[-variant-<variant>][-mutant-<mutant>].json`,
 * such as `node-in-one-list-seed1-run42-mutant-skip-lock.json`. The variant
 * appears only when it is not "rfc". The property is the recorded
 * violation's, or the expected one's when the trace records none.
 */
export function counterexampleFileName(trace: FoundTrace): string {
  const property = trace.violation?.property ?? trace.expect.violation ?? "no-violation";
  const parts = [fileNamePart(property), `seed${trace.origin.seed}`, `run${trace.origin.run}`];
  if (trace.config.variant !== "rfc") parts.push("variant", fileNamePart(trace.config.variant));
  if (trace.config.mutant !== null) parts.push("mutant", fileNamePart(trace.config.mutant));
  return `${parts.join("-")}.json`;
}

/** Joins `directory` and the counterexample's file name. */
export function counterexamplePath(directory: string, trace: FoundTrace): string {
  return join(directory, counterexampleFileName(trace));
}

/**
 * Makes a name safe in file names on every common file system. Runs of
 * characters other than letters, digits, ".", "_" and "-" become "-".
 * Leading dots and dashes are dropped, so no part hides the file or reads as
 * an option.
 */
function fileNamePart(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[.-]+/, "")
    .slice(0, MAX_PART_LENGTH);
  return safe === "" ? "unnamed" : safe;
}
