/**
 * Named behaviours of the port. "rfc" is the RFC exactly as posted; every
 * other variant is one explicit correction, and the only place the port may
 * differ from the RFC.
 */

export interface VariantInfo {
  readonly name: string;
  readonly description: string;
}

export const VARIANTS = [
  { name: "rfc", description: "The RFC as posted, bugs included." },
  {
    name: "steal-sets-cpu",
    description: "__local_list_add_pending also sets node->cpu to the receiving CPU, as the merged kernel does.",
  },
] as const satisfies readonly VariantInfo[];

export type Variant = (typeof VARIANTS)[number]["name"];

export const DEFAULT_VARIANT: Variant = "rfc";

export function isVariant(name: string): name is Variant {
  return VARIANTS.some((variant) => variant.name === name);
}

/**
 * A condition without which the checker cannot find a seeded bug, whatever
 * the programs:
 * - "concurrency": some CPU must be preempted inside an operation. When the
 *   CPUs run their programs one after another, no property breaks.
 * - "small-map": max_entries < LOCAL_FREE_TARGET x CPUs (on one CPU,
 *   max_entries < LOCAL_FREE_TARGET). Only then can a trip to the global
 *   list get fewer than LOCAL_FREE_TARGET free nodes and also find the
 *   active and inactive lists empty. Each CPU's local lists hold at most
 *   LOCAL_FREE_TARGET nodes, because a trip fills them to that at most and a
 *   CPU steals only when it holds none, so the nodes such a trip cannot reach
 *   are all held by the other CPUs.
 */
export type MutantNeed = "concurrency" | "small-map";

export interface MutantInfo extends VariantInfo {
  /** The real mistake the seeded bug stands for. */
  readonly imitates: string;
  /**
   * Conditions without which it cannot be found. A seeded bug with none may
   * still need two or more CPUs, as every bug in the steal path does.
   */
  readonly needs: readonly MutantNeed[];
}

/**
 * Seeded bugs that the port can switch on, each at one spot in impl/ that
 * tests `this.mutant` against its name beside the RFC line it breaks. The
 * checker must find every one of them (`bpf-lru-check mutants --run`).
 */
