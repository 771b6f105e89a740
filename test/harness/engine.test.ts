import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runEngine } from "../../harness/engine.ts";
import { LockOps, SpinLock, SubjectFault, accessPoint, sharedAccess } from "../../harness/points.ts";
import type { CpuThread, Sim } from "../../harness/points.ts";
import { RandomSource } from "../../harness/choice/random.ts";
import { ReplaySource, SequentialSource } from "../../harness/choice/replay.ts";
import { SwitchListSource } from "../../harness/choice/switch-list.ts";
import type { ChoiceSource } from "../../harness/choice/choice-source.ts";

const TOUCH = accessPoint("counter");

/** Increments a shared counter `times` times as CPU `cpu`, each increment under `lock`. */
function* lockedIncrements(locks: LockOps, lock: SpinLock, cpu: number, counter: { value: number }, times: number): CpuThread {
  for (let i = 0; i < times; i++) {
    yield* locks.lock(lock, cpu);
    const seen = counter.value;
    yield* sharedAccess(TOUCH);
    counter.value = seen + 1;
    yield* locks.unlock(lock, cpu);
  }
}

describe("runEngine", () => {
  it("completes lock-protected increments under any schedule", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const lock = new SpinLock("counter.lock");
        const locks = new LockOps();
        const counter = { value: 0 };
        const threads = [0, 1, 2].map((cpu) => lockedIncrements(locks, lock, cpu, counter, 5));
        const outcome = runEngine({ threads, choices: new RandomSource(seed, 0.5), maxSteps: 10_000 });
        expect(outcome.kind).toBe("completed");
        expect(counter.value).toBe(15);
      }),
      { numRuns: 200 },
    );
  });

  it("never offers a CPU blocked on a held lock", () => {
    const lock = new SpinLock("l");
    const locks = new LockOps();
    const waiting = [false, false];
    function* contend(cpu: number): CpuThread {
      for (let i = 0; i < 3; i++) {
        waiting[cpu] = true;
        yield* locks.lock(lock, cpu);
        waiting[cpu] = false;
        yield* sharedAccess(TOUCH);
        yield* locks.unlock(lock, cpu);
      }
    }
    let blockedOffers = 0;
    let contended = 0;
    const source: ChoiceSource = {
      choose(context) {
        for (const cpu of context.runnable) if (waiting[cpu] && lock.holder !== null) blockedOffers++;
        if (waiting[0] && waiting[1]) contended++;
        // Prefer the CPU that is not the holder, to create contention.
        const other = context.runnable.find((cpu) => cpu !== lock.holder);
        return other ?? context.runnable[0];
      },
    };
    const outcome = runEngine({ threads: [contend(0), contend(1)], choices: source, maxSteps: 1000 });
    expect(outcome.kind).toBe("completed");
    expect(contended).toBeGreaterThan(0);
    expect(blockedOffers).toBe(0);
  });

  it("reports a deadlock naming each waiter and holder", () => {
    const a = new SpinLock("a.lock");
    const b = new SpinLock("b.lock");
    const locks = new LockOps();
    function* take(cpu: number, first: SpinLock, second: SpinLock): CpuThread {
      yield* locks.lock(first, cpu);
      yield* locks.lock(second, cpu);
    }
    const threads = [take(0, a, b), take(1, b, a)];
    // CPU 0 takes a, then CPU 1 takes b: each now waits for the other.
    const outcome = runEngine({ threads, choices: new ReplaySource([0, 0, 1, 1]), maxSteps: 100 });
    expect(outcome.kind).toBe("violation");
    if (outcome.kind !== "violation") return;
    expect(outcome.violation.property).toBe("no-deadlock");
    expect(outcome.violation.message).toContain("CPU 0 waits for b.lock held by CPU 1");
    expect(outcome.violation.message).toContain("CPU 1 waits for a.lock held by CPU 0");
  });

  it("turns a step bound into a livelock violation", () => {
    function* forever(): CpuThread {
      for (;;) yield TOUCH;
    }
    const outcome = runEngine({ threads: [forever()], choices: new SequentialSource(), maxSteps: 50, describeCpu: () => "in spin()" });
    expect(outcome.kind).toBe("violation");
    if (outcome.kind !== "violation") return;
    expect(outcome.violation.property).toBe("step-bound");
    expect(outcome.violation.message).toContain("step bound 50 exceeded: CPU 0 in spin()");
  });

  it("reports a subject fault thrown during a step", () => {
    const lock = new SpinLock("l");
    const locks = new LockOps();
    function* wrongRelease(): CpuThread {
      yield* locks.unlock(lock, 0);
    }
    const outcome = runEngine({ threads: [wrongRelease()], choices: new SequentialSource(), maxSteps: 10 });
    expect(outcome.kind).toBe("violation");
    if (outcome.kind !== "violation") return;
    expect(outcome.violation.property).toBe("lock-release");
    expect(outcome.violation.message).toBe("CPU 0 released l, which no CPU holds");
  });

  it("records the decision of a step that throws", () => {
    function* failing(): CpuThread {
      yield TOUCH;
      throw new SubjectFault("example", "broken");
    }
    const decisions: number[] = [];
    const outcome = runEngine({
      threads: [failing()],
      choices: new SequentialSource(),
      maxSteps: 10,
      onDecision: (_step, cpu) => decisions.push(cpu),
    });
    expect(outcome.kind).toBe("violation");
    expect(decisions).toEqual([0, 0]);
  });

  it("reports a crash of the subject as no-crash", () => {
    function* crashing(): Sim<void> {
      const missing = null as unknown as { next: number };
      yield TOUCH;
      void missing.next;
    }
    const outcome = runEngine({ threads: [crashing()], choices: new SequentialSource(), maxSteps: 10 });
    expect(outcome.kind).toBe("violation");
    if (outcome.kind === "violation") expect(outcome.violation.property).toBe("no-crash");
  });

  it("replays a recorded schedule to the same decisions", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const build = () => {
          const lock = new SpinLock("l");
          const locks = new LockOps();
          const counter = { value: 0 };
          return [0, 1, 2].map((cpu) => lockedIncrements(locks, lock, cpu, counter, 3));
        };
        const recorded: number[] = [];
        runEngine({ threads: build(), choices: new RandomSource(seed, 0.4), maxSteps: 1000, onDecision: (_s, cpu) => recorded.push(cpu) });
        const replayed: number[] = [];
        const outcome = runEngine({ threads: build(), choices: new ReplaySource(recorded), maxSteps: 1000, onDecision: (_s, cpu) => replayed.push(cpu) });
        expect(outcome.kind).toBe("completed");
        expect(replayed).toEqual(recorded);
      }),
      { numRuns: 100 },
    );
  });

  it("reports a diverging replay with the step and runnable CPUs", () => {
    const lock = new SpinLock("l");
    const locks = new LockOps();
    const counter = { value: 0 };
    const threads = [0, 1].map((cpu) => lockedIncrements(locks, lock, cpu, counter, 1));
    // Step 0: CPU 0 starts and stops before taking l; step 1: it takes l;
    // step 2 picks CPU 1, whose first step is fine; step 3 picks CPU 1 to take l, which CPU 0 holds.
    const outcome = runEngine({ threads, choices: new ReplaySource([0, 0, 1, 1]), maxSteps: 100 });
    expect(outcome).toMatchObject({ kind: "diverged", step: 3, message: "step 3: expected CPU 1, runnable were 0" });
  });

  it("runs each CPU to its end under an empty switch list", () => {
    const order: number[] = [];
    function* steps(cpu: number): CpuThread {
      for (let i = 0; i < 3; i++) yield TOUCH;
    }
    runEngine({ threads: [steps(0), steps(1)], choices: new SwitchListSource([]), maxSteps: 100, onDecision: (_s, cpu) => order.push(cpu) });
    expect(order).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });
});
