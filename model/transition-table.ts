/**
 * The node machine flattened into arrays, for the refinement check that runs
 * on every node move of every checker step.
 *
 * The table is read from the xstate machine once: each transition's source,
 * target, event, guard parameters (locks, conditions), effect parameters and
 * metadata. Nothing here restates a rule of the model; a test compares this
 * table's decisions with xstate's on every state, context and event.
 */
import type { AnyStateMachine } from "xstate";
import { nodeMachine } from "./node-machine.ts";
import type { Condition, Effect, GuardParams, LockSymbol, NodeEventType, NodeStateName, TransitionMeta } from "./vocabulary.ts";
import { CONDITIONS, EVENT_TYPES, HTAB_LINKS, LOCK_BIT, NODE_STATES } from "./vocabulary.ts";

export const STATE_COUNT = NODE_STATES.length;
export const EVENT_COUNT = EVENT_TYPES.length;

/** Effect codes of the flat table. */
export const OWNER_KEEP = 0;
export const OWNER_ACTOR = 1;
export const OWNER_NONE = 2;
export const REF_KEEP = 0;
export const REF_CLEAR = 1;
export const REF_SET = 2;
/** htab code that keeps the node's hash-table standing; other codes index HTAB_LINKS. */
export const HTAB_KEEP = -1;

export interface ModelTransition {
  /** Position in `TransitionTable.transitions`, stable for a given machine. */
  readonly index: number;
  /** Readable key such as "pending --FLUSH--> active", or "* --REF_SET" for a transition of every state. */
  readonly id: string;
  readonly event: NodeEventType;
  readonly eventIndex: number;
  /** The state the transition leaves, or null for a transition declared on the machine's root (every state). */
  readonly source: NodeStateName | null;
  /** The state the node enters, or null when it stays where it is. */
  readonly target: NodeStateName | null;
  readonly targetIndex: number;
  readonly locks: readonly LockSymbol[];
  readonly lockMask: number;
  readonly when: readonly Condition[];
  readonly whenMask: number;
  readonly effect: Effect;
  readonly ownerCode: number;
  readonly refCode: number;
  readonly htabCode: number;
  readonly fn: string;
  readonly performer: string;
  /** The xstate transition definition this entry was read from. */
  readonly definition: unknown;
}

export interface TransitionTable {
  readonly transitions: readonly ModelTransition[];
  /**
   * `candidates[state * EVENT_COUNT + event]`: the transitions xstate tries
   * for that event in that state, in its order (the state's own, then the root's).
   */
  readonly candidates: readonly (readonly ModelTransition[])[];
  /** `moveEvent[from * STATE_COUNT + to]`: index of the event that moves a node from `from` to `to`, or -1. */
  readonly moveEvent: Int8Array;
}

const OWNER_CODES = { keep: OWNER_KEEP, actor: OWNER_ACTOR, none: OWNER_NONE } as const;
const REF_CODES = { keep: REF_KEEP, clear: REF_CLEAR, set: REF_SET } as const;

interface TransitionDefinitionShape {
  readonly eventType: string;
  readonly target?: readonly { readonly key: string }[];
  readonly guard?: unknown;
  readonly actions: readonly unknown[];
  readonly meta?: unknown;
}

interface StateNodeShape {
  readonly key: string;
  readonly transitions: ReadonlyMap<string, readonly TransitionDefinitionShape[]>;
  readonly states: Readonly<Record<string, StateNodeShape>>;
}

function tableError(id: string, problem: string): Error {
  return new Error(`node model: transition ${id} ${problem}; the flat table supports only the "enabled" guard and "effect" actions`);
}

function readGuard(id: string, guard: unknown): GuardParams {
  if (guard === undefined) return { locks: [], when: [] };
  const candidate = guard as { type?: unknown; params?: GuardParams };
  if (typeof guard !== "object" || candidate.type !== "enabled" || candidate.params === undefined) {
    throw tableError(id, `has an unsupported guard ${JSON.stringify(guard)}`);
  }
  return candidate.params;
}