export const MUTANTS = [
  {
    name: "move-forgets-count-inc",
    description: "__bpf_lru_node_move decrements the old list's count but never increments the new one's.",
    imitates: "One half of a paired counter update lost in an edit.",
    needs: [],
  },
  {
    name: "move-out-keeps-rotation-cursor",
    description: "__bpf_lru_node_move_out leaves next_inactive_rotation pointing at the node it moves to a local list.",
    imitates: "A cursor into a list not stepped back when the node it points at is removed.",
    needs: [],
  },
  {
    name: "move-out-forgets-cpu",
    description: "__bpf_lru_node_move_out leaves node->cpu at the CPU the node last belonged to.",
    imitates: "The RFC's own fault in __local_list_add_pending: a node's owner CPU not recorded when it changes lists.",
    needs: [],
  },
  {
    name: "flush-ignores-ref",
    description: "__local_list_flush moves every pending node to the inactive list, referenced or not.",
    imitates: "A ref bit that is ignored where it should decide the target list.",
    needs: [],
  },
  {
    name: "list-push-free-skips-global-lock",
    description: "bpf_lru_list_push_free moves a node onto the global free list without taking lru_list.lock.",
    imitates: "Dropping a lock from a short critical section that looks too small to race.",
    needs: [],
  },
  {
    name: "shrink-skips-del-from-htab",
    description: "__bpf_lru_list_shrink_inactive moves an unreferenced node to the local free list without del_from_htab.",
    imitates: "An eviction that frees the LRU node but forgets to unlink the element that still uses it.",
    needs: [],
  },
  {
    name: "force-shrink-takes-tail",
    description: "__bpf_lru_list_shrink force-shrinks the tail of the chosen list without checking that the list has a node.",
    imitates: "Assuming a list is non-empty: if the inactive list is empty, the active list cannot be.",
    needs: ["small-map"],
  },
  {
    name: "add-pending-keeps-ref",
    description: "__local_list_add_pending keeps the ref bit that the node had on the free list.",
    imitates: "A ref bit not cleared when a node is reused for a new element.",
    needs: [],
  },
  {
    name: "pop-free-locks-next-cpu",
    description: "bpf_lru_pop_free locks the local list of the next CPU and then works on its own CPU's lists.",
    imitates: "Locking through the wrong per-CPU pointer, such as per_cpu_ptr(list, cpu + 1) for this_cpu_ptr.",
    needs: [],
  },
  {
    name: "steal-skips-victim-lock",
    description: "The steal loop of bpf_lru_pop_free pops from another CPU's local lists without that CPU's lock.",
    imitates: "Treating another CPU's per-CPU list as if only its owner could touch it.",
    needs: [],
  },
  {
    name: "steal-walk-one-short",
    description: "The round-robin steal of bpf_lru_pop_free stops one CPU early and never tries the last CPU of its walk.",
    imitates: "An off-by-one walk bound: a loop over the other CPUs that forgets it starts at its own.",
    needs: ["small-map"],
  },
  {
    name: "push-free-skips-local-lock",
    description: "bpf_lru_push_free moves a pending node to the local free list without taking loc_l->lock.",
    imitates: "A fast path written without the lock because the node is \"ours\" once its element is unlinked.",
    needs: [],
  },
  {
    name: "push-free-skips-type-recheck",
    description: "bpf_lru_push_free trusts its unlocked read of node->type and frees a node that was flushed to the global list meanwhile.",
    imitates: "A check made before taking a lock and not repeated under it (time of check to time of use).",
    needs: ["concurrency"],
  },
  {
    name: "update-checks-flags-before-lock",
    description: "htab_lru_map_update_elem looks up the old element and checks the flags before taking the bucket lock.",
    imitates: "A lookup moved out of the critical section to shorten it (time of check to time of use).",
    needs: ["concurrency"],
  },
  {
    name: "update-error-leaks-node",
    description: "htab_lru_map_update_elem returns its flags error without giving the new element's node back.",
    imitates: "An error path that forgets to free what the function took before the check.",
    needs: [],
  },
  {
    name: "update-frees-new-on-replace",
    description: "htab_lru_map_update_elem, after replacing an element, gives back the new element's node instead of the old one.",
    imitates: "Freeing the wrong one of two similarly named pointers (l_new for l_old).",
    needs: [],
  },
  {
    name: "delete-frees-under-bucket-lock",
    description: "htab_lru_map_delete_elem calls bpf_lru_push_free before releasing the bucket lock.",
    imitates: "Freeing inside the critical section, which orders the bucket lock before the LRU locks that eviction takes first.",
    needs: [],
  },
  {
    name: "del-from-htab-searches-before-lock",
    description: "htab_lru_map_delete_node searches the bucket for the node before taking the bucket lock.",
    imitates: "A lockless search whose result is used under a lock taken afterwards (time of check to time of use).",
    needs: ["concurrency"],
  },
  {
    name: "rotate-active-walks-one-more",
    description: "__bpf_lru_list_rotate_active stops after MAX_WALKS + 1 nodes instead of MAX_WALKS.",
    imitates: "A loop bound off by one: the counter compared after the increment against the wrong limit.",
    needs: [],
  },
  {
    name: "get-free-takes-one-more",
    description: "__bpf_lru_list_get_free moves LOCAL_FREE_TARGET + 1 nodes to the local free list.",
    imitates: "A batch size off by one: the count tested before the node it counts is moved.",
    needs: [],
  },
] as const satisfies readonly MutantInfo[];

export type MutantName = (typeof MUTANTS)[number]["name"];

export function isMutant(name: string): name is MutantName {
  return MUTANTS.some((mutant) => mutant.name === name);
}

/** Returns `name` as a seeded-bug name; null, undefined and names not in MUTANTS give null. */
export function mutantNameOrNull(name: string | null | undefined): MutantName | null {
  return name !== null && name !== undefined && isMutant(name) ? name : null;
}

/**
 * The variant seeded bugs are switched into. It is the RFC with its one
 * known fault fixed, so that a violation under a mutant is the mutant's and
 * not the RFC's own.
 */
export const MUTANT_BASE_VARIANT: Variant = "steal-sets-cpu";
