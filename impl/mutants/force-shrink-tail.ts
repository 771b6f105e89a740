/**
 * The force shrink of the seeded bug "force-shrink-takes-tail": it takes
 * list_last_entry(force_shrink_list) instead of walking the list, so it
 * tries one node only and assumes the list has one.
 *
 * On an empty list the kernel's list_last_entry returns the list head cast
 * to a node, and del_from_htab would read a hash from the lock and counts
 * beside the head. The port cannot follow a head as a node: entryOf raises
 * SubjectFault("list-structure") at that point instead.
 */
import type { CpuId, Sim } from "../../harness/points.ts";
import type { BpfLru } from "../bpf-lru.ts";
import type { ListHead } from "../list.ts";
import { entryOf } from "../list.ts";
import type { BpfLruLocallist } from "../lru-node.ts";

/** Force-shrinks the tail of `forceShrinkList` if del_from_htab removes its element; returns how many nodes it moved (0 or 1). */
export function* forceShrinkTail(lru: BpfLru, cpu: CpuId, locL: BpfLruLocallist, forceShrinkList: ListHead): Sim<number> {
  const tail = entryOf(forceShrinkList.prev, forceShrinkList);
  if (!(yield* lru.delFromHtab(cpu, tail))) return 0;

  lru.lruList.__bpfLruNodeMoveOut(cpu, locL, tail);
  return 1;
}
