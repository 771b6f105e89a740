/**
 * The node model's vocabulary: its states, context, events, and the lock
 * symbols, conditions and effects that its transitions are written in.
 *
 * The xstate machine in node-machine.ts states every transition with these
 * words, as guard and action parameters. The flat table in
 * transition-table.ts reads the same parameters back from the machine, and a
 * test compares the two on every state and event.
 */

/**
 * The six places of one node, as xstate state names. The index of each name
 * is the `Place` value the port reports for it (impl/events.ts), so a Place
 * indexes this array directly.
 */
export const NODE_STATES = ["active", "inactive", "globalFree", "localFree", "pending", "offList"] as const;
export type NodeStateName = (typeof NODE_STATES)[number];

/** States whose node sits on, or is held by, one CPU: the model tracks that CPU as the owner. */
export const OWNED_STATES: readonly NodeStateName[] = ["localFree", "pending", "offList"];

/**
 * The node's standing in the hash table.
 * - unused: the node has no element, or has one that was never linked
 *   (between bpf_lru_pop_free and the link in update, or update failed).
 * - linked: the element is reachable from a bucket.
 * - unlinked: delete or a replacing update removed the element; that
 *   caller still owes bpf_lru_push_free for the node.
 * - evicted: del_from_htab removed the element on behalf of the LRU; the
 *   evicting CPU moves the node off its list in the same critical section.
 */
export const HTAB_LINKS = ["unused", "linked", "unlinked", "evicted"] as const;
export type HtabLink = (typeof HTAB_LINKS)[number];

export interface NodeContext {
  /**
   * CPU whose local list contains the node (local free, pending), or which
   * has taken it off every list; -1 on the global lists. Kept by the model's
   * own bookkeeping, never read from the port's node.cpu, so the two can be compared.
   */
  readonly owner: number;
  /** The ref bit: set by lookups, cleared by the moves whose effect clears it. */
  readonly ref: boolean;
  readonly htab: HtabLink;
}

export const INITIAL_CONTEXT: NodeContext = { owner: -1, ref: false, htab: "unused" };

/** Events that move the node from one list to another; each is one NodeMove of the port. */
export const MOVE_EVENT_TYPES = [
  "GET_FREE",
  "SHRINK",
  "FLUSH",
  "ROTATE",
  "PUSH_FREE",
  "POP_FREE",
  "POP_PENDING",
  "ADD_PENDING",
] as const;
/** Events that change the node's hash-table standing or its ref bit, without moving it. */
export const MAP_EVENT_TYPES = ["LINK", "UNLINK", "EVICT", "REF_SET"] as const;
export const EVENT_TYPES = [...MOVE_EVENT_TYPES, ...MAP_EVENT_TYPES] as const;
export type MoveEventType = (typeof MOVE_EVENT_TYPES)[number];
export type MapEventType = (typeof MAP_EVENT_TYPES)[number];
export type NodeEventType = MoveEventType | MapEventType;

/** Locks the acting CPU holds when it makes the event, as the guards see them. */
export interface HeldLocks {
  readonly global: boolean;
  /** CPUs whose local-list lock the acting CPU holds. */
  readonly local: readonly number[];
  /** Whether the acting CPU holds the lock of the bucket that the event's key hashes to. */
  readonly bucket: boolean;
}

/**
 * One event of the node. `fromCpu` and `toCpu` are the CPUs of the local
 * lists the node leaves and joins, as the port reports them, or -1 for a
 * global list, for OffList, and for events that move nothing.
 */
export interface NodeEvent {
  readonly type: NodeEventType;
  /** The CPU executing the code that makes the event. */
  readonly cpu: number;
  readonly fromCpu: number;
  readonly toCpu: number;
  readonly held: HeldLocks;
}

/**
 * Locks a transition requires the acting CPU to hold. "actor" is the acting
 * CPU, "owner" the CPU that owns the node in the model before the transition,
 * and "key" the bucket of the element's key.
 */
export const LOCK_SYMBOLS = ["lru_list.lock", "loc_l[actor].lock", "loc_l[owner].lock", "bucket[key].lock"] as const;
export type LockSymbol = (typeof LOCK_SYMBOLS)[number];

/** Bit of each lock symbol in a lock mask, in LOCK_SYMBOLS order. */
export const LOCK_BIT: Readonly<Record<LockSymbol, number>> = {
  "lru_list.lock": 1,
  "loc_l[actor].lock": 2,
  "loc_l[owner].lock": 4,
  "bucket[key].lock": 8,
};

/** Conditions on the model's context and the event, besides locks. */
export const CONDITIONS = [
  "fromOwner",
  "toActor",
  "toOwner",
  "actorOwns",
  "referenced",
  "unreferenced",
  "unused",
  "linked",
  "unlinked",
  "evicted",
  "notEvicted",
] as const;
export type Condition = (typeof CONDITIONS)[number];

