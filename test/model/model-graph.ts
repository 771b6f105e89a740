/**
 * The node model as xstate/graph explores it in tests: every event type on
 * every CPU, with every lock held, so that only the model's conditions limit
 * the traversal.
 */
import type { SnapshotFrom } from "xstate";
import { createTestModel } from "xstate/graph";
import { MODEL_CPUS } from "../../model/constants.ts";
import type { NodeMachine } from "../../model/node-machine.ts";
import { nodeMachine } from "../../model/node-machine.ts";
import type { ModelTransition } from "../../model/transition-table.ts";
import { NODE_TRANSITION_TABLE } from "../../model/transition-table.ts";
import type { HeldLocks, NodeEvent } from "../../model/vocabulary.ts";
import { EVENT_TYPES } from "../../model/vocabulary.ts";

export type NodeSnapshot = SnapshotFrom<NodeMachine>;

const CPUS = Array.from({ length: MODEL_CPUS }, (_, cpu) => cpu);
export const ALL_LOCKS_HELD: HeldLocks = { global: true, local: CPUS, bucket: true };

/** Lists every event on every CPU that leaves the node's owner list (if it has one) and joins any list. */
export function candidateEvents(snapshot: NodeSnapshot): NodeEvent[] {
  const events: NodeEvent[] = [];
  for (const type of EVENT_TYPES) {
    for (const cpu of CPUS) {
      for (const toCpu of [-1, ...CPUS]) {
        events.push({ type, cpu, fromCpu: snapshot.context.owner, toCpu, held: ALL_LOCKS_HELD });
      }
    }
  }
  return events;
}

export function createNodeTestModel() {
  return createTestModel(nodeMachine, { events: candidateEvents });
}

/** Returns the model transition `event` takes from `snapshot`, or null if none is enabled. */
export function transitionTaken(snapshot: NodeSnapshot, event: NodeEvent): ModelTransition | null {
  const [definition] = nodeMachine.getTransitionData(snapshot, event);
  if (definition === undefined) return null;
  const transition = NODE_TRANSITION_TABLE.transitions.find((candidate) => candidate.definition === definition);
  if (transition === undefined) throw new Error(`test: xstate took a transition the flat table does not list: ${definition.eventType}`);
  return transition;
}
