import type { MapOp, OpResult } from "./types.ts";
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST, ERRNO } from "./types.ts";
import type { ErrnoName } from "./types.ts";

const FLAG_NAMES: Record<number, string> = { [BPF_ANY]: "ANY", [BPF_NOEXIST]: "NOEXIST", [BPF_EXIST]: "EXIST" };

/** Formats an operation as a call: "update(3, 7, NOEXIST)", "lookup(3)". */
export function formatOp(op: MapOp): string {
  if (op.op === "update") return `update(${op.key}, ${op.value}, ${FLAG_NAMES[op.flags] ?? `flags ${op.flags}`})`;
  return `${op.op}(${op.key})`;
}

const ERRNO_NAMES = new Map<number, ErrnoName>(Object.entries(ERRNO).map(([name, errno]) => [-errno, name as ErrnoName]));

/** Converts a kernel-style return (0, a value, or a negated errno) to an OpResult. */
export function toOpResult(raw: number): OpResult {
  if (raw >= 0) return raw;
  const name = ERRNO_NAMES.get(raw);
  if (name === undefined) throw new Error(`harness bug: the port returned ${raw}, which is no errno the map uses`);
  return name;
}
