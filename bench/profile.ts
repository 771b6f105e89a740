/**
 * CPU profiles of a harness: runs bench/profile-target.ts in a child
 * process under `node --cpu-prof` and sums the self time of each function
 * and of each source folder.
 *
 * NOTE: the sources run through tsx, whose esbuild transform sets keepNames
 * and strips whitespace, so profiles show every function at line 1 and list
 * esbuild's `__name` helper, which keepNames calls each time a named closure
 * is created.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const REPOSITORY = fileURLToPath(new URL("..", import.meta.url));

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  /** Function name and file, or a V8 pseudo-function such as "(garbage collector)". */
  readonly name: string;
  /** Share of the profile's busy time (idle excluded), from 0 to 1. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly target: string;
  readonly busyMs: number;
  readonly functions: readonly SelfTime[];
  /** Self time per source folder of this repository; "(V8 and Node.js)" for code outside it. */
  readonly folders: readonly SelfTime[];
}

/** Profiles `target` (a name that bench/profile-target.ts accepts) for about `ms` milliseconds. */
export function profileHarness(target: string, ms: number, top = 15): ProfileSummary {
  const directory = mkdtempSync(join(tmpdir(), "bench-profile-"));
  try {
    const child = spawnSync(
      process.execPath,
      ["--cpu-prof", `--cpu-prof-dir=${directory}`, "bin/run-ts.js", "bench/profile-target.ts", target, String(ms)],
      { cwd: REPOSITORY, encoding: "utf8" },
    );
    if (child.status !== 0) throw new Error(`bench: profiling ${target} failed with status ${child.status}: ${child.stderr}`);
    // tsx's loader runs on a thread of its own and writes a second, mostly idle profile; keep the busiest.
    const profiles = readdirSync(directory)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => JSON.parse(readFileSync(join(directory, name), "utf8")) as CpuProfile);
    const busiest = profiles.map((profile) => summarize(target, profile, top)).sort((a, b) => b.busyMs - a.busyMs)[0];
    if (busiest === undefined) throw new Error(`bench: profiling ${target} wrote no profile`);
    return busiest;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function summarize(target: string, profile: CpuProfile, top: number): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFolder = new Map<string, number>();
  let busy = 0;

  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame;
    const delta = profile.timeDeltas[index] ?? 0;
    if (frame === undefined || frame.functionName === "(idle)") return;
    busy += delta;
    const file = sourceFile(frame.url);
    const name = file === null ? frame.functionName || "(anonymous)" : `${frame.functionName || "(anonymous)"} (${file})`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    const folder = file === null || !file.includes("/") ? "(V8 and Node.js)" : `${file.split("/")[0]}/`;
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + delta);
  });

  const ranked = (totals: Map<string, number>, count: number): SelfTime[] =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => ({ name, share: busy === 0 ? 0 : time / busy }));
  return { target, busyMs: busy / 1000, functions: ranked(byFunction, top), folders: ranked(byFolder, Infinity) };
}

/** Returns the repository-relative path of a script URL, or null for V8 built-ins, Node.js internals and dependencies. */
function sourceFile(url: string): string | null {
  if (!url.startsWith("file://")) return null;
  const path = relative(REPOSITORY, fileURLToPath(url.split("?")[0]));
  return path.startsWith("..") || path.startsWith("node_modules") ? null : path;
}
