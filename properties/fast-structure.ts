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
  /**
   * Open-addressing table of the keys met in this scan's bucket walks, to
   * find a key linked twice: slots hold a key and the scan that wrote it.
   */
  private readonly keySlots: Int32Array;
  private readonly keyStamps: Int32Array;
  /** Per CPU: local free, pending and held off-list nodes, for local-batch-bound. */
  private readonly localTotal: Int32Array;
  private scan = 0;

  constructor(private readonly map: HtabLru) {
    this.nodeCount = map.elems.length;
    this.seenOnList = new Int32Array(this.nodeCount);
    this.seenInBucket = new Int32Array(this.nodeCount);
    this.place = new Int8Array(this.nodeCount);
    this.localTotal = new Int32Array(map.lru.localList.length);
    let slots = 4;
    while (slots < 2 * this.nodeCount) slots *= 2;
    this.keySlots = new Int32Array(slots);
    this.keyStamps = new Int32Array(slots);
  }

  /**
   * Returns true when the lists-well-formed, no-warn, node-on-one-list,
   * nodes-conserved, node-type-matches-list, local-node-cpu-matches-list,
   * counts-match-lengths, rotation-cursor-valid, hash-table-agrees-with-lists,
   * local-batch-bound and capacity properties all hold, and, when `idle`,
   * no-leak too.
   */
  sound(holderOf: Int16Array, idle: boolean): boolean {
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
    for (let id = 0; id < this.nodeCount; id++) {
      const holder = holderOf[id];
      if (holder >= 0) this.localTotal[holder]++;
    }
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
      if ((this.seenOnList[id] === scan) === holderOf[id] >= 0) return false;
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
        if (elem.bucket !== null && !this.addKey(elem.key, scan)) return -1;
        linked++;
      }
    }
    return linked;
  }

  /** Adds `key` to this scan's key table; returns false when it is there already. */
  private addKey(key: number, scan: number): boolean {
    const mask = this.keySlots.length - 1;
    for (let slot = Math.imul(key, 0x9e3779b1) >>> 0 & mask; ; slot = (slot + 1) & mask) {
      if (this.keyStamps[slot] !== scan) {
        this.keyStamps[slot] = scan;
        this.keySlots[slot] = key;
        return true;
      }
      if (this.keySlots[slot] === key) return false;
    }
  }
}
