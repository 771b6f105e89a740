/**
 * Writes trace files so that neither a reader nor a run killed mid-write
 * finds half a trace. The text goes to a temporary file in the target's
 * folder, is flushed to disk, and is renamed over the target, which POSIX
 * makes atomic within one file system.
 */
// The default import (not `* as fs`) lets tests replace single functions to simulate failures.
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../cli/errors.ts";
import type { Trace } from "./format.ts";
import { serializeTrace } from "./serialize.ts";

/**
 * Writes `trace` to `path` atomically, creating missing parent folders.
 * Throws InputError naming the path when the folder or file cannot be
 * written; the temporary file is removed on every failure.
 */
export function writeTraceAtomic(path: string, trace: Trace): void {
  const text = serializeTrace(trace);
  const directory = dirname(path);

  try {
    fs.mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw writeFailure(directory, error);
  }

  // Random, not sequential: worker threads share a process id and may write to the same folder.
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let descriptor: number | null = null;
  try {
    descriptor = fs.openSync(temporary, "wx", 0o644);
    fs.writeFileSync(descriptor, text, "utf8");
    fs.fsyncSync(descriptor);
    fs.closeSync(descriptor);
    descriptor = null;
    fs.renameSync(temporary, path);
  } catch (error) {
    if (descriptor !== null) closeQuietly(descriptor);
    removeQuietly(temporary);
    throw writeFailure(path, error);
  }

  syncDirectory(directory);
}

/**
 * Checks up front that trace files can later be written under `directory`,
 * creating nothing: the folder, or its nearest existing ancestor when it
 * does not exist yet, must be a folder this process may write to.
 */
export function checkWritableDirectory(directory: string): void {
  if (directory === "") throw new InputError(`--out is empty; give a folder such as traces/found`);

  let existing = resolve(directory);
  let stats: fs.Stats;
  for (;;) {
    try {
      stats = fs.statSync(existing);
      break;
    } catch (error) {
      const code = errorCode(error);
      const parent = dirname(existing);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === existing) throw writeFailure(directory, error);
      existing = parent;
    }
  }

  if (!stats.isDirectory()) {
    const which = existing === resolve(directory) ? "it" : existing;
    throw new InputError(`${directory}: ${which} is a file, not a folder; choose another --out folder`);
  }

  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw writeFailure(directory, error);
  }
}

/** Turns a failed file-system call into an InputError; any other exception passes through. */
function writeFailure(path: string, error: unknown): unknown {
  const code = errorCode(error);
  switch (code) {
    case undefined:
      return error;
    case "EACCES":
    case "EPERM":
      return new InputError(`${path}: cannot be written (permission denied); choose a writable --out folder`);
    case "EROFS":
      return new InputError(`${path}: cannot be written (read-only file system); choose a writable --out folder`);
    case "ENOTDIR":
    case "EEXIST":
      return new InputError(`${path}: a part of the path is a file, not a folder; choose another --out folder`);
    case "EISDIR":
      return new InputError(`${path}: is a folder, so no trace can be saved under that name; remove it or choose another --out folder`);
    case "ENOSPC":
    case "EDQUOT":
      return new InputError(`${path}: cannot be written (no space left on the device); free some space or choose another --out folder`);
    default:
      return new InputError(`${path}: cannot be written (${code}); choose another --out folder`);
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function closeQuietly(descriptor: number): void {
  try {
    fs.closeSync(descriptor);
  } catch {
    // The write already failed; that error is the one to report.
  }
}

function removeQuietly(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // Absent when the failure came before the file was created.
  }
}

/**
 * Flushes the folder entry of the rename to disk. Best effort: some file
 * systems reject fsync on a folder, and the trace itself is complete by now.
 */
function syncDirectory(directory: string): void {
  let descriptor: number | null = null;
  try {
    descriptor = fs.openSync(directory, "r");
    fs.fsyncSync(descriptor);
  } catch {
    // Nothing to undo: the rename already happened.
  } finally {
    if (descriptor !== null) closeQuietly(descriptor);
  }
}
