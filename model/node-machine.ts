/**
 * The lifecycle of one node of the BPF LRU list, as an xstate v5 machine,
 * derived from the 2016 RFC patch "bpf: LRU List" (kernel/bpf/bpf_lru_list.c)
 * and the LRU hash map that uses it (update, delete, del_from_htab).
 *
 * Each transition below is written the way a TLA+ action is: who performs
 * it, its guard (the locks the acting CPU holds and the conditions on the
 * node), and its effect (state, owner CPU, ref bit, hash-table standing).
 * Guards and effects are parameters of the `enabled` guard and the `effect`
 * action, so the refinement check reads them back from the machine instead
 * of restating them (transition-table.ts).
 *
 * What the model leaves out, and why that is sound for what it checks:
 * - List order, the rotation cursor, and the counts. They decide which node
 *   a walk picks next, never whether a move is allowed: each move of the RFC
 *   is legal for any node of the right list with the right ref bit and
 *   hash-table standing. The structural properties check order and counts.
 * - Other nodes. Every lock rule and ownership rule of the RFC is stated per
 *   node, so a per-node model checks each move completely. Interactions
 *   between nodes show up as a move of one node that breaks its own rule.
 * - Keys and values. Only whether the node is reachable matters to the
 *   lists; what the map returns is checked by the map-level properties.
 * - How many CPUs there are. Rules relate the acting CPU, the owner CPU and
 *   the CPU of the list a move names, so the model is the same for any count.
 * - Locks not named in a guard. A guard lists the locks that must be held,
 *   not those that must not be, because lock order and deadlock belong to
 *   the engine and the lock-order property.
 */
import { assign, setup } from "xstate";
import type { Effect, GuardParams, NodeContext, NodeEvent, TransitionMeta } from "./vocabulary.ts";
import { INITIAL_CONTEXT, applyEffect, guardHolds } from "./vocabulary.ts";

const GLOBAL = "lru_list.lock";
const ACTOR_LOCAL = "loc_l[actor].lock";
const OWNER_LOCAL = "loc_l[owner].lock";
const BUCKET = "bucket[key].lock";

/** Builds the `enabled` guard of a transition. */
function enabled(params: GuardParams): { type: "enabled"; params: GuardParams } {
  return { type: "enabled", params };
}

/** Builds the `effect` action of a transition. */
function effect(params: Effect): { type: "effect"; params: Effect } {
  return { type: "effect", params };
}

function meta(fn: string, performer: string): TransitionMeta {
  return { fn, performer };
}

/**
 * LINK: update links the node's element into its bucket.
 * Who: the CPU running update, which popped the node to its own pending
 * list. Nothing moves the node off that list before the link. Only the
 * owner flushes its pending list, and it is busy in this update. Only the
 * updater itself frees a node that was never linked (when its flags fail).
 * A steal takes only evicted nodes.
 * Guard: holds the bucket lock; owns the node; the node holds no linked element.
 * Effect: the node becomes reachable.
 */
const LINK = {
  guard: enabled({ locks: [BUCKET], when: ["actorOwns", "unused"] }),
  actions: effect({ htab: "linked" }),
  meta: meta("htab_lru_map_update_elem", "the updating CPU, which owns the node"),
};

/**
 * UNLINK: delete removes the element, or update replaces it with a new one.
 * Who: any CPU running delete or update on the node's key.
 * Guard: holds the bucket lock; the node is reachable.
 * Effect: unreachable; that CPU now owes bpf_lru_push_free for the node.
 */
const UNLINK = {
  guard: enabled({ locks: [BUCKET], when: ["linked"] }),
  actions: effect({ htab: "unlinked" }),
  meta: meta("htab_lru_map_delete_elem", "a deleting or replacing CPU"),
};

/**
 * EVICT from the global active or inactive list: del_from_htab, called by
 * __bpf_lru_list_shrink_inactive or the force shrink of __bpf_lru_list_shrink.
 * Who: a CPU refilling its local free list in bpf_lru_list_pop_free.
 * Guard: holds lru_list.lock (the walk's lock) and the bucket lock; reachable.
 * Effect: unreachable and marked evicted, so only SHRINK may move it next.
 */
const EVICT_GLOBAL = {
  guard: enabled({ locks: [GLOBAL, BUCKET], when: ["linked"] }),
  actions: effect({ htab: "evicted" }),
  meta: meta("del_from_htab", "a CPU shrinking the global list"),
};

