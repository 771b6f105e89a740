/**
 * The checker's vocabulary: a configuration, the operations each simulated
 * CPU runs, and their results. Traces, the CLI and fast-check's generators
 * all use these types.
 */

/** BPF_ANY, BPF_NOEXIST and BPF_EXIST from the kernel's uapi. */
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;

export type MapOp =
  | { readonly op: "update"; readonly key: number; readonly value: number; readonly flags: number }
  | { readonly op: "lookup"; readonly key: number }
  | { readonly op: "lookup_sys"; readonly key: number }
  | { readonly op: "delete"; readonly key: number };

export type OpName = MapOp["op"];
export const OP_NAMES: readonly OpName[] = ["update", "lookup", "lookup_sys", "delete"];

/** The operations of one CPU, run in order. */
export type CpuProgram = readonly MapOp[];

/** An errno name as the kernel's functions return it, negated, in C. */
export type ErrnoName = "ENOENT" | "ENOMEM" | "EEXIST" | "EINVAL";
export const ERRNO: Readonly<Record<ErrnoName, number>> = { ENOENT: 2, ENOMEM: 12, EEXIST: 17, EINVAL: 22 };

/** An operation's result: 0 for a successful update or delete, the value found by a lookup, or an errno name. */
export type OpResult = number | ErrnoName;

/** Names of the port's behaviours: "rfc" is the RFC as written; every other name is an explicit fix. */
export type VariantName = string;

export interface CheckConfig {
  /** Number of possible CPUs, 1 to 8. */
  readonly cpus: number;
  /** Preallocated elements of the map, all populated into the LRU at creation. */
  readonly maxEntries: number;
  /** LOCAL_FREE_TARGET: nodes a CPU tries to move to its local free list per trip to the global list. */
  readonly localFreeTarget: number;
  /** MAX_WALKS: nodes a rotation or an inactive shrink visits at most. */
  readonly maxWalks: number;
  /** Hash buckets, a power of two as in the kernel's htab. */
  readonly buckets: number;
  /** Behaviour of the port; "rfc" unless a named fix is asked for. */
  readonly variant: VariantName;
  /** Seeded bug switched into the port, or null. */
  readonly mutant: string | null;
}

export const KERNEL_LOCAL_FREE_TARGET = 128;
export const KERNEL_MAX_WALKS = 128;
