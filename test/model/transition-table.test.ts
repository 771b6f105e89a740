import { createMachine, setup, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { nodeMachine } from "../../model/node-machine.ts";
import {
  EVENT_COUNT,
  NODE_TRANSITION_TABLE,
  STATE_COUNT,
  buildTransitionTable,
  satisfiedConditions,
  selectTransition,
} from "../../model/transition-table.ts";
import type { HeldLocks, NodeContext, NodeEvent, NodeStateName } from "../../model/vocabulary.ts";
import { EVENT_TYPES, HTAB_LINKS, NODE_STATES, applyEffect, heldLockMask } from "../../model/vocabulary.ts";
import { Place } from "../../impl/events.ts";

const CPUS = [0, 1];
const ALL_HELD: HeldLocks = { global: true, local: CPUS, bucket: true };

function* contexts(): Generator<{ state: NodeStateName; context: NodeContext }> {
  for (const state of NODE_STATES) {
    for (const owner of [-1, ...CPUS]) {
      for (const ref of [false, true]) {
        for (const htab of HTAB_LINKS) yield { state, context: { owner, ref, htab } };
      }
    }
  }
}

function* heldVariants(): Generator<HeldLocks> {
  for (const global of [false, true]) {
    for (const local of [[], [0], [1], [0, 1]]) {
      for (const bucket of [false, true]) yield { global, local, bucket };
    }
  }
}

/** Returns the flat table's decision for `event`: the transition and the next state and context, or null. */
function flatStep(state: NodeStateName, context: NodeContext, event: NodeEvent) {
  const stateIndex = NODE_STATES.indexOf(state);
  const candidates = NODE_TRANSITION_TABLE.candidates[stateIndex * EVENT_COUNT + EVENT_TYPES.indexOf(event.type)];
  const held = heldLockMask(event.held, event.cpu, context.owner);
  const conditions = satisfiedConditions(
    context.owner,
    context.ref,
    HTAB_LINKS.indexOf(context.htab),
    event.cpu,
    event.fromCpu,
    event.toCpu,
  );
  const chosen = selectTransition(candidates, held, conditions);
  if (chosen === null) return null;
  return { chosen, state: chosen.target ?? state, context: applyEffect(chosen.effect, context, event.cpu) };
}

function xstateStep(state: NodeStateName, context: NodeContext, event: NodeEvent) {
  const snapshot = nodeMachine.resolveState({ value: state, context });
  const taken = nodeMachine.getTransitionData(snapshot, event);
  if (taken.length === 0) return null;
  const [next] = transition(nodeMachine, snapshot, event);
  return { definition: taken[0], state: next.value as NodeStateName, context: next.context };
}

describe("flat transition table", () => {
  it("agrees with xstate on every state, context and event", () => {
    let compared = 0;
    let enabled = 0;
    for (const { state, context } of contexts()) {
      for (const type of EVENT_TYPES) {
        for (const cpu of CPUS) {
          for (const fromCpu of [-1, ...CPUS]) {
            for (const toCpu of [-1, ...CPUS]) {
              const event: NodeEvent = { type, cpu, fromCpu, toCpu, held: ALL_HELD };
              const flat = flatStep(state, context, event);
              const machine = xstateStep(state, context, event);
              const where = `${state} ${JSON.stringify(context)} ${JSON.stringify(event)}`;
              expect(flat === null, where).toBe(machine === null);
              if (flat === null || machine === null) continue;
              expect(flat.chosen.definition, where).toBe(machine.definition);
              expect(flat.state, where).toBe(machine.state);
              expect(flat.context, where).toEqual(machine.context);
              enabled++;
            }
          }
          compared++;
        }
      }
    }
    expect(compared).toBe(STATE_COUNT * 3 * 2 * 4 * EVENT_TYPES.length * CPUS.length);
    expect(enabled).toBeGreaterThan(1000);
  });

  it("agrees with xstate on every set of held locks", () => {
    for (const { state, context } of contexts()) {
      for (const type of EVENT_TYPES) {
        for (const cpu of CPUS) {
          for (const toCpu of new Set([-1, cpu, context.owner])) {
            for (const held of heldVariants()) {
              const event: NodeEvent = { type, cpu, fromCpu: context.owner, toCpu, held };
              const flat = flatStep(state, context, event);
              const snapshot = nodeMachine.resolveState({ value: state, context });
              const taken = nodeMachine.getTransitionData(snapshot, event);
              const where = `${state} ${JSON.stringify(context)} ${JSON.stringify(event)}`;
              expect(flat?.chosen.definition ?? null, where).toBe(taken[0] ?? null);
            }
          }
        }
      }
    }
  });

  it("names one event for each move between two places", () => {
    const eventOf = (from: Place, to: Place): string | undefined =>
      EVENT_TYPES[NODE_TRANSITION_TABLE.moveEvent[from * STATE_COUNT + to]];
    expect(eventOf(Place.GlobalFree, Place.LocalFree)).toBe("GET_FREE");
    expect(eventOf(Place.Pending, Place.OffList)).toBe("POP_PENDING");
    expect(eventOf(Place.Pending, Place.LocalFree)).toBe("PUSH_FREE");
    expect(eventOf(Place.Active, Place.Active)).toBe("ROTATE");
    expect(eventOf(Place.Pending, Place.GlobalFree)).toBeUndefined();
    expect(eventOf(Place.LocalFree, Place.Pending)).toBeUndefined();
  });

  it("gives every transition a unique id and an RFC function", () => {
    const ids = NODE_TRANSITION_TABLE.transitions.map((transition) => transition.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("pending --PUSH_FREE--> localFree [unlinked]");
    expect(ids).toContain("pending --PUSH_FREE--> localFree [unused, actorOwns]");
    for (const transition of NODE_TRANSITION_TABLE.transitions) expect(transition.fn, transition.id).toMatch(/^[a-z_]+$/);
  });

  const otherStates = { globalFree: {}, localFree: {}, pending: {}, offList: {}, inactive: {} };

  it("rejects a guard it cannot flatten", () => {
    const machine = createMachine({
      initial: "active",
      states: {
        ...otherStates,
        active: { on: { ROTATE: { target: "inactive", guard: () => true, meta: { fn: "f", performer: "p" } } } },
      },
    });
    expect(() => buildTransitionTable(machine)).toThrow(/unsupported guard/);
  });

  it("rejects two events for the same move", () => {
    const machine = setup({ guards: { enabled: () => true } }).createMachine({
      initial: "active",
      states: {
        ...otherStates,
        active: {
          on: {
            ROTATE: { target: "inactive", meta: { fn: "f", performer: "p" } },
            SHRINK: { target: "inactive", meta: { fn: "g", performer: "p" } },
          },
        },
      },
    });
    expect(() => buildTransitionTable(machine)).toThrow(/both ROTATE and SHRINK move a node from active to inactive/);
  });
});
