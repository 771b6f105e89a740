/**
 * An allocation-free scan of the live port that decides whether every
 * structural property holds. It runs after every step that changed the
 * lists or the table. Only when it finds a problem does the checker build a
 * snapshot and run the named property functions of structure.ts and
 * progress.ts, which throw the violation with its message. The two must
 * agree, and the checker reports a harness bug when they do not.
 */
import { Place } from "../impl/events.ts";
import type { HtabLru } from "../impl/htab-lru.ts";
import type { ListHead } from "../impl/list.ts";
import { BPF_LRU_LIST_T_ACTIVE, BPF_LRU_LIST_T_FREE, BPF_LRU_LIST_T_INACTIVE } from "../impl/lru-node.ts";

export class StructureScan {
  private readonly nodeCount: number;
  /** Per node: the scan number in which a list walk met it. */
  private readonly seenOnList: Int32Array;
  /** Per node: the scan number in which a bucket walk met it. */
  private readonly seenInBucket: Int32Array;
  private readonly place: Int8Array;
  /** Per key met in a bucket walk: the scan number, to find a key linked twice. */
  private readonly keySeen = new Map<number, number>();
  /** Per CPU: local free, pending and held off-list nodes, for local-batch-bound. */
  private readonly localTotal: Int32Array;
  private scan = 0;

  constructor(private readonly map: HtabLru) {
    this.nodeCount = map.elems.length;
    this.seenOnList = new Int32Array(this.nodeCount);
    this.seenInBucket = new Int32Array(this.nodeCount);
    this.place = new Int8Array(this.nodeCount);
    this.localTotal = new Int32Array(map.lru.localList.length);
  }

  /**
   * Returns true when the lists-well-formed, no-warn, node-on-one-list,
   * nodes-conserved, node-type-matches-list, local-node-cpu-matches-list,
   * counts-match-lengths, rotation-cursor-valid, hash-table-agrees-with-lists,
   * local-batch-bound and capacity properties all hold, and, when `idle`,
   * no-leak too.
   */
  sound(holders: ReadonlyMap<number, number>, idle: boolean): boolean {
    const lru = this.map.lru;
    const l = lru.lruList;
    const scan = ++this.scan;
    if (lru.warnings.entries.length > 0) return false;

    const active = this.walk(l.lists[BPF_LRU_LIST_T_ACTIVE], Place.Active, -1, scan);
    const inactive = this.walk(l.lists[BPF_LRU_LIST_T_INACTIVE], Place.Inactive, -1, scan);
    if (active < 0 || inactive < 0 || this.walk(l.lists[BPF_LRU_LIST_T_FREE], Place.GlobalFree, -1, scan) < 0) return false;
    for (const locL of lru.localList) {
      const free = this.walk(locL.lists[0], Place.LocalFree, locL.cpu, scan);
      const pending = this.walk(locL.lists[1], Place.Pending, locL.cpu, scan);
      if (free < 0 || pending < 0) return false;
      this.localTotal[locL.cpu] = free + pending;
    }
    for (const holder of holders.values()) this.localTotal[holder]++;
    for (let cpu = 0; cpu < this.localTotal.length; cpu++) {
      if (this.localTotal[cpu] > lru.localFreeTarget) return false;
    }

    if (l.counts[BPF_LRU_LIST_T_ACTIVE] !== active || l.counts[BPF_LRU_LIST_T_INACTIVE] !== inactive) return false;

    const cursor = l.nextInactiveRotation;
    if (cursor !== l.lists[BPF_LRU_LIST_T_INACTIVE]) {
      if (cursor.node === null) return false;
      const id = cursor.node.id;
      if (this.seenOnList[id] !== scan || this.place[id] !== Place.Inactive) return false;
    }

    for (let id = 0; id < this.nodeCount; id++) {
      if ((this.seenOnList[id] === scan) === holders.has(id)) return false;
    }

    const linked = this.walkBuckets(scan);
    if (linked < 0 || linked > this.map.maxEntries) return false;

    if (idle) {
      for (let id = 0; id < this.nodeCount; id++) {
        if (this.seenInBucket[id] === scan) continue;
        if (this.seenOnList[id] !== scan) return false;
        const place = this.place[id];
        if (place !== Place.GlobalFree && place !== Place.LocalFree) return false;
      }
    }
    return true;
  }

  /** Walks one list; returns its length, or -1 when a property fails on it. */
  private walk(head: ListHead, place: Place, cpu: number, scan: number): number {
    let length = 0;
    let previous = head;
    for (let pos = head.next; pos !== head; pos = pos.next) {
      const node = pos.node;
      if (pos.prev !== previous || node === null || length >= head.walkLimit) return -1;
      const id = node.id;
      if (this.seenOnList[id] === scan) return -1;
      this.seenOnList[id] = scan;
      this.place[id] = place;
      if (node.type !== place) return -1;
      if (cpu >= 0 && node.cpu !== cpu) return -1;
      length++;
      previous = pos;
    }
    return length;
  }

  /** Walks every bucket; returns the number of linked elements, or -1 when a property fails. */
  private walkBuckets(scan: number): number {
    const limit = this.nodeCount;
    let linked = 0;
    for (const bucket of this.map.buckets) {
      let length = 0;
      for (let elem = bucket.first; elem !== null; elem = elem.hashNext) {
        if (++length > limit) return -1;
        const id = elem.node.id;
        if (this.seenInBucket[id] === scan) return -1;
        this.seenInBucket[id] = scan;
        if (this.seenOnList[id] === scan) {
          const place = this.place[id];
          if (place === Place.GlobalFree || place === Place.LocalFree) return -1;
        }
        if (elem.bucket !== null) {
          if (this.keySeen.get(elem.key) === scan) return -1;
          this.keySeen.set(elem.key, scan);
        }
        linked++;
      }
    }
    return linked;
  }
}
