/**
 * Runs a NodePath: xstate/graph turns its events into a test path of the
 * node machine, and the path's executors drive the real port so that the
 * node under test takes each event in turn. After every step the port's
 * observed node must be where the model's state puts it.
 */
import { transition } from "xstate";
import { BPF_ANY } from "../../checker/types.ts";
import type { MapOp } from "../../checker/types.ts";
import { Place } from "../../impl/events.ts";
import { observeLru } from "../../impl/observe.ts";
import { PATH_PORT_PARAMS } from "../../model/constants.ts";
import type { CoverageRecorder } from "../../model/coverage.ts";
import { nodeMachine } from "../../model/node-machine.ts";
import type { ModelTransition } from "../../model/transition-table.ts";
import type { NodeEvent, NodeStateName } from "../../model/vocabulary.ts";
import { NODE_STATES, OWNED_STATES } from "../../model/vocabulary.ts";
import { ALL_LOCKS_HELD, createNodeTestModel, transitionTaken } from "./model-graph.ts";
import type { NodeSnapshot } from "./model-graph.ts";
import type { NodeKeyOp, NodePath, PathStep, PortAction } from "./node-paths.ts";
import { PortDriver, describeOp } from "./port-driver.ts";

/** Returns the CPU of the local list the event's node joins: the actor's for refills and adds, the owner's for the fast push_free. */
function targetCpu(step: PathStep, snapshot: NodeSnapshot): number {
  switch (step.event) {
    case "GET_FREE":
    case "SHRINK":
    case "ADD_PENDING":
      return step.cpu;
    case "PUSH_FREE":
      return snapshot.value === "pending" ? snapshot.context.owner : -1;
    default:
      return -1;
  }
}

export interface ModelStep {
  readonly event: NodeEvent;
  readonly transition: ModelTransition;
}

/** Lists the model events of `path`, each with the transition the machine takes; throws if the machine rejects one. */
export function modelSteps(path: NodePath): ModelStep[] {
  let snapshot = nodeMachine.resolveState({ value: "globalFree", context: nodeMachine.config.context as NodeSnapshot["context"] });
  const steps: ModelStep[] = [];
  for (const [index, step] of path.steps.entries()) {
    const owned = OWNED_STATES.includes(snapshot.value as NodeStateName);
    const event: NodeEvent = {
      type: step.event,
      cpu: step.cpu,
      fromCpu: owned ? snapshot.context.owner : -1,
      toCpu: targetCpu(step, snapshot),
      held: ALL_LOCKS_HELD,
    };
    const taken = transitionTaken(snapshot, event);
    if (taken === null) {
      throw new Error(`path "${path.name}" step ${index}: the model takes no ${step.event} by CPU ${step.cpu} from ${String(snapshot.value)}`);
    }
    steps.push({ event, transition: taken });
    [snapshot] = transition(nodeMachine, snapshot, event);
  }
  return steps;
}

/** Returns the prefix of `path` that ends with its first step taking `transitionId`, or null if no step does. */
export function prefixEndingIn(path: NodePath, transitionId: string): NodePath | null {
  const index = modelSteps(path).findIndex((step) => step.transition.id === transitionId);
  return index < 0 ? null : { ...path, steps: path.steps.slice(0, index + 1) };
}

const STATE_OF_PLACE: Readonly<Record<Place, NodeStateName>> = {
  [Place.Active]: "active",
  [Place.Inactive]: "inactive",
  [Place.GlobalFree]: "globalFree",
  [Place.LocalFree]: "localFree",
  [Place.Pending]: "pending",
  [Place.OffList]: "offList",
};

export interface RunOptions {
  /** Compare the port's node with the model's state after every step; true unless a test needs the port to go on past a mismatch. */
  readonly checkStates?: boolean;
  /** Records the model transitions of every node the run moves. */
  readonly coverage?: CoverageRecorder;
}

