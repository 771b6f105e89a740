import { describe, expect, it } from "vitest";
import { SubjectFault } from "../../harness/points.ts";
import { CoverageRecorder, formatCoverageSummary } from "../../model/coverage.ts";
import { NODE_TRANSITION_TABLE } from "../../model/transition-table.ts";
import { NODE_PATHS } from "./node-paths.ts";
import type { NodePath } from "./node-paths.ts";
import { modelSteps, prefixEndingIn, runNodePath } from "./path-runner.ts";

function pathNamed(name: string): NodePath {
  const path = NODE_PATHS.find((candidate) => candidate.name === name);
  if (path === undefined) throw new Error(`no path named "${name}"`);
  return path;
}

/** Returns the first path of NODE_PATHS that takes `transitionId`, cut right after it. */
function pathEndingIn(transitionId: string): NodePath | null {
  for (const path of NODE_PATHS) {
    const prefix = prefixEndingIn(path, transitionId);
    if (prefix !== null) return prefix;
  }
  return null;
}

describe("port follows the node model", () => {
  for (const transition of NODE_TRANSITION_TABLE.transitions) {
    it(`reaches ${transition.id}`, async () => {
      const path = pathEndingIn(transition.id);
      expect(path, `no path in NODE_PATHS takes ${transition.id}`).not.toBeNull();
      const driver = await runNodePath(path!);
      const last = driver.transitionsOf(path!.node)[path!.steps.length - 1];
      expect(last.transition.id).toBe(transition.id);
    });
  }

  for (const path of NODE_PATHS) {
    it(`runs path "${path.name}" to its end`, async () => {
      const driver = await runNodePath(path);
      expect(driver.transitionsOf(path.node).map((taken) => taken.transition.id)).toEqual(
        modelSteps(path).map((step) => step.transition.id),
      );
      driver.finishAll();
    });
  }
});

describe("coverage of the path runs", () => {
  it("merges to every transition of the model", async () => {
    const merged = new CoverageRecorder();
    for (const path of NODE_PATHS) {
      const coverage = new CoverageRecorder();
      const driver = await runNodePath(path, { coverage });
      driver.finishAll();
      merged.merge(JSON.parse(JSON.stringify(coverage.toJSON())));
    }
    const total = NODE_TRANSITION_TABLE.transitions.length;
    expect(formatCoverageSummary(merged)).toBe(`transitions covered ${total}/${total}`);
    expect(merged.toJSON().entries).toContainEqual(
      expect.objectContaining({ transition: "localFree --POP_FREE--> offList", relation: "other", locks: ["other loc_l lock"] }),
    );
  });
});

describe("refinement on the RFC as posted", () => {
  // In the RFC, __local_list_add_pending leaves node->cpu at the CPU the node
  // was stolen from, so the later bpf_lru_push_free takes that CPU's lock and
  // moves the node off another CPU's pending list.
  const stolen: NodePath = {
    name: "push_free of a stolen node",
    story: "CPU 1 steals the node from CPU 0's free list and links it; delete on CPU 0 then frees it",
    params: { variant: "rfc" },
    node: 0,
    steps: [...pathNamed("delete frees a pending node locally").steps, { event: "LINK", cpu: 1 }, { event: "UNLINK", cpu: 0 }, { event: "PUSH_FREE", cpu: 0 }],
  };

  async function faultOf(run: Promise<unknown>): Promise<SubjectFault> {
    const failure = await run.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SubjectFault);
    return failure as SubjectFault;
  }

  it("flags the stale cpu field of a stolen node", async () => {
    const fault = await faultOf(runNodePath(stolen));
    expect(fault.property).toBe("model-owner-cpu");
    expect(fault.message).toContain("node 0 is pending on CPU 1 in the model, but its cpu field is 0");
  });

  it("rejects push_free of a stolen node", async () => {
    const fault = await faultOf(runNodePath(stolen, { checkStates: false }));
    expect(fault.property).toBe("model-refinement");
    expect(fault.message).toContain("pending@1");
    expect(fault.message).toContain("local-free@0");
    expect(fault.message).toContain("CPU 0 does not hold loc_l[1].lock");
  });
});
