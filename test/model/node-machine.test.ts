import { describe, expect, it } from "vitest";
import { NODE_TRANSITION_TABLE } from "../../model/transition-table.ts";
import type { NodeStateName } from "../../model/vocabulary.ts";
import { nodeInvariantViolation } from "../../model/vocabulary.ts";
import { candidateEvents, createNodeTestModel, transitionTaken } from "./model-graph.ts";

describe("node machine", () => {
  const model = createNodeTestModel();
  // Every reachable state gets its own path, even one that is a prefix of another.
  const paths = model.getShortestPaths({ allowDuplicatePaths: true });

  it("keeps its invariant in every reachable state", () => {
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) {
      const violation = nodeInvariantViolation(path.state.value as NodeStateName, path.state.context);
      expect(violation, path.description).toBeNull();
    }
  });

  it("can take every transition from a reachable state", () => {
    const taken = new Set<string>();
    for (const path of paths) {
      for (const event of candidateEvents(path.state)) {
        const transition = transitionTaken(path.state, event);
        if (transition !== null) taken.add(transition.id);
      }
    }
    const never = NODE_TRANSITION_TABLE.transitions.map((transition) => transition.id).filter((id) => !taken.has(id));
    expect(never).toEqual([]);
  });

  it("never links a node on a free list", () => {
    for (const path of paths) {
      const state = path.state.value as NodeStateName;
      if (state !== "globalFree" && state !== "localFree" && state !== "offList") continue;
      for (const event of candidateEvents(path.state).filter((candidate) => candidate.type === "LINK")) {
        expect(transitionTaken(path.state, event), `${path.description} then LINK`).toBeNull();
      }
    }
  });

  it("frees a node only after its element left the hash table", () => {
    for (const path of paths) {
      if (path.state.context.htab !== "linked") continue;
      for (const event of candidateEvents(path.state)) {
        const transition = transitionTaken(path.state, event);
        if (transition === null || transition.target === null) continue;
        expect(["globalFree", "localFree", "offList"], `${path.description} then ${event.type}`).not.toContain(transition.target);
      }
    }
  });

  it("starts every node on the global free list", () => {
    for (const path of paths) {
      const initial = path.steps[0].state;
      expect(initial.value).toBe("globalFree");
      expect(initial.context).toEqual({ owner: -1, ref: false, htab: "unused" });
    }
  });
});
