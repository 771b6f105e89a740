/**
 * Constants for exploring and testing the node model, kept apart from the
 * machine as a TLA+ model keeps its MC constants apart from its spec. The
 * machine itself holds for any number of CPUs.
 */

/** CPUs the graph traversal and the path tests instantiate the model with. */
export const MODEL_CPUS = 2;

/**
 * Port parameters for the path tests: small enough that a path's port
 * operations move only the node under test and the few helper nodes a
 * scenario names. A scenario may override them.
 */
export const PATH_PORT_PARAMS = {
  nrCpus: MODEL_CPUS,
  maxEntries: 1,
  localFreeTarget: 1,
  maxWalks: 4,
  buckets: 4,
  /** The RFC leaves node.cpu stale after a steal, which the refinement rejects; the path tests use the merged kernel's fix. */
  variant: "steal-sets-cpu",
} as const;
