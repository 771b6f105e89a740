/**
 * Reads trace files. Checks run from the outside in: JSON syntax, the format
 * and version fields, the schema, and last the rules that relate fields to
 * each other. Checking the version first gives a trace from a newer
 * bpf-lru-check a version message instead of a list of unknown fields. Every
 * failure is an InputError whose one-line message starts with the file name.
 */
// The default import (not a named one) lets tests replace readFileSync to simulate failures.
import fs from "node:fs";
import { describeJsonValue, InputError } from "../cli/errors.ts";
import { TRACE_FORMAT, TRACE_VERSION } from "./format.ts";
import type { Trace } from "./format.ts";
import { locateJsonSyntaxError } from "./json-syntax.ts";
import { findSchemaProblem } from "./schema-errors.ts";
import { findSemanticProblem } from "./semantics.ts";

/** Reads and validates the trace at `path`; throws InputError when it cannot be read or is invalid. */
export function loadTrace(path: string): Trace {
  let text: string;
  try {
    // A FIFO or a device would block or exhaust memory when read whole.
    const stats = fs.existsSync(path) ? fs.statSync(path) : null;
    if (stats !== null && !stats.isFile() && !stats.isDirectory()) {
      throw new InputError(`${path}: not a regular file; give the path of a trace file (JSON)`);
    }
    text = fs.readFileSync(path, "utf8");
  } catch (error) {
    throw readFailure(path, error);
  }
  return parseTrace(text, path);
}

/**
 * Parses and validates the text of a trace; `sourceName` starts every error
 * message, normally the file's path.
 */
export function parseTrace(text: string, sourceName: string): Trace {
  const fail = (problem: string): InputError => new InputError(`${sourceName}: ${problem}`);

  // Editors on some systems start UTF-8 files with a byte order mark, which JSON.parse rejects.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") throw fail("the file is empty; record the trace again or write one by hand");

  const value = parseJson(body, fail);

  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(`the top level is ${describeJsonValue(value)}, must be an object; this file is not a bpf-lru-check trace`);
  }

  const versionProblem = findFormatOrVersionProblem(value as Record<string, unknown>);
  if (versionProblem !== null) throw fail(versionProblem);

  const schemaProblem = findSchemaProblem(value);
  if (schemaProblem !== null) throw fail(schemaProblem);

  const trace = value as Trace;
  const semanticProblem = findSemanticProblem(trace);
  if (semanticProblem !== null) throw fail(semanticProblem);

  return trace;
}

function parseJson(text: string, fail: (problem: string) => InputError): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const located = locateJsonSyntaxError(text);
    // The scanner accepts exactly what JSON.parse accepts; should they ever disagree, keep V8's own words.
    const detail = located === null ? error.message : `${located.problem} at line ${located.line} column ${located.column}`;
    throw fail(`not valid JSON (${detail}); fix the file or record the trace again`);
  }
}

function findFormatOrVersionProblem(fields: Record<string, unknown>): string | null {
  const format = fields.format;
  if (format === undefined) {
    return `/format is missing; this file is not a bpf-lru-check trace, which starts with "format": "${TRACE_FORMAT}"`;
  }
  if (format !== TRACE_FORMAT) {
    return `/format is ${describeJsonValue(format)}, must be "${TRACE_FORMAT}"; this file is not a bpf-lru-check trace`;
  }

  const version = fields.version;
  if (version === undefined) {
    return `/version is missing; add "version": ${TRACE_VERSION} or regenerate the trace`;
  }
  if (typeof version === "number" && Number.isInteger(version) && version > TRACE_VERSION) {
    return `unsupported trace version ${version}; this bpf-lru-check reads version ${TRACE_VERSION}, upgrade bpf-lru-check`;
  }
  if (version !== TRACE_VERSION) {
    return `/version is ${describeJsonValue(version)}, must be the integer ${TRACE_VERSION}; fix it or regenerate the trace`;
  }
  return null;
}

/** Turns a failed read into an InputError; an exception other than a file-system error passes through. */
function readFailure(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "ENOENT":
      return new InputError(`${path}: file not found; check the path`);
    case "EISDIR":
      return new InputError(`${path}: is a folder, not a trace file; give the path of a .json trace`);
    case "EACCES":
    case "EPERM":
      return new InputError(`${path}: permission denied; make the file readable or copy it somewhere readable`);
    case "ENOTDIR":
      return new InputError(`${path}: a part of the path is a file, not a folder; check the path`);
    default:
      if (typeof code === "string") {
        return new InputError(`${path}: cannot be read (${code}); check the path and the file`);
      }
      return error;
  }
}
