import { describe, expect, it } from "vitest";
import { SpinLock } from "../../harness/points.ts";
import {
  CoverageRecorder,
  RELATION_GLOBAL,
  RELATION_OTHER,
  RELATION_OWN,
  cpuRelation,
  formatCoverageSummary,
  heldLockClasses,
} from "../../model/coverage.ts";
import { NODE_TRANSITION_TABLE } from "../../model/transition-table.ts";

const transitionIndex = (id: string): number => {
  const transition = NODE_TRANSITION_TABLE.transitions.find((candidate) => candidate.id === id);
  if (transition === undefined) throw new Error(`no transition ${id}`);
  return transition.index;
};

describe("coverage recorder", () => {
  it("classifies the acting CPU against the list it touches", () => {
    expect(cpuRelation(1, 1)).toBe(RELATION_OWN);
    expect(cpuRelation(1, 0)).toBe(RELATION_OTHER);
    expect(cpuRelation(1, -1)).toBe(RELATION_GLOBAL);
  });

  it("classifies the locks the acting CPU holds", () => {
    const locks = { global: new SpinLock("lru_list.lock"), local: [new SpinLock("loc_l[0].lock"), new SpinLock("loc_l[1].lock")] };
    locks.global.holder = 1;
    locks.local[0].holder = 1;
    expect(heldLockClasses(locks, 1, false)).toBe(1 | 4);
    expect(heldLockClasses(locks, 0, true)).toBe(8);
    locks.local[1].holder = 1;
    expect(heldLockClasses(locks, 1, true)).toBe(1 | 2 | 4 | 8);
  });

  it("survives a JSON round trip and merges counts", () => {
    const getFree = transitionIndex("globalFree --GET_FREE--> localFree");
    const popFree = transitionIndex("localFree --POP_FREE--> offList");
    const first = new CoverageRecorder();
    first.record(getFree, RELATION_OWN, 3);
    first.record(getFree, RELATION_OWN, 3);
    const second = new CoverageRecorder();
    second.record(getFree, RELATION_OWN, 3);
    second.record(popFree, RELATION_OTHER, 4);

    const merged = CoverageRecorder.fromJSON(JSON.parse(JSON.stringify(first.toJSON()))).merge(second);
    expect(merged.timesTaken(getFree)).toBe(3);
    expect(merged.timesTaken(popFree)).toBe(1);
    expect(merged.toJSON().entries).toEqual([
      { transition: "globalFree --GET_FREE--> localFree", relation: "own", locks: ["lru_list.lock", "own loc_l lock"], count: 3 },
      { transition: "localFree --POP_FREE--> offList", relation: "other", locks: ["other loc_l lock"], count: 1 },
    ]);
  });

  it("reports the transitions never taken", () => {
    const coverage = new CoverageRecorder();
    for (const transition of NODE_TRANSITION_TABLE.transitions) {
      if (transition.event !== "ROTATE") coverage.record(transition.index, RELATION_GLOBAL, 0);
    }
    const total = NODE_TRANSITION_TABLE.transitions.length;
    expect(coverage.neverExercised().map((transition) => transition.id)).toEqual([
      "active --ROTATE--> active",
      "active --ROTATE--> inactive",
      "inactive --ROTATE--> active",
    ]);
    expect(formatCoverageSummary(coverage)).toBe(
      `transitions covered ${total - 3}/${total}; never: active --ROTATE--> active, active --ROTATE--> inactive, inactive --ROTATE--> active`,
    );
  });

  it("summarises full coverage without a list", () => {
    const coverage = new CoverageRecorder();
    for (const transition of NODE_TRANSITION_TABLE.transitions) coverage.record(transition.index, RELATION_OWN, 0);
    const total = NODE_TRANSITION_TABLE.transitions.length;
    expect(formatCoverageSummary(coverage)).toBe(`transitions covered ${total}/${total}`);
  });

  it("refuses to merge coverage of another model", () => {
    const coverage = new CoverageRecorder();
    expect(() => coverage.merge({ transitions: ["a --X--> b"], entries: [] })).toThrow(/cannot merge coverage recorded for another model/);
    expect(() =>
      coverage.merge({
        transitions: NODE_TRANSITION_TABLE.transitions.map((transition) => transition.id),
        entries: [{ transition: "globalFree --GET_FREE--> localFree", relation: "own", locks: ["no such lock" as never], count: 1 }],
      }),
    ).toThrow(/unknown lock class "no such lock"/);
  });
});
