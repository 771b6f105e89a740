/**
 * The LRU hash map that the BPF LRU list serves: kernel/bpf/hashtab.c's
 * BPF_MAP_TYPE_LRU_HASH as merged beside the list in late 2016
 * (htab_lru_map_update_elem, htab_lru_map_delete_elem,
 * htab_lru_map_lookup_elem, htab_lru_map_delete_node), over preallocated
 * elements with one spinlock per bucket.
 *
 * Keys and values are integers. Element i embeds LRU node i; all elements
 * are populated into the LRU's global free list when the map is created.
 */
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST, ERRNO } from "../checker/types.ts";
import type { CpuId, LockOps, Sim } from "../harness/points.ts";
import { SpinLock, SubjectFault } from "../harness/points.ts";
import type { LruObserver, MapEvent } from "./events.ts";
import { BpfLru, bpfLruPopulate } from "./bpf-lru.ts";
import { BUCKET_READ, LruNode, NODE_REF_WRITE, bpfLruNodeSetRef } from "./lru-node.ts";
import { DEFAULT_VARIANT, MUTANTS, VARIANTS, isMutant, isVariant, mutantNameOrNull } from "./variants.ts";
import type { MutantName } from "./variants.ts";

export interface HtabLruParams {
  /** Possible CPUs, 1 to 64. */
  readonly nrCpus: number;
  /** Preallocated elements, at least 1. */
  readonly maxEntries: number;
  /** LOCAL_FREE_TARGET, at least 1. */
  readonly localFreeTarget: number;
  /** MAX_WALKS, at least 1. */
  readonly maxWalks: number;
  /** Number of hash buckets, a power of two. */
  readonly buckets: number;
  /** Hash of a key, a u32; defaults to `multiplicativeHash`. */
  readonly hash?: (key: number) => number;
  /** A name from VARIANTS; defaults to "rfc". */
  readonly variant?: string;
  /** A name from MUTANTS, or null for none. */
  readonly mutant?: string | null;
}

/**
 * Knuth's multiplicative hash: the key's low 32 bits times 2654435761
 * (2^32 divided by the golden ratio, rounded to odd), modulo 2^32. The
 * product's low bits are a bijection of the key's low bits, so consecutive
 * small keys fill distinct buckets.
 */
export function multiplicativeHash(key: number): number {
  return Math.imul(key | 0, 0x9e3779b1) >>> 0;
}

/** struct htab_elem: a preallocated element with its hash list link and its LRU node. */
export class HtabElem {
  key = 0;
  value = 0;
  /** hlist link: the next element in the bucket, and the previous one (null when first). */
  hashNext: HtabElem | null = null;
  hashPrev: HtabElem | null = null;
  /** Shadow: the bucket the element is linked into, or null when it is in none. */
  bucket: Bucket | null = null;

  constructor(readonly node: LruNode) {}

  /** The element's hash, which bpf_lru_pop_free stored in the node. */
  get hash(): number {
    return this.node.hash;
  }
}

/** struct bucket: an hlist head and its lock. */
export class Bucket {
  first: HtabElem | null = null;
  readonly lock: SpinLock;

  constructor(readonly index: number) {
    this.lock = new SpinLock(`bucket[${index}].lock`);
  }
}

const { ENOENT, ENOMEM, EEXIST, EINVAL } = ERRNO;

