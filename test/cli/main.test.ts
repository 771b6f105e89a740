import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";

let out = "";
let err = "";
let folder = "";

beforeEach(() => {
  out = "";
  err = "";
  folder = mkdtempSync(join(tmpdir(), "bpf-lru-check-cli-"));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(folder, { recursive: true, force: true });
});

const RFC_TRACE = join(import.meta.dirname, "..", "..", "traces", "rfc");

describe("bpf-lru-check", () => {
  it("check finds the RFC fault and replay reproduces it", async () => {
    const code = await main(["check", "--cpus", "2", "--runs", "300", "--workers", "1", "--out", folder]);
    expect(code).toBe(1);
    expect(out).toContain("violation of local-node-cpu-matches-list");
    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    const trace = join(folder, files[0]);
    expect(out).toContain(`replay: npx bpf-lru-check replay ${trace}`);

    out = "";
    expect(await main(["replay", trace])).toBe(1);
    expect(out).toContain("reproduced local-node-cpu-matches-list");
    expect(out).toContain("resumed at");
  });

  it("check on the fixed variant finds nothing", async () => {
    const code = await main(["check", "--variant", "steal-sets-cpu", "--cpus", "2", "--runs", "100", "--workers", "1", "--out", folder, "--json"]);
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary.runs).toBe(100);
    expect(summary.violation).toBeNull();
    expect(readdirSync(folder)).toEqual([]);
  });

  it("check puts a mutant into the fixed variant", async () => {
    const code = await main(["check", "--mutant", "push-free-skips-local-lock", "--runs", "500", "--workers", "1", "--out", folder, "--json"]);
    expect(code).toBe(1);
    const summary = JSON.parse(out);
    expect(summary.configuration.variant).toBe("steal-sets-cpu");
    expect(summary.violation.property).not.toBe("local-node-cpu-matches-list");
    expect(summary.coverage.transitions).toBeGreaterThan(20);
  });

  it("replay of the committed RFC trace exits 1", async () => {
    const [file] = readdirSync(RFC_TRACE);
    expect(await main(["replay", join(RFC_TRACE, file), "--quiet"])).toBe(1);
    expect(out).toMatch(/^reproduced local-node-cpu-matches-list at step \d+ on CPU 1/);
    expect(out).not.toContain("\u001b[");
  });

  it("replay under the fixed variant shows no violation", async () => {
    const [file] = readdirSync(RFC_TRACE);
    expect(await main(["replay", join(RFC_TRACE, file), "--variant", "steal-sets-cpu", "--quiet"])).toBe(0);
    expect(out).toContain("the recorded violation of local-node-cpu-matches-list does not occur with variant steal-sets-cpu");
  });

  it("replay rejects a trace with an unknown variant", async () => {
    const [file] = readdirSync(RFC_TRACE);
    const trace = JSON.parse(readFileSync(join(RFC_TRACE, file), "utf8"));
    trace.config.variant = "nope";
    const path = join(folder, "unknown-variant.json");
    writeFileSync(path, JSON.stringify(trace));
    expect(await main(["replay", path])).toBe(2);
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toContain('/config/variant "nope" is not a variant of this build');
  });

  it("replays a livelock trace with its step bound", async () => {
    expect(await main(["check", "--cpus", "2", "--runs", "25", "--max-steps", "10", "--workers", "1", "--out", folder])).toBe(1);
    expect(out).toContain("violation of step-bound");
    const [file] = readdirSync(folder);
    out = "";
    expect(await main(["replay", join(folder, file), "--quiet"])).toBe(1);
    expect(out).toContain("reproduced step-bound");
  });

  it("rejects a shard that gets no batch", async () => {
    expect(await main(["check", "--runs", "10", "--shard", "2/2", "--out", folder])).toBe(2);
    expect(err).toContain("--shard 2/2 gets no batch of --runs 10");
  });

  it("quotes a replay path with spaces", async () => {
    const spaced = join(folder, "with space");
    expect(await main(["check", "--cpus", "2", "--runs", "300", "--workers", "1", "--out", spaced])).toBe(1);
    expect(out).toMatch(/replay: npx bpf-lru-check replay '.*with space\/.*\.json'/);
  });

  it("replay of a diverging schedule names the step", async () => {
    const [file] = readdirSync(RFC_TRACE);
    const trace = JSON.parse(readFileSync(join(RFC_TRACE, file), "utf8"));
    // With no operations, CPU 1 finishes in its first step, so a schedule that picks it again diverges at step 1.
    trace.programs[1] = [];
    trace.schedule = [1, 1, ...trace.schedule];
    const path = join(folder, "diverging.json");
    writeFileSync(path, JSON.stringify(trace));
    expect(await main(["replay", path, "--quiet"])).toBe(2);
    expect(err).toContain("diverged from the recorded schedule at step 1: expected CPU 1, runnable were 0");
  });

  it("rejects bad input with one line and exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["check", "--cpus", "0"], /--cpus 0 is out of range; use 1 to 8/],
      [["check", "--strategy", "dfs"], /--strategy dfs/],
      [["check", "--runs", "5", "--time", "5"], /--runs and --time both given/],
      [["check", "--frobnicate"], /unknown option '--frobnicate'/],
      [["replay", join(folder, "missing.json")], /missing\.json/],
      [["model", "--format", "svg"], /--format svg/],
      [["frob"], /unknown command 'frob'/],
    ];
    for (const [argv, message] of cases) {
      err = "";
      expect(await main(argv), argv.join(" ")).toBe(2);
      expect(err, argv.join(" ")).toMatch(message);
      expect(err.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
  });

  it("writes nothing when the output folder is not writable", async () => {
    const file = join(folder, "a-file");
    writeFileSync(file, "");
    expect(await main(["check", "--runs", "5", "--out", join(file, "sub")])).toBe(2);
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(folder)).toEqual(["a-file"]);
  });

  it("model prints Mermaid and JSON", async () => {
    expect(await main(["model"])).toBe(0);
    expect(out.startsWith("stateDiagram-v2")).toBe(true);
    out = "";
    expect(await main(["model", "--format", "json"])).toBe(0);
    expect(JSON.parse(out).id).toBeTypeOf("string");
  });
});
