import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadTrace } from "../../trace/load.ts";
import { checkWritableDirectory, writeTraceAtomic } from "../../trace/save.ts";
import { serializeTrace } from "../../trace/serialize.ts";
import { expectInputError } from "../cli/input-error-assertions.ts";
import { foundCounterexample, sampleTraces, sequentialScenario, validTrace } from "./trace-builder.ts";

let directory: string;

beforeEach(() => {
  directory = fs.mkdtempSync(join(tmpdir(), "save-trace-"));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Lists every entry below `root`, as paths relative to it. */
function listTree(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).sort();
}

function errnoError(code: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: simulated failure`);
  error.code = code;
  return error;
}

describe("serializeTrace", () => {
  it("writes format.ts key order, 2-space indent, final newline", () => {
    const text = serializeTrace(sequentialScenario());
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n  "format": "bpf-lru-check-trace",\n  "version": 1,\n  "tool": {\n    "name"')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(["format", "version", "tool", "kind", "description", "config", "programs", "schedule", "expect", "violation"]);
    expect(Object.keys(JSON.parse(serializeTrace(foundCounterexample())))).toEqual([
      "format",
      "version",
      "tool",
      "kind",
      "description",
      "config",
      "programs",
      "schedule",
      "expect",
      "origin",
      "violation",
      "events",
    ]);
  });

  it("gives the same text whatever the key order of its input", () => {
    const trace = foundCounterexample();
    const reversed = JSON.parse(JSON.stringify(trace), (_key, value) =>
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    );
    expect(Object.keys(reversed)[0]).toBe("events");
    expect(serializeTrace(reversed)).toBe(serializeTrace(trace));
  });

  it("orders final keys numerically", () => {
    const trace = { ...sequentialScenario(), expect: { violation: null, finalKeys: { "10": 1, "9": 2, "100": 3 } } };
    expect(serializeTrace(trace)).toContain('"finalKeys": {\n      "9": 2,\n      "10": 1,\n      "100": 3\n    }');
  });

  it("drops absent optional fields", () => {
    const trace = { ...sequentialScenario(), origin: undefined, events: undefined };
    expect(serializeTrace(trace)).not.toMatch(/origin|events/);
  });
});

describe("writeTraceAtomic", () => {
  it("round-trips every sample trace", () => {
    for (const [index, trace] of sampleTraces().entries()) {
      const path = join(directory, `trace-${index}.json`);
      writeTraceAtomic(path, trace);
      expect(loadTrace(path)).toEqual(trace);
      expect(fs.readFileSync(path, "utf8")).toBe(serializeTrace(trace));
    }
  });

  it("round-trips generated traces", () => {
    const path = join(directory, "generated.json");
    fc.assert(
      fc.property(validTrace, (trace) => {
        writeTraceAtomic(path, trace);
        expect(loadTrace(path)).toEqual(JSON.parse(JSON.stringify(trace)));
      }),
      { numRuns: 150 },
    );
  });

  it("creates missing parent folders", () => {
    const path = join(directory, "traces", "found", "a.json");
    writeTraceAtomic(path, foundCounterexample());
    expect(loadTrace(path)).toEqual(foundCounterexample());
  });

  it("replaces an existing file and leaves only the target", () => {
    const path = join(directory, "a.json");
    fs.writeFileSync(path, "old");
    writeTraceAtomic(path, sequentialScenario());
    expect(fs.readFileSync(path, "utf8")).toBe(serializeTrace(sequentialScenario()));
    expect(listTree(directory)).toEqual(["a.json"]);
  });

  it("leaves no temporary file when the rename fails", () => {
    const path = join(directory, "taken.json");
    fs.mkdirSync(path);
    fs.writeFileSync(join(path, "keep"), "");
    expectInputError(
      () => writeTraceAtomic(path, sequentialScenario()),
      `${path}: is a folder, so no trace can be saved under that name; remove it or choose another --out folder`,
    );
    expect(listTree(directory)).toEqual(["taken.json", join("taken.json", "keep")]);
  });

  it("leaves no temporary file and the old target when fsync fails", () => {
    const path = join(directory, "a.json");
    fs.writeFileSync(path, "old");
    const fsync = vi.spyOn(fs, "fsyncSync").mockImplementation(() => {
      throw errnoError("ENOSPC");
    });
    expectInputError(
      () => writeTraceAtomic(path, sequentialScenario()),
      `${path}: cannot be written (no space left on the device); free some space or choose another --out folder`,
    );
    expect(fsync).toHaveBeenCalledTimes(1);
    expect(listTree(directory)).toEqual(["a.json"]);
    expect(fs.readFileSync(path, "utf8")).toBe("old");
  });

  it("names other write failures by code", () => {
    vi.spyOn(fs, "writeFileSync").mockImplementation(() => {
      throw errnoError("EIO");
    });
    const path = join(directory, "a.json");
    expectInputError(() => writeTraceAtomic(path, sequentialScenario()), `${path}: cannot be written (EIO); choose another --out folder`);
    expect(listTree(directory)).toEqual([]);
  });

  it("reports a folder it may not create", () => {
    vi.spyOn(fs, "mkdirSync").mockImplementation(() => {
      throw errnoError("EACCES");
    });
    const target = join(directory, "locked", "a.json");
    expectInputError(
      () => writeTraceAtomic(target, sequentialScenario()),
      `${join(directory, "locked")}: cannot be written (permission denied); choose a writable --out folder`,
    );
    expect(listTree(directory)).toEqual([]);
  });

  it("reports a parent path that is a file", () => {
    fs.writeFileSync(join(directory, "plain"), "");
    const parent = join(directory, "plain", "sub");
    expectInputError(
      () => writeTraceAtomic(join(parent, "a.json"), sequentialScenario()),
      `${parent}: a part of the path is a file, not a folder; choose another --out folder`,
    );
    expect(listTree(directory)).toEqual(["plain"]);
  });
});

describe("checkWritableDirectory", () => {
  it("accepts an existing folder and creates nothing", () => {
    checkWritableDirectory(directory);
    expect(listTree(directory)).toEqual([]);
  });

  it("accepts a missing folder under a writable one and creates nothing", () => {
    checkWritableDirectory(join(directory, "traces", "found"));
    expect(listTree(directory)).toEqual([]);
  });

  it("rejects a file", () => {
    const path = join(directory, "plain");
    fs.writeFileSync(path, "");
    expectInputError(() => checkWritableDirectory(path), `${path}: it is a file, not a folder; choose another --out folder`);
  });

  it("rejects a folder below a file", () => {
    const file = join(directory, "plain");
    fs.writeFileSync(file, "");
    const path = join(file, "a", "b");
    expectInputError(() => checkWritableDirectory(path), `${path}: ${file} is a file, not a folder; choose another --out folder`);
  });

  it("rejects a folder it may not write", () => {
    vi.spyOn(fs, "accessSync").mockImplementation(() => {
      throw errnoError("EROFS");
    });
    expectInputError(
      () => checkWritableDirectory(directory),
      `${directory}: cannot be written (read-only file system); choose a writable --out folder`,
    );
  });

  it("rejects an empty path", () => {
    expectInputError(() => checkWritableDirectory(""), "--out is empty; give a folder such as traces/found");
  });
});
