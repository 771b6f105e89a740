/**
 * The node->cpu fault of the RFC on two CPUs run one after the other: a
 * node stolen from CPU 0's local free list sits on CPU 1's pending list with
 * node->cpu still 0, so deleting its element makes bpf_lru_push_free take
 * CPU 0's local lock and move the node off CPU 1's pending list without
 * CPU 1's lock. The "steal-sets-cpu" variant records the receiving CPU.
 */
import { describe, expect, it } from "vitest";
import { BPF_NOEXIST } from "../../checker/types.ts";
import { LockOps } from "../../harness/points.ts";
import type { NodeMove } from "../../impl/events.ts";
import { Place } from "../../impl/events.ts";
import { HtabLru } from "../../impl/htab-lru.ts";
import { observeLru } from "../../impl/observe.ts";
import { runSequential } from "../../impl/sequential.ts";
import { VARIANTS } from "../../impl/variants.ts";
import { Recorder } from "./lru-fixture.ts";

/** Records every move on or off a local list made by a CPU that does not hold that list's lock. */
class UnlockedLocalMoves extends Recorder {
  map: HtabLru | null = null;
  readonly unlocked: NodeMove[] = [];

  override nodeMoved(move: NodeMove): void {
    super.nodeMoved(move);
    if (this.map === null) return;
    for (const cpu of [move.fromCpu, move.toCpu]) {
      if (cpu >= 0 && this.map.lru.localList[cpu].lock.holder !== move.cpu) this.unlocked.push(move);
    }
  }
}

function runStealThenDelete(variant: string) {
  const recorder = new UnlockedLocalMoves();
  const map = new HtabLru(
    { nrCpus: 2, maxEntries: 2, localFreeTarget: 2, maxWalks: 2, buckets: 2, variant },
    new LockOps(recorder),
    recorder,
  );
  recorder.map = map;

  // CPU 0 takes both nodes to its local list and uses one for key 1.
  expect(runSequential(map.update(0, 1, 10, BPF_NOEXIST))).toBe(0);
  // CPU 1 finds nothing globally and steals CPU 0's spare free node.
  expect(runSequential(map.update(1, 2, 20, BPF_NOEXIST))).toBe(0);
  const afterSteal = observeLru(map);
  const stolen = afterSteal.local[1].pending[0];

  recorder.locks.length = 0;
  expect(runSequential(map.delete(1, 2))).toBe(0);
  return { recorder, afterSteal, stolen, after: observeLru(map) };
}

describe("variants", () => {
  it("lists rfc first with a description for each", () => {
    expect(VARIANTS[0].name).toBe("rfc");
    expect(VARIANTS.map((variant) => variant.name)).toEqual(["rfc", "steal-sets-cpu"]);
    for (const variant of VARIANTS) expect(variant.description.length).toBeGreaterThan(10);
  });

  it("rfc leaves a stolen node with the victim's cpu and frees it under the wrong lock", () => {
    const { recorder, afterSteal, stolen, after } = runStealThenDelete("rfc");

    expect(afterSteal.nodes[stolen]).toMatchObject({ place: Place.Pending, placeCpu: 1, cpu: 0 });
    const locks = recorder.acquiredLocks();
    expect(locks).toHaveLength(2);
    expect(locks[0]).toMatch(/^bucket\[\d+\]\.lock$/);
    expect(locks[1]).toBe("loc_l[0].lock");
    expect(recorder.unlocked).toEqual([
      { node: stolen, from: Place.Pending, fromCpu: 1, to: Place.LocalFree, toCpu: 0, cpu: 1, fn: "bpf_lru_push_free" },
    ]);
    expect(after.local[0].free).toEqual([stolen]);
  });

  it("steal-sets-cpu frees a stolen node under its own list's lock", () => {
    const { recorder, afterSteal, stolen, after } = runStealThenDelete("steal-sets-cpu");

    expect(afterSteal.nodes[stolen]).toMatchObject({ place: Place.Pending, placeCpu: 1, cpu: 1 });
    expect(recorder.acquiredLocks()[1]).toBe("loc_l[1].lock");
    expect(recorder.unlocked).toEqual([]);
    expect(after.local[1].free).toEqual([stolen]);
  });
});
