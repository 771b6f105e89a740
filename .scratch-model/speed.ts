import { transition } from "xstate";
import { nodeMachine } from "../model/node-machine.ts";
import { EVENT_TYPES, HTAB_LINKS, NODE_STATES } from "../model/vocabulary.ts";
const t0 = performance.now();
let n = 0;
for (const value of NODE_STATES) for (const owner of [-1, 0, 1]) for (const ref of [false, true]) for (const htab of HTAB_LINKS) {
  const snap = nodeMachine.resolveState({ value, context: { owner, ref, htab } });
  for (const type of EVENT_TYPES) for (const cpu of [0, 1]) for (const fromCpu of [-1, 0, 1]) for (const toCpu of [-1, 0, 1]) {
    const event = { type, cpu, fromCpu, toCpu, held: { global: true, local: [0, 1], bucket: true } };
    const data = nodeMachine.getTransitionData(snap, event);

    n++;
  }
}
console.log(n, performance.now() - t0);