function checkParam(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

function validateParams(params: HtabLruParams): void {
  const { nrCpus, maxEntries, localFreeTarget, maxWalks, buckets } = params;
  checkParam(Number.isInteger(nrCpus) && nrCpus >= 1 && nrCpus <= 64, `invalid nrCpus ${nrCpus}: expected an integer from 1 to 64`);
  checkParam(Number.isInteger(maxEntries) && maxEntries >= 1, `invalid maxEntries ${maxEntries}: expected an integer of at least 1`);
  checkParam(
    Number.isInteger(localFreeTarget) && localFreeTarget >= 1,
    `invalid localFreeTarget ${localFreeTarget}: expected an integer of at least 1`,
  );
  checkParam(
    Number.isInteger(maxWalks) && maxWalks >= 1,
    `invalid maxWalks ${maxWalks}: expected an integer of at least 1 (the inactive rotation needs one walk to set its cursor)`,
  );
  checkParam(isPowerOfTwo(buckets) && buckets <= 2 ** 30, `invalid buckets ${buckets}: expected a power of two from 1 to 2^30`);
  const variant = params.variant ?? DEFAULT_VARIANT;
  checkParam(isVariant(variant), `invalid variant "${variant}": expected one of ${VARIANTS.map((v) => v.name).join(", ")}`);
  const mutant = params.mutant ?? null;
  checkParam(
    mutant === null || isMutant(mutant),
    `invalid mutant "${mutant}": expected null or one of [${MUTANTS.map((m) => m.name).join(", ")}]`,
  );
}

/** BPF_MAP_TYPE_LRU_HASH with preallocated elements and the common (not per-CPU) LRU. */
export class HtabLru {
  readonly lru: BpfLru;
  readonly elems: readonly HtabElem[];
  readonly buckets: readonly Bucket[];
  readonly maxEntries: number;
  readonly mutant: MutantName | null;
  private readonly hashFn: (key: number) => number;

  constructor(
    params: HtabLruParams,
    private readonly ops: LockOps,
    private readonly observer: LruObserver,
  ) {
    validateParams(params);
    this.maxEntries = params.maxEntries;
    this.mutant = mutantNameOrNull(params.mutant);
    this.hashFn = params.hash ?? multiplicativeHash;

    const buckets: Bucket[] = [];
    for (let i = 0; i < params.buckets; i++) buckets.push(new Bucket(i));
    this.buckets = buckets;

    this.lru = new BpfLru(
      {
        nrCpus: params.nrCpus,
        nodeCount: params.maxEntries,
        localFreeTarget: params.localFreeTarget,
        maxWalks: params.maxWalks,
        variant: params.variant ?? DEFAULT_VARIANT,
        mutant: this.mutant,
        ops,
        observer,
      },
      (cpu, node) => this.delFromHtab(cpu, node),
    );

    const elems: HtabElem[] = [];
    for (let i = 0; i < params.maxEntries; i++) elems.push(new HtabElem(new LruNode(i)));
    this.elems = elems;
    bpfLruPopulate(
      this.lru,
      elems.map((elem) => elem.node),
      0,
    );
  }

  /** htab_map_hash: the key's hash as a u32. */
  hash(key: number): number {
    return this.hashFn(key) >>> 0;
  }

  /** __select_bucket */
  selectBucket(hash: number): Bucket {
    return this.buckets[hash & (this.buckets.length - 1)];
  }

  /**
   * htab_lru_map_update_elem: rejects unknown flags, then takes a free
   * element from the LRU before any bucket lock (this may evict) and fills it.
   * Under the bucket lock it links the element in front of the old element of
   * the same key and unlinks the old one. An element that replaces another
   * gets the ref bit. After unlocking it gives back the old element, or the
   * new one if the flags forbade the update. Returns 0 or a negative errno.
   */
  *update(cpu: CpuId, key: number, value: number, flags: number): Sim<number> {
    checkKey(key);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`invalid value ${value}: values are non-negative integers, so that lookup can return them beside -errno`);
    }
    if (flags !== BPF_ANY && flags !== BPF_NOEXIST && flags !== BPF_EXIST) return -EINVAL;

    const hash = this.hash(key);
    const b = this.selectBucket(hash);

    const lNew = yield* this.preallocLruPop(cpu, key, hash);
    if (lNew === null) return -ENOMEM;
    lNew.value = value;

    let lOld: HtabElem | null = null;
    if (this.mutant === "update-checks-flags-before-lock") {
      yield BUCKET_READ;
      lOld = this.lookupOldElem(cpu, b, hash, key);
    }

    yield* this.ops.lock(b.lock, cpu);

    if (this.mutant !== "update-checks-flags-before-lock") lOld = this.lookupOldElem(cpu, b, hash, key);

    const ret = checkFlags(lOld, flags);
    if (ret === 0) {
      hlistAddHead(lNew, b);
      if (lOld !== null) {
        bpfLruNodeSetRef(lNew.node);
        hlistDel(lOld, b);
      }
      this.report({ kind: "link", cpu, key, value, node: lNew.node.id, replaced: lOld?.node.id ?? null });
    }

    yield* this.ops.unlock(b.lock, cpu);

    if (ret !== 0) {
      if (this.mutant !== "update-error-leaks-node") yield* this.lru.bpfLruPushFree(cpu, lNew.node);
    } else if (lOld !== null) {
      if (this.mutant === "update-frees-new-on-replace") yield* this.lru.bpfLruPushFree(cpu, lNew.node);
      else yield* this.lru.bpfLruPushFree(cpu, lOld.node);
    }

    return ret;
  }

  /** Searches bucket `b` as htab_lru_map_update_elem does (lookup_elem_raw) and reports the search as the update's read. */
  private lookupOldElem(cpu: CpuId, b: Bucket, hash: number, key: number): HtabElem | null {
    const lOld = this.lookupElemRaw(b, hash, key);
    this.report({ kind: "read", cpu, op: "update", key, node: lOld?.node.id ?? null, value: lOld?.value ?? null });
    return lOld;
  }

  /** htab_lru_map_lookup_elem: finds the key without a lock, then sets its ref bit without a lock. Returns the value or -ENOENT. */
  *lookup(cpu: CpuId, key: number): Sim<number> {
    checkKey(key);
    const l = yield* this.__htabMapLookupElem(cpu, key, "lookup");
    if (l === null) return -ENOENT;
    const value = l.value;

    yield NODE_REF_WRITE;
    bpfLruNodeSetRef(l.node);
    this.observer.refSet(l.node.id, cpu);

    return value;
  }

  /** The syscall-side lookup: finds the key without a lock and leaves the ref bit alone. */
  *lookupSys(cpu: CpuId, key: number): Sim<number> {
    checkKey(key);
    const l = yield* this.__htabMapLookupElem(cpu, key, "lookup_sys");
    return l === null ? -ENOENT : l.value;
  }

  /** htab_lru_map_delete_elem: unlinks the key's element under the bucket lock, then gives its node back. Returns 0 or -ENOENT. */
  *delete(cpu: CpuId, key: number): Sim<number> {
    checkKey(key);
    const hash = this.hash(key);
    const b = this.selectBucket(hash);

    yield* this.ops.lock(b.lock, cpu);

    const l = this.lookupElemRaw(b, hash, key);
    this.report({ kind: "read", cpu, op: "delete", key, node: l?.node.id ?? null, value: l?.value ?? null });
    if (l !== null) {
      hlistDel(l, b);
      this.report({ kind: "unlink", cpu, key, node: l.node.id });
      if (this.mutant === "delete-frees-under-bucket-lock") yield* this.lru.bpfLruPushFree(cpu, l.node);
    }

    yield* this.ops.unlock(b.lock, cpu);

    if (l !== null && this.mutant !== "delete-frees-under-bucket-lock") yield* this.lru.bpfLruPushFree(cpu, l.node);
    return l !== null ? 0 : -ENOENT;
  }

  /**
   * htab_lru_map_delete_node, the LRU's del_from_htab callback: under the
   * bucket lock of the hash stored in the node, unlinks the node's element
   * if it is still in that bucket. Returns whether it did.
   */
  *delFromHtab(cpu: CpuId, node: LruNode): Sim<boolean> {
    const tgtL = this.elems[node.id];
    const b = this.selectBucket(tgtL.hash);

    const foundUnlocked = this.mutant === "del-from-htab-searches-before-lock" ? yield* this.bucketHoldsUnlocked(b, tgtL) : null;

    yield* this.ops.lock(b.lock, cpu);

    const found = foundUnlocked ?? this.bucketHolds(b, tgtL);
    if (found) {
      hlistDel(tgtL, b);
      this.report({ kind: "evict", cpu, key: tgtL.key, node: node.id });
    }

    yield* this.ops.unlock(b.lock, cpu);

    return found;
  }

  /** Walks bucket `b` without its lock, as the seeded bug "del-from-htab-searches-before-lock" does. */
  // Stryker disable next-line all: only that seeded bug runs this walk, and the property suite switches none on.
  private *bucketHoldsUnlocked(b: Bucket, tgtL: HtabElem): Sim<boolean> {
    yield BUCKET_READ;
    return this.bucketHolds(b, tgtL);
  }

  /** Returns whether element `tgtL` is linked in bucket `b`: the walk of htab_lru_map_delete_node. */
  private bucketHolds(b: Bucket, tgtL: HtabElem): boolean {
    for (let l = b.first, seen = 0; l !== null; l = l.hashNext) {
      seen = this.countBucketVisit(b, seen);
      if (l === tgtL) return true;
    }
    return false;
  }

  /** prealloc_lru_pop: takes a node from the LRU and writes the key into its element. */
  private *preallocLruPop(cpu: CpuId, key: number, hash: number): Sim<HtabElem | null> {
    const node = yield* this.lru.bpfLruPopFree(cpu, hash);
    if (node === null) return null;
    const l = this.elems[node.id];
    l.key = key;
    return l;
  }

  /**
   * __htab_map_lookup_elem: the lockless bucket walk.
   * NOTE: the kernel walks the bucket under RCU, one element at a time, and
   * can see an element that is being unlinked or reused for another key
   * meanwhile. The port takes the whole walk and the value read as one atomic
   * step, so those interleavings are not explored.
   */
  private *__htabMapLookupElem(cpu: CpuId, key: number, op: "lookup" | "lookup_sys"): Sim<HtabElem | null> {
    const hash = this.hash(key);
    const b = this.selectBucket(hash);

    yield BUCKET_READ;
    const l = this.lookupElemRaw(b, hash, key);
    this.report({ kind: "read", cpu, op, key, node: l?.node.id ?? null, value: l?.value ?? null });
    return l;
  }

  /** lookup_elem_raw: the first element of bucket `b` with this hash and key, or null. */
  private lookupElemRaw(b: Bucket, hash: number, key: number): HtabElem | null {
    for (let l = b.first, seen = 0; l !== null; l = l.hashNext) {
      seen = this.countBucketVisit(b, seen);
      if (l.hash === hash && l.key === key) return l;
    }
    return null;
  }

  private countBucketVisit(b: Bucket, seen: number): number {
    if (seen >= this.maxEntries) {
      throw new SubjectFault(
        "list-structure",
        `a walk of bucket ${b.index} visited more than ${this.maxEntries} elements (every element): its hash list is a cycle`,
      );
    }
    return seen + 1;
  }

  private report(event: MapEvent): void {
    this.observer.mapEvent(event);
  }
}

