/**
 * The trace file: one versioned JSON format for found counterexamples and
 * hand-written scenarios. `trace.schema.json` beside this file describes it.
 * `load.ts` validates against the schema and then checks what a schema
 * cannot, such as CPU ids in range and programs matching the configuration.
 */
import type { CheckConfig, CpuProgram, OpResult } from "../checker/types.ts";

export const TRACE_FORMAT = "bpf-lru-check-trace";
export const TRACE_VERSION = 1;

/** The run's schedule: the CPU chosen at every step, or each CPU's program run to its end in CPU order. */
export type TraceSchedule = readonly number[] | "sequential";

export interface TraceViolation {
  readonly property: string;
  readonly message: string;
  readonly step: number;
  readonly cpu: number | null;
}

/** One step of the event log. */
export interface TraceEvent {
  readonly step: number;
  readonly cpu: number;
  /** The preemption point the CPU resumed from: "start", "acquire lru_list.lock", "release …", "access node.type". */
  readonly point: string;
  /** The map operation the CPU was executing, such as "update(3, 7, NOEXIST)". */
  readonly op: string | null;
  /** Locks taken and released in this step, such as "+loc_l[0].lock", "-bucket[1].lock". */
  readonly locks: readonly string[];
  /** Node moves in this step, such as "node 3: pending@0 -> inactive (__bpf_lru_node_move_in)". */
  readonly moves: readonly string[];
  /** Hash-table events in this step, such as "link key 3 -> node 2". */
  readonly map: readonly string[];
  /** The result of the map operation that ended in this step, if one did. */
  readonly result?: OpResult;
}

/** Expectations a replay of the trace must meet, checked by `replay` and by the test corpus. */
export interface TraceExpectation {
  /** The property that must be violated, or null when the run must show no violation. */
  readonly violation: string | null;
  /** Per CPU, the result of each operation, in program order (only for runs that complete). */
  readonly results?: readonly (readonly OpResult[])[];
  /** The final key set with values, keys as decimal strings (only for runs that complete). */
  readonly finalKeys?: Readonly<Record<string, number>>;
}

export interface Trace {
  readonly format: typeof TRACE_FORMAT;
  readonly version: typeof TRACE_VERSION;
  /** Name and version of the tool that wrote the trace. */
  readonly tool: { readonly name: string; readonly version: string };
  readonly kind: "counterexample" | "scenario";
  /** One or two sentences: what the trace shows and why it matters. */
  readonly description: string;
  readonly config: CheckConfig;
  /** Index = CPU id; length = config.cpus. */
  readonly programs: readonly CpuProgram[];
  readonly schedule: TraceSchedule;
  /** The step bound the recorded run used, so that a livelock replays as one; absent means the default bound. */
  readonly maxSteps?: number;
  readonly expect: TraceExpectation;
  /** Origin of a found counterexample: seed, run and strategy. Absent for scenarios. */
  readonly origin?: {
    readonly seed: number;
    readonly run: number;
    readonly strategy: string;
    readonly shrunk: boolean;
  };
  /** The violation the recorded run showed, or null. */
  readonly violation: TraceViolation | null;
  /** The event log of the recorded run; absent in hand-written scenarios. */
  readonly events?: readonly TraceEvent[];
}
