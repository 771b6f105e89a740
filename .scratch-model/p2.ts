import { createNodeTestModel } from "../test/model/model-graph.ts";
const m = createNodeTestModel(); const ps = m.getShortestPaths(); console.log(ps.length); console.log(ps.slice(0,3).map(p=>p.steps.length + " " + p.description).join("\n"));
