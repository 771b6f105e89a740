/**
 * Child process of bench/profile.ts: runs one harness on the standard
 * workload for the given milliseconds, so `node --cpu-prof` can record it.
 * Usage: node --cpu-prof bin/run-ts.js bench/profile-target.ts HARNESS MS
 */
import { checkerHarness, fcSchedulerHarness, rawPortHarness } from "./harnesses.ts";
import type { Harness } from "./measure.ts";
import { measure } from "./measure.ts";
import { STANDARD_WORKLOAD, generateInputs } from "./workload.ts";
import type { Workload } from "./workload.ts";

const TARGETS: Readonly<Record<string, { readonly harness: Harness; readonly workload: Workload }>> = {
  checker: { harness: checkerHarness, workload: STANDARD_WORKLOAD },
  "checker-double-ops": { harness: checkerHarness, workload: { ...STANDARD_WORKLOAD, opsPerCpu: 2 * STANDARD_WORKLOAD.opsPerCpu } },
  "fc-scheduler": { harness: fcSchedulerHarness, workload: STANDARD_WORKLOAD },
  "raw-port": { harness: rawPortHarness, workload: STANDARD_WORKLOAD },
};

const [name, ms] = process.argv.slice(2);
const target = TARGETS[name ?? ""];
if (target === undefined) {
  console.error(`usage: node --cpu-prof bin/run-ts.js bench/profile-target.ts ${Object.keys(TARGETS).join("|")} MS`);
  process.exit(2);
}
await measure(target.harness, generateInputs(target.workload, 200, 1), Number(ms ?? 3000));