export const nodeMachine = setup({
  types: {
    context: {} as NodeContext,
    events: {} as NodeEvent,
  },
  guards: {
    enabled: ({ context, event }, params: GuardParams) => guardHolds(params, context, event),
  },
  actions: {
    effect: assign(({ context, event }, params: Effect) => applyEffect(params, context, event.cpu)),
  },
}).createMachine({
  id: "bpfLruNode",
  description: "One node of the BPF LRU list (2016 RFC), from the point of view of the locks and CPUs that move it",
  initial: "globalFree",
  context: INITIAL_CONTEXT,
  on: {
    /**
     * REF_SET: bpf_lru_node_set_ref, in a lookup or, for the new node, in an
     * update that replaces an element.
     * Who: any CPU. A lookup that found the node may set the bit late, after
     * the node was unlinked, freed or reused, because lookups take no lock.
     * Guard: none. Effect: ref set; the node stays where it is.
     */
    REF_SET: {
      actions: effect({ ref: "set" }),
      meta: meta("bpf_lru_node_set_ref", "any CPU in a lookup, or a replacing update"),
    },
  },
  states: {
    globalFree: {
      meta: { list: "BPF_LRU_LIST_T_FREE" },
      description: "On the global free list (BPF_LRU_LIST_T_FREE); every node starts here after bpf_lru_populate",
      on: {
        /**
         * GET_FREE: __bpf_lru_list_get_free moves the node to the local free
         * list (via __bpf_lru_node_move_out).
         * Who: CPU c in bpf_lru_pop_free, refilling its own local list.
         * Guard: c holds lru_list.lock and loc_l[c].lock; the target list is c's.
         * Effect: local free of c; the ref bit is kept (move_out leaves it).
         */
        GET_FREE: {
          target: "localFree",
          guard: enabled({ locks: [GLOBAL, ACTOR_LOCAL], when: ["toActor"] }),
          actions: effect({ owner: "actor" }),
          meta: meta("__bpf_lru_list_get_free", "a CPU refilling its own local free list"),
        },
      },
    },
    localFree: {
      meta: { list: "BPF_LRU_LOCAL_LIST_T_FREE" },
      description: "On the free list of its owner CPU's local list (BPF_LRU_LOCAL_LIST_T_FREE)",
      on: {
        /**
         * POP_FREE: __local_list_pop_free unlinks the node from the free list
         * of CPU v.
         * Who: CPU c in bpf_lru_pop_free, from its own list (c = v) or
         * stealing from another CPU's list (c != v).
         * Guard: c holds loc_l[v].lock; v is the node's owner.
         * Effect: off-list, owned by c.
         */
        POP_FREE: {
          target: "offList",
          guard: enabled({ locks: [OWNER_LOCAL], when: ["fromOwner"] }),
          actions: effect({ owner: "actor" }),
          meta: meta("__local_list_pop_free", "a CPU popping from its own or another CPU's local free list"),
        },
      },
    },
    offList: {
      meta: { list: "on no list" },
      description: "On no list, held by its owner CPU between a pop and __local_list_add_pending",
      on: {
        /**
         * ADD_PENDING: __local_list_add_pending puts the node on the pending
         * list of the CPU that popped it.
         * Who: the owner CPU c, right after its pop or its steal.
         * Guard: c holds loc_l[c].lock; c owns the node and the target list is c's.
         * Effect: pending on c, ref cleared.
         */
        ADD_PENDING: {
          target: "pending",
          guard: enabled({ locks: [ACTOR_LOCAL], when: ["actorOwns", "toOwner"] }),
          actions: effect({ ref: "clear" }),
          meta: meta("__local_list_add_pending", "the CPU that popped the node"),
        },
      },
    },
    pending: {
      meta: { list: "BPF_LRU_LOCAL_LIST_T_PENDING" },
      description: "On the pending list of its owner CPU's local list (BPF_LRU_LOCAL_LIST_T_PENDING)",
      on: {
        /**
         * FLUSH: __local_list_flush moves every pending node of CPU c to the
         * global list (via __bpf_lru_node_move_in): referenced nodes to the
         * active list, the others to the inactive list.
         * Who: CPU c in bpf_lru_list_pop_free, on its own list only.
         * Guard: c holds loc_l[c].lock and lru_list.lock; c owns the node; the
         * ref bit picks the target; not awaiting its move after an eviction.
         * Effect: active or inactive, no owner, ref cleared.
         */
        FLUSH: [
          {
            target: "active",
            guard: enabled({ locks: [OWNER_LOCAL, GLOBAL], when: ["fromOwner", "actorOwns", "referenced", "notEvicted"] }),
            actions: effect({ owner: "none", ref: "clear" }),
            meta: meta("__local_list_flush", "the owner CPU refilling its local free list"),
          },
          {
            target: "inactive",
            guard: enabled({ locks: [OWNER_LOCAL, GLOBAL], when: ["fromOwner", "actorOwns", "unreferenced", "notEvicted"] }),
            actions: effect({ owner: "none", ref: "clear" }),
            meta: meta("__local_list_flush", "the owner CPU refilling its local free list"),
          },
        ],
        /**
         * PUSH_FREE (fast path): bpf_lru_push_free moves a pending node of
         * CPU c straight to c's local free list. Two callers qualify:
         * - any CPU that unlinked the element (delete or a replacing update);
         * - the owner c itself, in an update whose flags failed before the
         *   link (the node has no element).
         * Guard: holds loc_l[c].lock of the owner c, the CPU whose pending
         * list holds the node (the RFC takes the lock of node.cpu); the node
         * returns to c's free list; one of the two callers above.
         * Effect: local free of c, ref cleared, no element.
         */
        PUSH_FREE: [
          {
            target: "localFree",
            guard: enabled({ locks: [OWNER_LOCAL], when: ["fromOwner", "toOwner", "unlinked"] }),
            actions: effect({ ref: "clear", htab: "unused" }),
            meta: meta("bpf_lru_push_free", "the CPU that unlinked the element"),
          },
          {
            target: "localFree",
            guard: enabled({ locks: [OWNER_LOCAL], when: ["fromOwner", "toOwner", "unused", "actorOwns"] }),
            actions: effect({ ref: "clear" }),
            meta: meta("bpf_lru_push_free", "the owner CPU, after its update failed on the flags"),
          },
        ],
        /**
         * POP_PENDING: __local_list_pop_pending steals the node from the
         * pending list of CPU v, once del_from_htab unlinked it.
         * Who: CPU c in the steal loop of bpf_lru_pop_free (c may equal v).
         * Guard: c holds loc_l[v].lock; v owns the node; evicted.
         * Effect: off-list, owned by c, no element.
         */
        POP_PENDING: {
          target: "offList",
          guard: enabled({ locks: [OWNER_LOCAL], when: ["fromOwner", "evicted"] }),
          actions: effect({ owner: "actor", htab: "unused" }),
          meta: meta("__local_list_pop_pending", "a CPU stealing from a pending list"),
        },
        LINK,
        UNLINK,
        /**
         * EVICT from a pending list: del_from_htab, called by
         * __local_list_pop_pending.
         * Who: CPU c stealing from the pending list of the owner v.
         * Guard: c holds loc_l[v].lock and the bucket lock; reachable.
         * Effect: unreachable and marked evicted, so only POP_PENDING may move it next.
         */
        EVICT: {
          guard: enabled({ locks: [OWNER_LOCAL, BUCKET], when: ["linked"] }),
          actions: effect({ htab: "evicted" }),
          meta: meta("del_from_htab", "a CPU stealing from a pending list"),
        },
      },
    },
    active: {
      meta: { list: "BPF_LRU_LIST_T_ACTIVE" },
      description: "On the global active list (BPF_LRU_LIST_T_ACTIVE)",
      on: {
        /**
         * ROTATE: __bpf_lru_list_rotate_active walks the active list from its
         * tail: a referenced node goes back to the head of the active list,
         * an unreferenced one to the inactive list (via __bpf_lru_node_move).
         * Who: any CPU in bpf_lru_list_pop_free.
         * Guard: holds lru_list.lock; the ref bit picks the target; not
         * awaiting its move after an eviction.
         * Effect: active or inactive, ref cleared.
         */
        ROTATE: [
          {
            target: "active",
            guard: enabled({ locks: [GLOBAL], when: ["referenced", "notEvicted"] }),
            actions: effect({ ref: "clear" }),
            meta: meta("__bpf_lru_list_rotate_active", "a CPU refilling its local free list"),
          },
          {
            target: "inactive",
            guard: enabled({ locks: [GLOBAL], when: ["unreferenced", "notEvicted"] }),
            actions: effect({ ref: "clear" }),
            meta: meta("__bpf_lru_list_rotate_active", "a CPU refilling its local free list"),
          },
        ],
        /**
         * SHRINK (forced): __bpf_lru_list_shrink takes the node from the
         * active list, ignoring the ref bit, when the inactive list is empty
         * and __bpf_lru_list_shrink_inactive freed nothing (via __bpf_lru_node_move_out).
         * Who: CPU c refilling its own local free list.
         * Guard: c holds lru_list.lock and loc_l[c].lock; evicted; the target is c's list.
         * Effect: local free of c, no element; the ref bit is kept.
         */
        SHRINK: {
          target: "localFree",
          guard: enabled({ locks: [GLOBAL, ACTOR_LOCAL], when: ["toActor", "evicted"] }),
          actions: effect({ owner: "actor", htab: "unused" }),
          meta: meta("__bpf_lru_list_shrink", "a CPU refilling its own local free list"),
        },
        /**
         * PUSH_FREE (global): bpf_lru_list_push_free moves the node to the
         * global free list (via __bpf_lru_node_move).
         * Who: any CPU that unlinked the node's element. An update whose
         * flags failed frees a node that is still on its own pending list,
         * because only that CPU could have flushed it, so it takes the fast path.
         * Guard: holds lru_list.lock; the element was unlinked.
         * Effect: global free, ref cleared, no element.
         */
        PUSH_FREE: {
          target: "globalFree",
          guard: enabled({ locks: [GLOBAL], when: ["unlinked"] }),
          actions: effect({ ref: "clear", htab: "unused" }),
          meta: meta("bpf_lru_list_push_free", "the CPU that unlinked the element"),
        },
        UNLINK,
        EVICT: EVICT_GLOBAL,
      },
    },
    inactive: {
      meta: { list: "BPF_LRU_LIST_T_INACTIVE" },
      description: "On the global inactive list (BPF_LRU_LIST_T_INACTIVE)",
      on: {
        /**
         * ROTATE: a referenced inactive node moves to the head of the active
         * list, by __bpf_lru_list_rotate_inactive or by
         * __bpf_lru_list_shrink_inactive (via __bpf_lru_node_move).
         * Unreferenced nodes stay where they are, which is no move.
         * Who: any CPU in bpf_lru_list_pop_free.
         * Guard: holds lru_list.lock; referenced; not awaiting its move after an eviction.
         * Effect: active, ref cleared.
         */
        ROTATE: {
          target: "active",
          guard: enabled({ locks: [GLOBAL], when: ["referenced", "notEvicted"] }),
          actions: effect({ ref: "clear" }),
          meta: meta("__bpf_lru_list_rotate_inactive", "a CPU refilling its local free list"),
        },
        /**
         * SHRINK: __bpf_lru_list_shrink_inactive moves an unreferenced node,
         * or the force shrink of __bpf_lru_list_shrink any node, to the local
         * free list once del_from_htab unlinked it (via __bpf_lru_node_move_out).
         * The model does not require the ref bit to be clear, because a
         * NodeMove does not say which of the two made it.
         * Who: CPU c refilling its own local free list.
         * Guard: c holds lru_list.lock and loc_l[c].lock; evicted; the target is c's list.
         * Effect: local free of c, no element; the ref bit is kept.
         */
        SHRINK: {
          target: "localFree",
          guard: enabled({ locks: [GLOBAL, ACTOR_LOCAL], when: ["toActor", "evicted"] }),
          actions: effect({ owner: "actor", htab: "unused" }),
          meta: meta("__bpf_lru_list_shrink_inactive", "a CPU refilling its own local free list"),
        },
        /** PUSH_FREE (global): as from the active list. */
        PUSH_FREE: {
          target: "globalFree",
          guard: enabled({ locks: [GLOBAL], when: ["unlinked"] }),
          actions: effect({ ref: "clear", htab: "unused" }),
          meta: meta("bpf_lru_list_push_free", "the CPU that unlinked the element"),
        },
        UNLINK,
        EVICT: EVICT_GLOBAL,
      },
    },
  },
});

export type NodeMachine = typeof nodeMachine;
