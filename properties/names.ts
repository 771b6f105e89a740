/**
 * Names of every property the checker reports, in the order the README's
 * table lists them. A trace's expected violation must be one of them.
 */
export const PROPERTY_NAMES = [
  "list-structure",
  "no-warn",
  "node-on-one-list",
  "nodes-conserved",
  "node-type-matches-list",
  "local-node-cpu-matches-list",
  "counts-match-lengths",
  "rotation-cursor-valid",
  "hash-table-agrees-with-lists",
  "model-refinement",
  "model-owner-cpu",
  "model-reachable-free",
  "capacity",
  "no-leak",
  "map-semantics",
  "progress",
  "lock-order",
  "no-deadlock",
  "step-bound",
  "no-crash",
  "walk-bound",
  "local-batch-bound",
  "lock-release",
] as const;

export type PropertyName = (typeof PROPERTY_NAMES)[number];

export function isPropertyName(name: string): name is PropertyName {
  return (PROPERTY_NAMES as readonly string[]).includes(name);
}
