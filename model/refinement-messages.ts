/**
 * Messages of the refinement check. They are built only when a check fails,
 * so they may allocate freely. Each names the node, both places with their
 * CPUs, the acting CPU, the locks it holds and the locks the model requires,
 * the conditions that failed, and the RFC function of the model's transition.
 */
import type { ModelTransition } from "./transition-table.ts";
import type { Condition, LockSymbol } from "./vocabulary.ts";
import { LOCK_BIT } from "./vocabulary.ts";

export interface FailureFacts {
  readonly node: number;
  readonly event: string;
  readonly cpu: number;
  readonly fromCpu: number;
  readonly toCpu: number;
  /** The state the port moved the node to, or null for an event that moves nothing. */
  readonly to: string | null;
  /** Description of the port's action, such as "bpf_lru_push_free moving it from pending@1 to local-free@0". */
  readonly what: string;
  readonly modelState: string;
  readonly owner: number;
  /** Index of the event key's bucket, or null when the checker has no hash function. */
  readonly bucket: number | null;
  readonly candidates: readonly ModelTransition[];
  readonly chosen: ModelTransition | null;
  readonly held: number;
  readonly conditions: number;
  readonly heldLockNames: readonly string[];
  readonly conditionNames: readonly Condition[];
  readonly conditionText: Readonly<Record<Condition, string>>;
}

/** Returns the port's name of the lock that `symbol` is, for an event by `cpu` on a node owned by `owner`. */
export function lockName(symbol: LockSymbol, cpu: number, owner: number, bucket: number | null): string {
  switch (symbol) {
    case "lru_list.lock":
      return "lru_list.lock";
    case "loc_l[actor].lock":
      return `loc_l[${cpu}].lock`;
    case "loc_l[owner].lock":
      return owner >= 0 ? `loc_l[${owner}].lock` : "loc_l[owner].lock of a node with no owner";
    case "bucket[key].lock":
      return bucket === null ? "the lock of the key's bucket" : `bucket[${bucket}].lock`;
  }
}

function conditionFacts(condition: Condition, facts: FailureFacts): string {
  switch (condition) {
    case "fromOwner":
      return ` (it left the list of CPU ${facts.fromCpu}, owner is ${describeOwner(facts.owner)})`;
    case "toActor":
      return ` (it joined the list of CPU ${facts.toCpu}, acting CPU is ${facts.cpu})`;
    case "toOwner":
      return ` (it joined the list of CPU ${facts.toCpu}, owner is ${describeOwner(facts.owner)})`;
    case "actorOwns":
      return ` (acting CPU is ${facts.cpu}, owner is ${describeOwner(facts.owner)})`;
    default:
      return "";
  }
}

function describeOwner(owner: number): string {
  return owner >= 0 ? `CPU ${owner}` : "none";
}

/** Explains why `transition` is not enabled (missing locks, failed conditions), as a sentence without its leading "The". */
function describeBlocked(transition: ModelTransition, facts: FailureFacts): string {
  const required = transition.locks.map((lock) => lockName(lock, facts.cpu, facts.owner, facts.bucket));
  const missing = transition.locks
    .filter((lock) => (facts.held & LOCK_BIT[lock]) === 0)
    .map((lock) => lockName(lock, facts.cpu, facts.owner, facts.bucket));
  const failed = transition.when
    .filter((condition) => (facts.conditions & (1 << facts.conditionNames.indexOf(condition))) === 0)
    .map((condition) => `${facts.conditionText[condition]}${conditionFacts(condition, facts)}`);

  const parts = [
    `model's ${transition.id} (${transition.fn}, by ${transition.performer}) requires ` +
      (required.length === 0 ? "no lock" : required.join(" and ")),
  ];
  if (missing.length > 0) parts.push(`CPU ${facts.cpu} does not hold ${missing.join(" or ")}`);
  if (failed.length > 0) parts.push(`it also requires that ${failed.join(", and that ")}`);
  return parts.join("; ");
}

/** Builds the message of a rejected event. */
export function describeFailure(facts: FailureFacts): string {
  const held = facts.heldLockNames.length === 0 ? "no lock" : facts.heldLockNames.join(", ");
  const head =
    `node ${facts.node}: CPU ${facts.cpu} in ${facts.what} is not a ${facts.event} step of the model. ` +
    `The model has the node in ${facts.modelState}; CPU ${facts.cpu} holds ${held}.`;

  if (facts.candidates.length === 0) {
    return `${head} The model has no ${facts.event} transition from that state.`;
  }
  if (facts.chosen !== null) {
    return (
      `${head} The model's ${facts.chosen.id} (${facts.chosen.fn}) is the enabled ${facts.event} transition, ` +
      `but the port moved the node to ${facts.to ?? "no other state"}.`
    );
  }

  const matching = facts.candidates.filter((transition) => transition.target === facts.to);
  const explained = matching.length > 0 ? matching : facts.candidates;
  const reasons = explained.map((transition, i) => `${i === 0 ? "The" : "Otherwise, the"} ${describeBlocked(transition, facts)}.`);
  return `${head} ${reasons.join(" ")}`;
}
