/**
 * Merges batch results into the job's summary so that the summary of a
 * seed never depends on how many workers ran it or in which order batches
 * ended. The violation reported is the one of the lowest batch index, and
 * runs and steps count exactly the batches up to and including that one,
 * which are the batches a job with one worker runs before it stops.
 */
import type { CheckSummary } from "../check-job.ts";
import { CoverageRecorder } from "../../model/coverage.ts";
import type { CoverageJson } from "../../model/coverage.ts";
import type { BatchResult } from "./batch-task.ts";

export class BatchLedger {
  private readonly results: BatchResult[] = [];

  add(result: BatchResult): void {
    this.results.push(result);
  }

  /** Returns the violating batch with the lowest index so far, or null. */
  firstViolation(): BatchResult | null {
    let first: BatchResult | null = null;
    for (const result of this.results) {
      if (result.violation !== null && (first === null || result.index < first.index)) first = result;
    }
    return first;
  }

  /** Lists the trace files of violating batches above the first one, which a job with one worker never runs. */
  discardedTraces(): string[] {
    const first = this.firstViolation();
    if (first === null) return [];
    const keep = first.violation?.tracePath ?? null;
    const paths: string[] = [];
    for (const result of this.results) {
      const path = result.violation?.tracePath ?? null;
      if (result.index > first.index && path !== null && path !== keep) paths.push(path);
    }
    return paths;
  }

  /**
   * Builds the summary. Every batch below the first violating one must have
   * been added: the callers hand out batches in increasing index order and
   * wait for all of them before summarising.
   */
  summarize(elapsedMs: number, workers: number): CheckSummary {
    const first = this.firstViolation();
    const counted = this.results
      .filter((result) => first === null || result.index <= first.index)
      .sort((a, b) => a.index - b.index);

    let runs = 0;
    let steps = 0;
    let runsBeforeFirst = 0;
    for (const result of counted) {
      runs += result.runs;
      steps += result.steps;
      if (first !== null && result.index < first.index) runsBeforeFirst += result.runs;
    }
    const summary = { runs, steps, elapsedMs, batches: counted.length, workers, coverage: mergeCoverage(counted) };
    if (first === null) return { ...summary, violation: null };

    const violation = first.violation;
    if (violation === null || violation.tracePath === null || violation.shrunk === null || first.runsToViolation === null) {
      throw new Error(`harness bug: batch ${first.index} has the first violation but no shrunk trace`);
    }
    return {
      ...summary,
      violation: {
        property: violation.property,
        message: violation.message,
        tracePath: violation.tracePath,
        shrink: violation.shrunk.outcome,
        trace: violation.shrunk.trace,
        batch: first.index,
        runsToViolation: runsBeforeFirst + first.runsToViolation,
      },
    };
  }
}

function mergeCoverage(results: readonly BatchResult[]): CoverageJson | null {
  let merged: CoverageRecorder | null = null;
  for (const result of results) {
    if (result.coverage === null) continue;
    merged = merged === null ? CoverageRecorder.fromJSON(result.coverage) : merged.merge(result.coverage);
  }
  return merged === null ? null : merged.toJSON();
}

/** Merges the coverage of finished batches as they come in, for progress reports. */
export class LiveCoverage {
  private readonly recorder = new CoverageRecorder();

  add(coverage: CoverageJson | null): void {
    if (coverage !== null) this.recorder.merge(coverage);
  }

  covered(): number {
    return this.recorder.exercised().length;
  }

}
