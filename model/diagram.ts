/**
 * The node machine as a Mermaid state diagram and as the JSON definition
 * that xstate and Stately's tools read, both generated from the machine.
 */
import { nodeMachine } from "./node-machine.ts";
import type { ModelTransition, TransitionTable } from "./transition-table.ts";
import { NODE_TRANSITION_TABLE } from "./transition-table.ts";
import type { NodeStateName } from "./vocabulary.ts";

/** States in lifecycle order, which is the order the diagram lists them in. */
const LIFECYCLE: readonly NodeStateName[] = ["globalFree", "localFree", "offList", "pending", "active", "inactive"];

function lockLabel(transition: ModelTransition): string {
  return transition.locks.length === 0 ? "no lock" : transition.locks.join(" + ");
}

/** Builds the label of a transition's arrow: event, conditions in parentheses, then the locks it needs. */
function edgeLabel(transition: ModelTransition): string {
  const when = transition.when.length === 0 ? "" : ` (${transition.when.join(", ")})`;
  return `${transition.event}${when} / ${lockLabel(transition)}`;
}

/** Returns the kernel list a state is, from the state's `meta.list`. */
function listOf(state: NodeStateName): string {
  const meta = nodeMachine.root.states[state]?.meta as { list?: unknown } | undefined;
  if (typeof meta?.list !== "string") throw new Error(`node model: state ${state} has no meta.list naming its kernel list`);
  return meta.list;
}

/**
 * Draws the machine as a Mermaid `stateDiagram-v2`. Each state shows its
 * kernel list, and every transition is an arrow labelled with its event, its
 * conditions and the locks it needs. Events that leave the node where it is
 * are self-loops, and transitions of every state (the root's) are a note.
 */
export function modelAsMermaid(table: TransitionTable = NODE_TRANSITION_TABLE): string {
  const initial = nodeMachine.root.initial?.target[0]?.key;
  if (initial === undefined) throw new Error("node model: the machine has no initial state");
  const lines = ["stateDiagram-v2", `  [*] --> ${initial}`];

  for (const state of LIFECYCLE) lines.push(`  ${state} : ${listOf(state)}`);
  for (const state of LIFECYCLE) {
    for (const transition of table.transitions) {
      if (transition.source !== state) continue;
      lines.push(`  ${state} --> ${transition.target ?? state} : ${edgeLabel(transition)}`);
    }
  }
  for (const transition of table.transitions) {
    if (transition.source !== null) continue;
    lines.push(`  note right of ${initial}`, `    ${transition.event} in every state / ${lockLabel(transition)} (${transition.fn})`, "  end note");
  }
  return `${lines.join("\n")}\n`;
}

function describeEffect(transition: ModelTransition): string {
  const parts: string[] = [];
  if (transition.effect.owner === "actor") parts.push("owner := actor");
  if (transition.effect.owner === "none") parts.push("no owner");
  if (transition.effect.ref === "clear") parts.push("ref := 0");
  if (transition.effect.ref === "set") parts.push("ref := 1");
  if (transition.effect.htab !== undefined) parts.push(`element ${transition.effect.htab}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/**
 * Renders the transition table as Markdown: one row per transition, in
 * lifecycle order, with the RFC function, the locks, the conditions and the
 * effect on the context.
 */
export function modelAsMarkdownTable(table: TransitionTable = NODE_TRANSITION_TABLE): string {
  const rows = ["| from | event | to | RFC function | locks | conditions | effect |", "| --- | --- | --- | --- | --- | --- | --- |"];
  const ordered = [
    ...LIFECYCLE.flatMap((state) => table.transitions.filter((transition) => transition.source === state)),
    ...table.transitions.filter((transition) => transition.source === null),
  ];
  for (const transition of ordered) {
    const cells = [
      transition.source ?? "any",
      transition.event,
      transition.target ?? "(stays)",
      `\`${transition.fn}\``,
      transition.locks.length === 0 ? "none" : transition.locks.map((lock) => `\`${lock}\``).join(", "),
      transition.when.length === 0 ? "none" : transition.when.join(", "),
      describeEffect(transition),
    ];
    rows.push(`| ${cells.join(" | ")} |`);
  }
  return `${rows.join("\n")}\n`;
}

/** Returns the machine's definition as JSON (xstate's `machine.toJSON()`), with guard and action parameters and transition metadata. */
export function modelAsJson(): string {
  return `${JSON.stringify(nodeMachine.toJSON(), null, 2)}\n`;
}