function checkKey(key: number): void {
  if (!Number.isSafeInteger(key)) throw new Error(`invalid key ${key}: keys are integers`);
}

/** check_flags: -EEXIST for NOEXIST when the key exists, -ENOENT for EXIST when it does not, else 0. */
function checkFlags(lOld: HtabElem | null, flags: number): number {
  if (lOld !== null && flags === BPF_NOEXIST) return -EEXIST;
  if (lOld === null && flags === BPF_EXIST) return -ENOENT;
  return 0;
}

/** hlist_add_head_rcu: links `l` first in bucket `b`, so a concurrent search finds it before an old element of its key. */
function hlistAddHead(l: HtabElem, b: Bucket): void {
  if (l.bucket !== null) {
    throw new SubjectFault("list-structure", `hlist_add_head of node ${l.node.id}, which is still in bucket ${l.bucket.index}`);
  }
  l.hashNext = b.first;
  l.hashPrev = null;
  if (b.first !== null) b.first.hashPrev = l;
  b.first = l;
  l.bucket = b;
}

/** hlist_del_rcu: unlinks `l` from bucket `b`. */
function hlistDel(l: HtabElem, b: Bucket): void {
  if (l.bucket !== b) {
    const where = l.bucket === null ? "no bucket" : `bucket ${l.bucket.index}`;
    throw new SubjectFault("list-structure", `hlist_del of node ${l.node.id} from bucket ${b.index}, but it is in ${where}`);
  }
  if (l.hashPrev === null) b.first = l.hashNext;
  else l.hashPrev.hashNext = l.hashNext;
  if (l.hashNext !== null) l.hashNext.hashPrev = l.hashPrev;
  l.hashPrev = null;
  l.bucket = null;
}
