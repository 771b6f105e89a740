import { createMachine } from "xstate";
import { modelAsJson } from "../model/diagram.ts";
const json = JSON.parse(modelAsJson());
try { const m = createMachine(json); console.log(Object.keys(m.root.states), [...m.root.states.pending.transitions.keys()]); } catch (e) { console.log("ERR", (e as Error).message); }