/** Meaning of each condition, for messages. */
export const CONDITION_TEXT: Readonly<Record<Condition, string>> = {
  fromOwner: "the node leaves the local list of its owner CPU",
  toActor: "the node joins the acting CPU's local list",
  toOwner: "the node joins its owner CPU's local list",
  actorOwns: "the acting CPU owns the node",
  referenced: "the ref bit is set",
  unreferenced: "the ref bit is clear",
  unused: "the node holds no linked element",
  linked: "the node is reachable from the hash table",
  unlinked: "delete or a replacing update unlinked the element",
  evicted: "del_from_htab has just unlinked the node",
  notEvicted: "the node is not waiting to be moved off its list after del_from_htab",
};

/** Guard parameters of a transition: the locks it needs and the conditions that must hold. */
export interface GuardParams {
  readonly locks: readonly LockSymbol[];
  readonly when: readonly Condition[];
}

/** Effect parameters of a transition on the context; an absent field is kept. */
export interface Effect {
  readonly owner?: "actor" | "none";
  readonly ref?: "clear" | "set";
  readonly htab?: HtabLink;
}

/** Transition metadata: the RFC function that makes it and who runs that code. */
export interface TransitionMeta {
  readonly fn: string;
  readonly performer: string;
}

/** Returns the LOCK_BIT mask of the locks in `held`, relative to the event's actor and the node's owner. */
export function heldLockMask(held: HeldLocks, actor: number, owner: number): number {
  let mask = 0;
  if (held.global) mask |= LOCK_BIT["lru_list.lock"];
  if (held.local.includes(actor)) mask |= LOCK_BIT["loc_l[actor].lock"];
  if (owner >= 0 && held.local.includes(owner)) mask |= LOCK_BIT["loc_l[owner].lock"];
  if (held.bucket) mask |= LOCK_BIT["bucket[key].lock"];
  return mask;
}

/** Returns whether `condition` holds for a node with `owner`, `ref` and `htab` under an event by `cpu` from `fromCpu` to `toCpu`. */
export function conditionHolds(
  condition: Condition,
  owner: number,
  ref: boolean,
  htab: HtabLink,
  cpu: number,
  fromCpu: number,
  toCpu: number,
): boolean {
  switch (condition) {
    case "fromOwner":
      return fromCpu === owner;
    case "toActor":
      return toCpu === cpu;
    case "toOwner":
      return toCpu === owner;
    case "actorOwns":
      return cpu === owner;
    case "referenced":
      return ref;
    case "unreferenced":
      return !ref;
    case "unused":
      return htab === "unused";
    case "linked":
      return htab === "linked";
    case "unlinked":
      return htab === "unlinked";
    case "evicted":
      return htab === "evicted";
    case "notEvicted":
      return htab !== "evicted";
  }
}

/** Returns whether a transition with guard `params` is enabled for `event` on a node with `context`. */
export function guardHolds(params: GuardParams, context: NodeContext, event: NodeEvent): boolean {
  const held = heldLockMask(event.held, event.cpu, context.owner);
  for (const lock of params.locks) {
    if ((held & LOCK_BIT[lock]) === 0) return false;
  }
  for (const condition of params.when) {
    if (!conditionHolds(condition, context.owner, context.ref, context.htab, event.cpu, event.fromCpu, event.toCpu)) return false;
  }
  return true;
}

/** Returns the context after a transition with `effect`, made by `cpu`. */
export function applyEffect(effect: Effect, context: NodeContext, cpu: number): NodeContext {
  let owner = context.owner;
  if (effect.owner === "actor") owner = cpu;
  else if (effect.owner === "none") owner = -1;

  let ref = context.ref;
  if (effect.ref === "clear") ref = false;
  else if (effect.ref === "set") ref = true;

  return { owner, ref, htab: effect.htab ?? context.htab };
}

/**
 * Checks the model's invariant on a single node and returns the broken rule,
 * or null. A node reachable from the hash table is on no free list and not
 * off-list, and exactly the states that belong to one CPU have an owner.
 */
export function nodeInvariantViolation(state: NodeStateName, context: NodeContext): string | null {
  if (context.htab === "linked" && (state === "globalFree" || state === "localFree" || state === "offList")) {
    return `a node reachable from the hash table is in ${state}`;
  }
  const owned = OWNED_STATES.includes(state);
  if (owned && context.owner < 0) return `a node in ${state} has no owner CPU`;
  if (!owned && context.owner >= 0) return `a node in ${state} has owner CPU ${context.owner}, but ${state} is a global list`;
  return null;
}
