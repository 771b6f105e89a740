import { createNodeTestModel, candidateEvents, transitionTaken } from "../test/model/model-graph.ts";
import { NODE_TRANSITION_TABLE } from "../model/transition-table.ts";
const m = createNodeTestModel(); const ps = m.getShortestPaths();
const taken = new Set<string>();
for (const p of ps) for (const e of candidateEvents(p.state)) { const t = transitionTaken(p.state, e); if (t) taken.add(t.id); }
console.log(NODE_TRANSITION_TABLE.transitions.filter(t => !taken.has(t.id)).map(t=>t.id));
console.log(ps.filter(p=>p.steps.length<=2).map(p=>p.steps.length+" "+JSON.stringify(p.state.value)));
