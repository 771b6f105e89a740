import { readFileSync } from "node:fs";
import { createMachine } from "xstate";
import { describe, expect, it } from "vitest";
import { modelAsJson, modelAsMarkdownTable, modelAsMermaid } from "../../model/diagram.ts";
import { NODE_TRANSITION_TABLE, buildTransitionTable } from "../../model/transition-table.ts";
import { DIAGRAM_PATH, README_PATH, ROOT_README_PATH, replaceSection, updatedReadme, updatedRootReadme } from "../../model/write-diagram.ts";

describe("model diagrams", () => {
  it("committed diagram.mmd is up to date", () => {
    const committed = readFileSync(DIAGRAM_PATH, "utf8");
    expect(committed, "model/diagram.mmd is stale: regenerate it with `npx tsx model/write-diagram.ts`").toBe(modelAsMermaid());
  });

  it("project README's diagram is up to date", () => {
    const readme = readFileSync(ROOT_README_PATH, "utf8");
    expect(readme, "README.md is stale: regenerate it with `npx tsx model/write-diagram.ts`").toBe(updatedRootReadme(readme));
  });

  it("README's diagram and table are up to date", () => {
    const readme = readFileSync(README_PATH, "utf8");
    expect(readme, "model/README.md is stale: regenerate it with `npx tsx model/write-diagram.ts`").toBe(updatedReadme(readme));
    expect(readme).toContain(modelAsMarkdownTable());
    expect(readme).toContain(`\`\`\`mermaid\n${modelAsMermaid()}\`\`\``);
  });

  it("replaces only the marked section", () => {
    const text = "intro\n<!-- part:start -->\nold\n<!-- part:end -->\noutro\n";
    expect(replaceSection(text, "part", "new\n")).toBe("intro\n<!-- part:start -->\nnew\n<!-- part:end -->\noutro\n");
    expect(() => replaceSection("no markers", "part", "x")).toThrow(/README has no section/);
  });

  it("draws every transition with its locks", () => {
    const mermaid = modelAsMermaid();
    expect(mermaid.startsWith("stateDiagram-v2\n  [*] --> globalFree\n")).toBe(true);
    expect(mermaid).toContain("  globalFree --> localFree : GET_FREE (toActor) / lru_list.lock + loc_l[actor].lock\n");
    expect(mermaid).toContain("  pending --> pending : EVICT (linked) / loc_l[owner].lock + bucket[key].lock\n");
    expect(mermaid).toContain("REF_SET in every state / no lock (bpf_lru_node_set_ref)");
    const arrows = mermaid.split("\n").filter((line) => / --> /.test(line) && !line.includes("[*]"));
    const rooted = NODE_TRANSITION_TABLE.transitions.filter((transition) => transition.source === null).length;
    expect(arrows).toHaveLength(NODE_TRANSITION_TABLE.transitions.length - rooted);
  });

  it("lists every transition in the Markdown table", () => {
    const rows = modelAsMarkdownTable().trimEnd().split("\n");
    expect(rows).toHaveLength(NODE_TRANSITION_TABLE.transitions.length + 2);
    expect(rows).toContain(
      "| pending | POP_PENDING | offList | `__local_list_pop_pending` | `loc_l[owner].lock` | fromOwner, evicted | owner := actor, element unused |",
    );
  });

  it("exports JSON that xstate can load again", () => {
    const json = JSON.parse(modelAsJson());
    expect(Object.keys(json.states).sort()).toEqual(["active", "globalFree", "inactive", "localFree", "offList", "pending"]);
    const getFree = json.states.globalFree.on.GET_FREE[0];
    expect(getFree.guard).toEqual({ type: "enabled", params: { locks: ["lru_list.lock", "loc_l[actor].lock"], when: ["toActor"] } });
    expect(getFree.meta.fn).toBe("__bpf_lru_list_get_free");

    const summary = (table: typeof NODE_TRANSITION_TABLE) =>
      table.transitions.map(({ id, locks, when, effect, fn }) => ({ id, locks, when, effect, fn }));
    const reloaded = buildTransitionTable(createMachine(json));
    expect(summary(reloaded)).toEqual(summary(NODE_TRANSITION_TABLE));
  });
});
