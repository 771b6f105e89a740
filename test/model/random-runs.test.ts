/**
 * Random programs on random schedules of the real port, checked by the
 * refinement: the port with the merged kernel's node->cpu fix must never be
 * rejected, and the RFC as posted must be, for its stale node->cpu.
 */
import { describe, expect, it } from "vitest";
import type { MapOp } from "../../checker/types.ts";
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST } from "../../checker/types.ts";
import { SubjectFault } from "../../harness/points.ts";
import { CoverageRecorder } from "../../model/coverage.ts";
import { PortDriver } from "./port-driver.ts";

/** A linear congruential generator (Numerical Recipes constants): returns a draw below `bound`. */
function generator(seed: number): (bound: number) => number {
  let state = seed >>> 0;
  return (bound) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % bound;
  };
}

const FLAGS = [BPF_ANY, BPF_NOEXIST, BPF_EXIST];
const OPS_PER_CPU = 4;
const KEYS = 4;
const MAX_STEPS = 2000;

function randomOp(draw: (bound: number) => number): MapOp {
  const key = draw(KEYS);
  switch (draw(4)) {
    case 0:
    case 1:
      return { op: "update", key, value: draw(100), flags: FLAGS[draw(FLAGS.length)] };
    case 2:
      return { op: "lookup", key };
    default:
      return { op: "delete", key };
  }
}

/** Runs one random program on a random schedule; returns the fault that stopped it, or null. */
function randomRun(seed: number, variant: string, coverage: CoverageRecorder): SubjectFault | null {
  const draw = generator(seed);
  const cpus = 2 + draw(2);
  const params = { nrCpus: cpus, maxEntries: 1 + draw(4), localFreeTarget: 1 + draw(2), maxWalks: 1 + draw(3), buckets: 2, variant };
  const driver = new PortDriver(params, coverage);
  const programs = Array.from({ length: cpus }, () => Array.from({ length: OPS_PER_CPU }, () => randomOp(draw)));
  const next = new Array<number>(cpus).fill(0);

  try {
    for (let step = 0; step < MAX_STEPS; step++) {
      const runnable: number[] = [];
      for (let cpu = 0; cpu < cpus; cpu++) {
        if (!driver.busy(cpu) && next[cpu] < OPS_PER_CPU) driver.start(cpu, programs[cpu][next[cpu]++]);
        if (driver.busy(cpu) && driver.waitingFor(cpu) === null) runnable.push(cpu);
      }
      if (runnable.length === 0) return null;

      driver.step(runnable[draw(runnable.length)]);
      driver.refinement.checkOwnerCpus((id) => driver.map.elems[id].node.cpu);
      driver.refinement.checkReachableNotFree((id) => driver.map.elems[id].bucket !== null);
    }
  } catch (error) {
    if (error instanceof SubjectFault) return error;
    throw error;
  }
  throw new Error(`seed ${seed}: the run took more than ${MAX_STEPS} steps`);
}

describe("refinement on random runs", () => {
  it("accepts every run of the fixed port", () => {
    const coverage = new CoverageRecorder();
    for (let seed = 1; seed <= 1000; seed++) {
      const fault = randomRun(seed, "steal-sets-cpu", coverage);
      expect(fault, `seed ${seed}: ${fault?.message}`).toBeNull();
    }
    expect(coverage.exercised().length).toBeGreaterThan(15);
  });

  it("rejects runs of the RFC as posted", () => {
    const properties = new Set<string>();
    for (let seed = 1; seed <= 1000; seed++) {
      const fault = randomRun(seed, "rfc", new CoverageRecorder());
      if (fault !== null) properties.add(fault.property);
    }
    expect([...properties].sort()).toEqual(["model-owner-cpu"]);
  });
});
