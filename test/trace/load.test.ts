import fs, { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadTrace, parseTrace } from "../../trace/load.ts";
import { expectInputError, jsonCopy } from "../cli/input-error-assertions.ts";
import { foundCounterexample, invalidFlagsScenario, sampleTraces, sequentialScenario } from "./trace-builder.ts";

const SOURCE = "traces/x.json";

/** Serialises a sample trace after `change` edits a mutable copy of it. */
function changed(change: (trace: any) => void, base: unknown = sequentialScenario()): string {
  const copy = jsonCopy(base);
  change(copy);
  return JSON.stringify(copy, null, 2);
}

function expectRejected(text: string, message: string): void {
  expectInputError(() => parseTrace(text, SOURCE), `${SOURCE}: ${message}`);
}

describe("parseTrace accepts", () => {
  it("every sample trace unchanged", () => {
    for (const trace of sampleTraces()) {
      expect(parseTrace(JSON.stringify(trace), SOURCE)).toEqual(trace);
    }
  });

  it("update flags outside BPF_ANY..BPF_EXIST", () => {
    for (const flags of [4, -1, 123456789, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      const text = changed((trace) => (trace.programs[0][0].flags = flags), invalidFlagsScenario());
      expect(parseTrace(text, SOURCE).programs[0]![0]).toEqual({ op: "update", key: 0, value: 1, flags });
    }
  });

  it("a leading byte order mark", () => {
    const trace = sequentialScenario();
    expect(parseTrace(`\uFEFF${JSON.stringify(trace)}`, SOURCE)).toEqual(trace);
  });

  it("an idle CPU with an empty program", () => {
    const text = changed((trace) => {
      trace.programs[1] = [];
      trace.expect.results[1] = [];
    });
    expect(parseTrace(text, SOURCE).programs[1]).toEqual([]);
  });
});

describe("parseTrace rejects JSON", () => {
  it("that is empty", () => {
    expectRejected(" \n", "the file is empty; record the trace again or write one by hand");
  });

  it("with a syntax error, naming line and column", () => {
    expectRejected(
      '{\n  "format": "bpf-lru-check-trace",\n  }',
      'not valid JSON (unexpected "}" where a property name in double quotes must start at line 3 column 3); fix the file or record the trace again',
    );
  });

  it("cut short", () => {
    const text = JSON.stringify(sequentialScenario());
    expect(text.slice(0, 32)).toBe('{"format":"bpf-lru-check-trace",');
    expectRejected(
      text.slice(0, 32),
      "not valid JSON (unexpected end of input at line 1 column 33); fix the file or record the trace again",
    );
  });

  it("cut inside a string, naming where the string starts", () => {
    const text = JSON.stringify(sequentialScenario());
    expectRejected(
      text.slice(0, 30),
      "not valid JSON (unterminated string starting at line 1 column 11); fix the file or record the trace again",
    );
  });

  it("whose top level is not an object", () => {
    expectRejected("[1, 2]", "the top level is an array of 2 items, must be an object; this file is not a bpf-lru-check trace");
  });
});

describe("parseTrace rejects format and version", () => {
  it("when format is missing", () => {
    expectRejected(
      changed((trace) => delete trace.format),
      '/format is missing; this file is not a bpf-lru-check trace, which starts with "format": "bpf-lru-check-trace"',
    );
  });

  it("when format is another", () => {
    expectRejected(
      changed((trace) => (trace.format = "pcap")),
      '/format is "pcap", must be "bpf-lru-check-trace"; this file is not a bpf-lru-check trace',
    );
  });

  it("when version is newer, before any other check", () => {
    const text = changed((trace) => {
      trace.version = 2;
      trace.newField = true;
      trace.config.cpus = 99;
    });
    expectRejected(text, "unsupported trace version 2; this bpf-lru-check reads version 1, upgrade bpf-lru-check");
  });

  it("when version is not the integer 1", () => {
    expectRejected(
      changed((trace) => (trace.version = "1")),
      '/version is "1", must be the integer 1; fix it or regenerate the trace',
    );
    expectRejected(changed((trace) => (trace.version = 0)), "/version is 0, must be the integer 1; fix it or regenerate the trace");
  });

  it("when version is missing", () => {
    expectRejected(changed((trace) => delete trace.version), '/version is missing; add "version": 1 or regenerate the trace');
  });
});

describe("parseTrace rejects schema violations", () => {
  const cases: [string, (trace: any) => void, string][] = [
    ["cpus above 8", (t) => (t.config.cpus = 9), "/config/cpus is 9, must be 1 to 8; lower it or regenerate the trace"],
    ["cpus of 0", (t) => (t.config.cpus = 0), "/config/cpus is 0, must be 1 to 8; raise it or regenerate the trace"],
    ["fractional cpus", (t) => (t.config.cpus = 2.5), "/config/cpus is 2.5, must be an integer; fix it or regenerate the trace"],
    [
      "maxEntries above 4096",
      (t) => (t.config.maxEntries = 4097),
      "/config/maxEntries is 4097, must be 1 to 4096; lower it or regenerate the trace",
    ],
    [
      "localFreeTarget of 0",
      (t) => (t.config.localFreeTarget = 0),
      "/config/localFreeTarget is 0, must be 1 to 2147483647; raise it or regenerate the trace",
    ],
    ["a missing field", (t) => delete t.config.maxWalks, "/config/maxWalks is missing; add it or regenerate the trace"],
    [
      "an unknown field",
      (t) => (t.config.cpu = 2),
      "/config/cpu is not a known field; remove it or use cpus, maxEntries, localFreeTarget, maxWalks, buckets, variant or mutant",
    ],
    [
      "an unknown operation",
      (t) => (t.programs[1][2] = { op: "insert", key: 3 }),
      '/programs/1/2/op "insert" is not an operation; use update, lookup, lookup_sys or delete',
    ],
    ["an update without flags", (t) => delete t.programs[0][0].flags, "/programs/0/0/flags is missing; add it or regenerate the trace"],
    [
      "a lookup with a value",
      (t) => (t.programs[0][1].value = 1),
      "/programs/0/1/value is not a known field; remove it or use op or key",
    ],
    [
      "a negative key",
      (t) => (t.programs[1][0].key = -1),
      "/programs/1/0/key is -1, must be 0 to 2147483647; raise it or regenerate the trace",
    ],
    [
      "a key as a string",
      (t) => (t.programs[1][0].key = "3"),
      '/programs/1/0/key is "3", must be an integer; fix it or regenerate the trace',
    ],
    [
      "a fractional flag",
      (t) => (t.programs[0][0].flags = 0.5),
      "/programs/0/0/flags is 0.5, must be an integer; fix it or regenerate the trace",
    ],
    [
      "an unknown errno name",
      (t) => (t.expect.results[1][2] = "EFOO"),
      '/expect/results/1/2 "EFOO" is not an errno name; use ENOENT, ENOMEM, EEXIST or EINVAL',
    ],
    [
      "a negative result",
      (t) => (t.expect.results[1][2] = -2),
      "/expect/results/1/2 is -2, must be 0 to 2147483647; raise it or regenerate the trace",
    ],
    [
      "a result of the wrong type",
      (t) => (t.expect.results[0][0] = true),
      "/expect/results/0/0 is true, must be an integer or a string; fix it or regenerate the trace",
    ],
    [
      "an unknown kind",
      (t) => (t.kind = "example"),
      '/kind "example" is not a trace kind; use counterexample or scenario',
    ],
    ["an empty description", (t) => (t.description = ""), "/description is an empty string; write a description or regenerate the trace"],
    [
      "a schedule word other than sequential",
      (t) => (t.schedule = "random"),
      '/schedule "random" is not a schedule mode; use sequential',
    ],
    [
      "a negative schedule entry",
      (t) => (t.schedule = [0, -1]),
      "/schedule/1 is -1, must be at least 0; raise it or regenerate the trace",
    ],
    [
      "a final key with a leading zero",
      (t) => (t.expect.finalKeys = { "03": 1 }),
      '/expect/finalKeys key "03" is not a decimal integer from 0 to 2147483647; write keys such as "3" or regenerate the trace',
    ],
    [
      "more than 8 programs",
      (t) => (t.programs = Array.from({ length: 9 }, () => [])),
      "/programs has 9 items, must have at most 8; fix it or regenerate the trace",
    ],
    ["a tool without version", (t) => delete t.tool.version, "/tool/version is missing; add it or regenerate the trace"],
    ["a violation of the wrong type", (t) => (t.violation = "deadlock"), '/violation is "deadlock", must be an object or null; fix it or regenerate the trace'],
    [
      "an unknown top-level field",
      (t) => (t.comment = "x"),
      "/comment is not a known field; remove it or use format, version, tool, kind, description, config, programs, schedule, expect, maxSteps, origin, violation or events",
    ],
  ];

  for (const [name, change, message] of cases) {
    it(name, () => expectRejected(changed(change), message));
  }

  it("an origin without shrunk", () => {
    expectRejected(
      changed((t) => delete t.origin.shrunk, foundCounterexample()),
      "/origin/shrunk is missing; add it or regenerate the trace",
    );
  });

  it("an event with an unknown errno result", () => {
    expectRejected(
      changed((t) => (t.events[1].result = "EBUSY"), foundCounterexample()),
      '/events/1/result "EBUSY" is not an errno name; use ENOENT, ENOMEM, EEXIST or EINVAL',
    );
  });
});

describe("parseTrace rejects inconsistent fields", () => {
  it("a program count other than cpus", () => {
    expectRejected(
      changed((t) => (t.config.cpus = 3)),
      "/programs has 2 CPU programs but /config/cpus is 3; give one program per CPU or change /config/cpus",
    );
  });

  it("a schedule entry naming a missing CPU", () => {
    expectRejected(
      changed((t) => (t.schedule = [0, 1, 2])),
      "/schedule/2 is CPU 2, but /config/cpus is 2 (CPUs 0 to 1); fix the schedule or regenerate the trace",
    );
  });

  it("an expected violation that is no property", () => {
    expectRejected(
      changed((t) => (t.expect.violation = "no-such-prop")),
      '/expect/violation "no-such-prop" is not a property of this checker; use one of the names in the README\'s property table, such as local-node-cpu-matches-list',
    );
  });

  it("buckets not a power of two", () => {
    expectRejected(changed((t) => (t.config.buckets = 6)), "/config/buckets is 6, must be a power of two; use 4 or 8");
  });

  it("results for fewer CPUs than configured", () => {
    expectRejected(
      changed((t) => t.expect.results.pop()),
      "/expect/results has 1 list of results but /config/cpus is 2; give one list per CPU",
    );
  });

  it("results not matching a program", () => {
    expectRejected(
      changed((t) => t.expect.results[1].pop()),
      "/expect/results/1 has 2 results but /programs/1 has 3 operations; give one result per operation",
    );
  });

  it("a final key above INT_MAX", () => {
    expectRejected(
      changed((t) => (t.expect.finalKeys = { "3000000000": 1 })),
      '/expect/finalKeys key "3000000000" is not a decimal integer from 0 to 2147483647; write keys such as "3" or regenerate the trace',
    );
  });

  it("an event on a missing CPU", () => {
    expectRejected(
      changed((t) => (t.events[2].cpu = 3), foundCounterexample()),
      "/events/2/cpu is CPU 3, but /config/cpus is 3 (CPUs 0 to 2); fix it or regenerate the trace",
    );
  });

  it("a violation on a missing CPU", () => {
    const text = changed((t) => {
      t.config.cpus = 1;
      t.programs = [[]];
      t.schedule = [0];
      t.events = [];
      t.violation.cpu = 1;
    }, foundCounterexample());
    expectRejected(text, "/violation/cpu is CPU 1, but /config/cpus is 1 (only CPU 0); fix it or regenerate the trace");
  });
});

describe("parseTrace messages", () => {
  it("stay on one line for a file name with a newline", () => {
    expectInputError(() => parseTrace("{", "bad\nname.json"), "bad\\nname.json: not valid JSON (unexpected end of input at line 1 column 2); fix the file or record the trace again");
  });

  it("cut long values and escape line breaks in them", () => {
    const text = changed((t) => (t.kind = `${"k".repeat(100)}\n`));
    expectRejected(text, `/kind "${"k".repeat(60)}…" is not a trace kind; use counterexample or scenario`);
  });
});

describe("loadTrace", () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "load-trace-"));
  });

  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(directory, { recursive: true, force: true });
  });

  function failReadsWith(code: string): void {
    vi.spyOn(fs, "readFileSync").mockImplementation(() => {
      throw Object.assign(new Error(`${code}: simulated failure`), { code });
    });
  }

  it("reads a trace file", () => {
    const path = join(directory, "a.json");
    writeFileSync(path, JSON.stringify(foundCounterexample()));
    expect(loadTrace(path)).toEqual(foundCounterexample());
  });

  it("names a missing file", () => {
    const path = join(directory, "missing.json");
    expectInputError(() => loadTrace(path), `${path}: file not found; check the path`);
  });

  it("names a folder given as a file", () => {
    const path = join(directory, "folder.json");
    mkdirSync(path);
    expectInputError(() => loadTrace(path), `${path}: is a folder, not a trace file; give the path of a .json trace`);
  });

  it("names a path through a file", () => {
    const file = join(directory, "plain");
    writeFileSync(file, "");
    const path = join(file, "a.json");
    expectInputError(() => loadTrace(path), `${path}: a part of the path is a file, not a folder; check the path`);
  });

  it("names an unreadable file", () => {
    failReadsWith("EACCES");
    expectInputError(
      () => loadTrace("/traces/locked.json"),
      "/traces/locked.json: permission denied; make the file readable or copy it somewhere readable",
    );
  });

  it("names other read failures by code", () => {
    failReadsWith("EIO");
    expectInputError(() => loadTrace("/traces/a.json"), "/traces/a.json: cannot be read (EIO); check the path and the file");
  });

  it("passes through exceptions that are not file-system errors", () => {
    vi.spyOn(fs, "readFileSync").mockImplementation(() => {
      throw new TypeError("bug");
    });
    expect(() => loadTrace("/traces/a.json")).toThrow(TypeError);
  });

  it("prefixes validation errors with the path", () => {
    const path = join(directory, "bad.json");
    writeFileSync(path, changed((t) => (t.config.cpus = 9)));
    expectInputError(() => loadTrace(path), `${path}: /config/cpus is 9, must be 1 to 8; lower it or regenerate the trace`);
  });
});