function readEffect(id: string, actions: readonly unknown[]): Effect {
  let merged: Effect = {};
  for (const action of actions) {
    const candidate = action as { type?: unknown; params?: Effect };
    if (typeof action !== "object" || candidate.type !== "effect" || candidate.params === undefined) {
      throw tableError(id, `has an unsupported action ${JSON.stringify(action)}`);
    }
    merged = { ...merged, ...candidate.params };
  }
  return merged;
}

function readMeta(id: string, meta: unknown): TransitionMeta {
  const candidate = meta as Partial<TransitionMeta> | undefined;
  if (candidate === undefined || typeof candidate.fn !== "string" || typeof candidate.performer !== "string") {
    throw new Error(`node model: transition ${id} has no meta.fn and meta.performer naming the RFC function and who runs it`);
  }
  return { fn: candidate.fn, performer: candidate.performer };
}

function stateIndex(name: string): number {
  const index = (NODE_STATES as readonly string[]).indexOf(name);
  if (index < 0) throw new Error(`node model: state "${name}" is not one of ${NODE_STATES.join(", ")}`);
  return index;
}

function eventIndex(name: string): number {
  const index = (EVENT_TYPES as readonly string[]).indexOf(name);
  if (index < 0) throw new Error(`node model: event "${name}" is not one of ${EVENT_TYPES.join(", ")}`);
  return index;
}

function compile(index: number, source: NodeStateName | null, definition: TransitionDefinitionShape): ModelTransition {
  const event = definition.eventType as NodeEventType;
  const targets = definition.target ?? [];
  if (targets.length > 1) throw new Error(`node model: a ${event} transition has ${targets.length} targets; a node is in one place`);
  const target = targets.length === 1 ? (NODE_STATES[stateIndex(targets[0].key)] as NodeStateName) : null;
  const id = `${source ?? "*"} --${event}${target === null ? "" : `--> ${target}`}`;

  const guard = readGuard(id, definition.guard);
  const effect = readEffect(id, definition.actions);
  const meta = readMeta(id, definition.meta);

  let lockMask = 0;
  for (const lock of guard.locks) lockMask |= LOCK_BIT[lock];
  let whenMask = 0;
  for (const condition of guard.when) whenMask |= 1 << CONDITIONS.indexOf(condition);

  return {
    index,
    id,
    event,
    eventIndex: eventIndex(event),
    source,
    target,
    targetIndex: target === null ? -1 : stateIndex(target),
    locks: guard.locks,
    lockMask,
    when: guard.when,
    whenMask,
    effect,
    ownerCode: OWNER_CODES[effect.owner ?? "keep"],
    refCode: REF_CODES[effect.ref ?? "keep"],
    htabCode: effect.htab === undefined ? HTAB_KEEP : HTAB_LINKS.indexOf(effect.htab),
    fn: meta.fn,
    performer: meta.performer,
    definition,
  };
}

/**
 * Makes every id unique: transitions with the same source, event and target
 * get the conditions that tell them apart appended, such as "[unused, actorOwns]".
 */
function disambiguateIds(transitions: ModelTransition[]): void {
  const groups = new Map<string, ModelTransition[]>();
  for (const transition of transitions) {
    const group = groups.get(transition.id) ?? [];
    group.push(transition);
    groups.set(transition.id, group);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const transition of group) {
      const own = transition.when.filter((condition) => !group.every((other) => other.when.includes(condition)));
      const suffixed = { ...transition, id: `${transition.id} [${own.join(", ")}]` };
      transitions[transition.index] = suffixed;
    }
  }
  const ids = new Set(transitions.map((transition) => transition.id));
  if (ids.size !== transitions.length) {
    throw new Error("node model: two transitions with the same source, event and target have the same conditions");
  }
}