/** Drives `path` through a fresh port; resolves when every step matched the model, rejects at the first mismatch. */
export async function runNodePath(path: NodePath, options: RunOptions = {}): Promise<PortDriver> {
  const checkStates = options.checkStates ?? true;
  const driver = new PortDriver({ ...PATH_PORT_PARAMS, ...path.params }, options.coverage);
  const node = path.node;
  let nextKey = 100;
  let stepIndex = 0;

  const resolve = (op: MapOp | NodeKeyOp): MapOp => ("node" in op ? { op: op.op, key: driver.keyOf(op.node) } : op);

  const runAction = (action: PortAction): void => {
    switch (action.kind) {
      case "run":
        driver.run(action.cpu, resolve(action.op));
        return;
      case "finish":
        driver.finish(action.cpu);
        return;
      case "pause": {
        driver.start(action.cpu, resolve(action.op));
        driver.runUntil(action.cpu, () => {
          const point = driver.pointOf(action.cpu);
          return point !== null && point.kind === "access" && point.what === action.what;
        });
        return;
      }
    }
  };

  const defaultOp = (step: PathStep): MapOp => {
    switch (step.event) {
      case "UNLINK":
        return { op: "delete", key: driver.keyOf(node) };
      case "REF_SET":
        return { op: "lookup", key: driver.keyOf(node) };
      case "LINK":
      case "ADD_PENDING":
      case "PUSH_FREE":
        throw new Error(`path "${path.name}": ${step.event} continues an operation, but CPU ${step.cpu} runs none that moves node ${node}`);
      default:
        return { op: "update", key: nextKey, value: nextKey++, flags: BPF_ANY };
    }
  };

  // Transitions of the node the path has matched so far. One port step can
  // make several (a pop and its add_pending run without a preemption point
  // between them), so a step may find its transition already taken.
  let matched = 0;

  const execute = (modelStep: ModelStep): void => {
    const step = path.steps[stepIndex++];
    const taken = (): number => driver.transitionsOf(node).length;

    if (taken() === matched) {
      for (const action of step.before ?? []) runAction(action);
      if (taken() !== matched) throw new Error(`path "${path.name}": a port action before ${step.event} moved node ${node}`);

      const moved = (): boolean => taken() > matched;
      if (driver.busy(step.cpu)) driver.runUntil(step.cpu, moved);
      if (!moved()) {
        const op = step.op ?? defaultOp(step);
        driver.start(step.cpu, op);
        driver.runUntil(step.cpu, moved);
        if (!moved()) throw new Error(`path "${path.name}": ${describeOp(op)} on CPU ${step.cpu} ended without moving node ${node}`);
      }
    } else if (step.before !== undefined || step.op !== undefined) {
      throw new Error(`path "${path.name}" step ${stepIndex - 1}: the port took ${step.event} in an earlier step, so its before and op cannot run first`);
    }

    const next = driver.transitionsOf(node)[matched];
    if (next.transition.id !== modelStep.transition.id || next.cpu !== step.cpu) {
      throw new Error(
        `path "${path.name}" step ${stepIndex - 1}: expected ${modelStep.transition.id} by CPU ${step.cpu}, ` +
          `the port took ${next.transition.id} by CPU ${next.cpu}`,
      );
    }
    matched++;
  };

  const steps = modelSteps(path);
  const testModel = createNodeTestModel();
  const [testPath] = testModel.getPathsFromEvents(steps.map((step) => step.event));
  const executor = (testStep: { readonly event: NodeEvent }): void => {
    const expected = steps[stepIndex];
    if (expected === undefined || testStep.event.type !== expected.event.type || testStep.event.cpu !== expected.event.cpu) {
      throw new Error(`path "${path.name}": xstate/graph ran ${testStep.event.type} by CPU ${testStep.event.cpu} at step ${stepIndex}`);
    }
    execute(expected);
  };
  const events = Object.fromEntries([...new Set(steps.map((step) => step.event.type))].map((type) => [type, executor]));
  // The port's node is comparable with the model's state only once the port
  // has taken no transition beyond the ones matched: a state that the port
  // passed inside one step is never observable.
  const check = (snapshot: NodeSnapshot): void => {
    if (checkStates && driver.transitionsOf(node).length === matched) expectPortAgrees(driver, node, snapshot);
  };
  const states = Object.fromEntries(NODE_STATES.map((state) => [state, check]));

  await testPath.test({ events, states });
  if (stepIndex !== path.steps.length) throw new Error(`path "${path.name}": ran ${stepIndex} of ${path.steps.length} steps`);
  return driver;
}

/**
 * Throws unless the port's observation of `node` matches the model's
 * snapshot. The refinement's own check reports a node.cpu that disagrees
 * with the model's owner, as SubjectFault("model-owner-cpu").
 */
export function expectPortAgrees(driver: PortDriver, node: number, snapshot: NodeSnapshot): void {
  const observed = observeLru(driver.map).nodes[node];
  const { owner, ref, htab } = snapshot.context;
  const state = snapshot.value as NodeStateName;
  const problems: string[] = [];

  if (STATE_OF_PLACE[observed.place] !== state) problems.push(`the port has it on ${STATE_OF_PLACE[observed.place]}`);
  if ((state === "localFree" || state === "pending") && observed.placeCpu !== owner) {
    problems.push(`the port has it on CPU ${observed.placeCpu}'s list`);
  }
  if (observed.ref !== ref) problems.push(`its ref bit is ${observed.ref ? 1 : 0}`);
  if ((observed.key !== null) !== (htab === "linked")) {
    problems.push(observed.key === null ? "the hash table does not reach it" : `the hash table reaches it through key ${observed.key}`);
  }
  driver.refinement.checkOwnerCpus((id) => driver.map.elems[id].node.cpu);
  if (problems.length > 0) {
    throw new Error(`node ${node}: the model has it in ${state} (owner ${owner}, ref ${ref ? 1 : 0}, element ${htab}), but ${problems.join(", ")}`);
  }
}
