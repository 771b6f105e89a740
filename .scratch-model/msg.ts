import { SpinLock } from "../harness/points.ts";
import { Place } from "../impl/events.ts";
import { ModelRefinement } from "../model/refinement.ts";
const locks = { global: new SpinLock("lru_list.lock"), local: [new SpinLock("loc_l[0].lock"), new SpinLock("loc_l[1].lock")], buckets: [new SpinLock("bucket[0].lock")] };
const r = new ModelRefinement(locks, 1);
locks.global.holder = 0;
try { r.nodeMoved({ node: 0, from: Place.GlobalFree, fromCpu: -1, to: Place.LocalFree, toCpu: 1, cpu: 0, fn: "__bpf_lru_node_move_out" }); } catch (e) { console.log((e as Error).message); }
try { r.nodeMoved({ node: 0, from: Place.GlobalFree, fromCpu: -1, to: Place.Pending, toCpu: 1, cpu: 0, fn: "x" }); } catch (e) { console.log((e as Error).message); }
