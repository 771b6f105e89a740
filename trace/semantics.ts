/**
 * Rules of a trace that JSON Schema cannot state because they relate two
 * fields: one program per CPU, CPU ids below config.cpus, expected results
 * shaped like the programs. Whether a schedule picks a CPU that has finished
 * or is blocked depends on the run, so the replayer checks that.
 */
import { isPropertyName } from "../properties/names.ts";
import { isPowerOfTwo, KEY_RANGE, nearestPowersOfTwo } from "./limits.ts";
import type { Trace } from "./format.ts";
import { quoteString } from "../cli/errors.ts";

/**
 * Returns a one-line description of the first broken rule, without the file
 * name, or null when the trace is consistent. `trace` must already conform to
 * the schema.
 */
export function findSemanticProblem(trace: Trace): string | null {
  const { config } = trace;

  if (!isPowerOfTwo(config.buckets)) {
    const { below, above } = nearestPowersOfTwo(config.buckets);
    return `/config/buckets is ${config.buckets}, must be a power of two; use ${below} or ${above}`;
  }

  if (trace.programs.length !== config.cpus) {
    return `/programs has ${plural(trace.programs.length, "CPU program")} but /config/cpus is ${config.cpus}; give one program per CPU or change /config/cpus`;
  }

  const cpuProblem = findCpuIdProblem(trace);
  if (cpuProblem !== null) return cpuProblem;

  const expected = trace.expect.violation;
  if (expected !== null && !isPropertyName(expected)) {
    return `/expect/violation ${quoteString(expected)} is not a property of this checker; use one of the names in the README's property table, such as local-node-cpu-matches-list`;
  }

  return findExpectationProblem(trace);
}

function findCpuIdProblem(trace: Trace): string | null {
  const cpus = trace.config.cpus;
  const outOfRange = (path: string, cpu: number, fix: string): string =>
    `${path} is CPU ${cpu}, but /config/cpus is ${cpus} (${cpuIdWords(cpus)}); ${fix}`;

  if (trace.schedule !== "sequential") {
    const index = trace.schedule.findIndex((cpu) => cpu >= cpus);
    if (index >= 0) return outOfRange(`/schedule/${index}`, trace.schedule[index]!, "fix the schedule or regenerate the trace");
  }

  const violationCpu = trace.violation?.cpu ?? null;
  if (violationCpu !== null && violationCpu >= cpus) {
    return outOfRange("/violation/cpu", violationCpu, "fix it or regenerate the trace");
  }

  const events = trace.events ?? [];
  const eventIndex = events.findIndex((event) => event.cpu >= cpus);
  if (eventIndex >= 0) {
    return outOfRange(`/events/${eventIndex}/cpu`, events[eventIndex]!.cpu, "fix it or regenerate the trace");
  }
  return null;
}

function findExpectationProblem(trace: Trace): string | null {
  const { results, finalKeys } = trace.expect;

  if (results !== undefined) {
    if (results.length !== trace.config.cpus) {
      return `/expect/results has ${plural(results.length, "list")} of results but /config/cpus is ${trace.config.cpus}; give one list per CPU`;
    }
    for (let cpu = 0; cpu < results.length; cpu++) {
      const resultCount = results[cpu]!.length;
      const opCount = trace.programs[cpu]!.length;
      if (resultCount !== opCount) {
        return `/expect/results/${cpu} has ${plural(resultCount, "result")} but /programs/${cpu} has ${plural(opCount, "operation")}; give one result per operation`;
      }
    }
  }

  if (finalKeys !== undefined) {
    for (const key of Object.keys(finalKeys)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) > KEY_RANGE.max) {
        return `/expect/finalKeys key ${quoteString(key)} is not a decimal integer from 0 to ${KEY_RANGE.max}; write keys such as "3" or regenerate the trace`;
      }
    }
  }
  return null;
}

function cpuIdWords(cpus: number): string {
  return cpus === 1 ? "only CPU 0" : `CPUs 0 to ${cpus - 1}`;
}

function plural(count: number, noun: string): string {
  return count === 1 ? `1 ${noun}` : `${count} ${noun}s`;
}
