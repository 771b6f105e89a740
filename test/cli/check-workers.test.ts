import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";

let out = "";
let folder = "";

beforeEach(() => {
  out = "";
  folder = mkdtempSync(join(tmpdir(), "bpf-lru-check-workers-"));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(folder, { recursive: true, force: true });
});

const fixed = ["--variant", "steal-sets-cpu", "--cpus", "2", "--runs", "150", "--json"];

describe("check --workers", () => {
  it("reports the same counts with 1 and 2 workers", async () => {
    expect(await main(["check", ...fixed, "--workers", "1", "--out", folder])).toBe(0);
    const one = JSON.parse(out);
    out = "";
    expect(await main(["check", ...fixed, "--workers", "2", "--out", folder])).toBe(0);
    const two = JSON.parse(out);

    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    expect(two.runs).toBe(150);
    expect(two.batches).toBe(6);
    expect(two.steps).toBe(one.steps);
  });

  it("splits the runs between shards", async () => {
    expect(await main(["check", ...fixed, "--workers", "2", "--shard", "2/4", "--out", folder])).toBe(0);
    const summary = JSON.parse(out);

    expect(summary.shard).toEqual({ index: 2, count: 4 });
    expect(summary.batches).toBe(2);
    expect(summary.runs).toBe(50);
  });

  it("writes one shrunk trace for the RFC fault with 2 workers", async () => {
    expect(await main(["check", "--cpus", "2", "--runs", "300", "--workers", "2", "--json", "--out", folder])).toBe(1);
    const summary = JSON.parse(out);

    expect(summary.violation.property).toBe("local-node-cpu-matches-list");
    expect(readdirSync(folder)).toEqual([summary.violation.trace.slice(folder.length + 1)]);
  });
});
