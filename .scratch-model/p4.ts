import { createNodeTestModel } from "../test/model/model-graph.ts";
const m = createNodeTestModel(); const ps = m.getShortestPaths();
const c: Record<string, number> = {};
for (const p of ps) { const k = String(p.state.value); c[k] = (c[k] ?? 0) + 1; }
console.log(c);
const ps2 = m.getShortestPaths({ allowDuplicatePaths: true }); console.log(ps2.length);
const c2: Record<string, number> = {};
for (const p of ps2) { const k = String(p.state.value); c2[k] = (c2[k] ?? 0) + 1; }
console.log(c2);
