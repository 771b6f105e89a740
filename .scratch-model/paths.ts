import { createTestModel } from "xstate/graph";
import { nodeMachine } from "/work/main/model/node-machine.ts";
import { EVENT_TYPES } from "/work/main/model/vocabulary.ts";
const ALL = { global: true, local: [0, 1], bucket: true };
const model = createTestModel(nodeMachine, {
  events: (snap: any) => {
    const out: any[] = [];
    for (const type of EVENT_TYPES) for (const cpu of [0, 1]) for (const toCpu of [-1, 0, 1]) {
      out.push({ type, cpu, fromCpu: snap.context.owner, toCpu, held: ALL });
    }
    return out;
  },
});
const t0 = Date.now();
const paths = model.getShortestPaths();
console.log(paths.length, Date.now() - t0);
for (const p of paths.slice(0, 5)) console.log(p.description, p.steps.map((s: any) => s.event.type + "@" + s.event.cpu).join(" "));
const adj = model.getAdjacencyMap();
console.log(Object.keys(adj).length);