/** Reads the flat transition table out of `machine`, which must be shaped like the node machine. */
export function buildTransitionTable(machine: AnyStateMachine = nodeMachine): TransitionTable {
  const root = machine.root as unknown as StateNodeShape;
  const transitions: ModelTransition[] = [];

  for (const definitions of root.transitions.values()) {
    for (const definition of definitions) transitions.push(compile(transitions.length, null, definition));
  }
  for (const name of NODE_STATES) {
    const stateNode = root.states[name];
    if (stateNode === undefined) throw new Error(`node model: the machine has no state "${name}"`);
    for (const definitions of stateNode.transitions.values()) {
      for (const definition of definitions) transitions.push(compile(transitions.length, name, definition));
    }
  }
  disambiguateIds(transitions);

  // xstate tries a state's own transitions for an event before its parent's;
  // the root's transitions are reached only when the state declares none.
  const own: ModelTransition[][] = Array.from({ length: STATE_COUNT * EVENT_COUNT }, () => []);
  const rootByEvent: ModelTransition[][] = Array.from({ length: EVENT_COUNT }, () => []);
  for (const transition of transitions) {
    if (transition.source === null) rootByEvent[transition.eventIndex].push(transition);
    else own[stateIndex(transition.source) * EVENT_COUNT + transition.eventIndex].push(transition);
  }
  const candidates = own.map((list, slot) => (list.length > 0 ? list : rootByEvent[slot % EVENT_COUNT]));

  const moveEvent = new Int8Array(STATE_COUNT * STATE_COUNT).fill(-1);
  for (const transition of transitions) {
    if (transition.source === null || transition.target === null) continue;
    const slot = stateIndex(transition.source) * STATE_COUNT + transition.targetIndex;
    const earlier = moveEvent[slot];
    if (earlier >= 0 && earlier !== transition.eventIndex) {
      throw new Error(
        `node model: both ${EVENT_TYPES[earlier]} and ${transition.event} move a node from ${transition.source} to ${transition.target}, ` +
          "so a reported move cannot name its event",
      );
    }
    moveEvent[slot] = transition.eventIndex;
  }

  return { transitions, candidates, moveEvent };
}

/** The node machine's table, built once when this module loads. */
export const NODE_TRANSITION_TABLE: TransitionTable = buildTransitionTable();

const bit = (condition: Condition): number => 1 << CONDITIONS.indexOf(condition);
const FROM_OWNER = bit("fromOwner");
const TO_ACTOR = bit("toActor");
const TO_OWNER = bit("toOwner");
const ACTOR_OWNS = bit("actorOwns");
const REFERENCED = bit("referenced");
const UNREFERENCED = bit("unreferenced");
const UNUSED = bit("unused");
const LINKED = bit("linked");
const UNLINKED = bit("unlinked");
const EVICTED = bit("evicted");
const NOT_EVICTED = bit("notEvicted");
const HTAB_BITS = [UNUSED | NOT_EVICTED, LINKED | NOT_EVICTED, UNLINKED | NOT_EVICTED, EVICTED];

/**
 * Bit mask of the CONDITIONS that hold, in CONDITIONS order, for a node with
 * `owner`, `ref` and `htab` (an index into HTAB_LINKS). This restates
 * conditionHolds without a call per condition, because it runs on every
 * reported event; the table test compares the two on every input.
 */
export function satisfiedConditions(owner: number, ref: boolean, htab: number, cpu: number, fromCpu: number, toCpu: number): number {
  let mask = HTAB_BITS[htab] | (ref ? REFERENCED : UNREFERENCED);
  if (fromCpu === owner) mask |= FROM_OWNER;
  if (toCpu === cpu) mask |= TO_ACTOR;
  if (toCpu === owner) mask |= TO_OWNER;
  if (cpu === owner) mask |= ACTOR_OWNS;
  return mask;
}

/**
 * Returns the first candidate transition enabled under `heldMask` (a
 * LOCK_BIT mask) and `conditionMask` (from satisfiedConditions), or null.
 */
export function selectTransition(
  candidates: readonly ModelTransition[],
  heldMask: number,
  conditionMask: number,
): ModelTransition | null {
  for (let i = 0; i < candidates.length; i++) {
    const transition = candidates[i];
    if ((transition.lockMask & ~heldMask) === 0 && (transition.whenMask & ~conditionMask) === 0) return transition;
  }
  return null;
}
