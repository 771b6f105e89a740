import { describe, expect, it } from "vitest";
import { LockOps, SpinLock } from "../../harness/points.ts";
import type { Sim } from "../../harness/points.ts";
import { runSequential } from "../../impl/sequential.ts";

describe("runSequential", () => {
  it("runs a generator through its locks to its result", () => {
    const ops = new LockOps();
    const lock = new SpinLock("test.lock");
    function* body(): Sim<number> {
      yield* ops.lock(lock, 1);
      yield* ops.unlock(lock, 1);
      return 42;
    }
    expect(runSequential(body())).toBe(42);
    expect(lock.holder).toBeNull();
  });

  it("reports acquiring a held lock as a sequential deadlock", () => {
    const ops = new LockOps();
    const lock = new SpinLock("loc_l[0].lock");
    function* body(): Sim<void> {
      yield* ops.lock(lock, 0);
      yield* ops.lock(lock, 0);
    }
    expect(() => runSequential(body())).toThrow("sequential deadlock: acquiring loc_l[0].lock, held by CPU 0");
  });
});
