/**
 * The text form of a trace: keys in the order trace/format.ts declares them,
 * 2-space indent and a final newline, so equal traces give byte-equal files
 * and saved traces diff cleanly.
 */
import type { CheckConfig, MapOp } from "../checker/types.ts";
import type { Trace, TraceEvent, TraceExpectation } from "./format.ts";

/** Serialises a trace in the canonical text form. */
export function serializeTrace(trace: Trace): string {
  return `${JSON.stringify(canonicalTrace(trace), null, 2)}\n`;
}

/** Rebuilds the trace with keys in the order of trace/format.ts, dropping absent optional fields. */
function canonicalTrace(trace: Trace): Trace {
  return {
    format: trace.format,
    version: trace.version,
    tool: { name: trace.tool.name, version: trace.tool.version },
    kind: trace.kind,
    description: trace.description,
    config: canonicalConfig(trace.config),
    programs: trace.programs.map((program) => program.map(canonicalOp)),
    schedule: trace.schedule === "sequential" ? "sequential" : [...trace.schedule],
    ...(trace.maxSteps === undefined ? {} : { maxSteps: trace.maxSteps }),
    expect: canonicalExpectation(trace.expect),
    ...(trace.origin === undefined
      ? {}
      : {
          origin: {
            seed: trace.origin.seed,
            run: trace.origin.run,
            strategy: trace.origin.strategy,
            shrunk: trace.origin.shrunk,
          },
        }),
    violation:
      trace.violation === null
        ? null
        : {
            property: trace.violation.property,
            message: trace.violation.message,
            step: trace.violation.step,
            cpu: trace.violation.cpu,
          },
    ...(trace.events === undefined ? {} : { events: trace.events.map(canonicalEvent) }),
  };
}

function canonicalConfig(config: CheckConfig): CheckConfig {
  return {
    cpus: config.cpus,
    maxEntries: config.maxEntries,
    localFreeTarget: config.localFreeTarget,
    maxWalks: config.maxWalks,
    buckets: config.buckets,
    variant: config.variant,
    mutant: config.mutant,
  };
}

function canonicalOp(op: MapOp): MapOp {
  if (op.op === "update") return { op: op.op, key: op.key, value: op.value, flags: op.flags };
  return { op: op.op, key: op.key };
}

function canonicalExpectation(expect: TraceExpectation): TraceExpectation {
  const finalKeys = expect.finalKeys;
  return {
    violation: expect.violation,
    ...(expect.results === undefined ? {} : { results: expect.results.map((results) => [...results]) }),
    ...(finalKeys === undefined
      ? {}
      : {
          finalKeys: Object.fromEntries(
            Object.keys(finalKeys)
              .sort((a, b) => Number(a) - Number(b))
              .map((key) => [key, finalKeys[key]!]),
          ),
        }),
  };
}

function canonicalEvent(event: TraceEvent): TraceEvent {
  return {
    step: event.step,
    cpu: event.cpu,
    point: event.point,
    op: event.op,
    locks: [...event.locks],
    moves: [...event.moves],
    map: [...event.map],
    ...(event.result === undefined ? {} : { result: event.result }),
  };
}
