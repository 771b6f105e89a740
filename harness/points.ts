/**
 * Preemption points and spinlocks of the simulated machine.
 *
 * A simulated CPU is a generator. It yields a preemption point immediately
 * before each action that another CPU could observe or race with: taking a
 * lock, releasing a lock, or touching shared state without a lock. The engine
 * decides at every yield which CPU runs next, and the action happens when the
 * yielding CPU is resumed. Nothing else yields, so a run is exactly the
 * sequence of decisions the engine recorded.
 */

export type CpuId = number;

export interface AcquirePoint {
  readonly kind: "acquire";
  readonly lock: SpinLock;
}

export interface ReleasePoint {
  readonly kind: "release";
  readonly lock: SpinLock;
}

/** An access to shared state made without holding the lock that protects it. */
export interface AccessPoint {
  readonly kind: "access";
  /** The shared state read or written, in the subject's vocabulary, such as "node.type". */
  readonly what: string;
}

export type PreemptionPoint = AcquirePoint | ReleasePoint | AccessPoint;

/** The body of one simulated CPU: it yields preemption points and returns when its program ends. */
export type CpuThread = Generator<PreemptionPoint, void, void>;

/** A generator step of a simulated function that returns T. */
export type Sim<T> = Generator<PreemptionPoint, T, void>;

/**
 * A fault of the subject under test detected by the harness itself, such as
 * releasing a lock held by another CPU. The engine reports it as a violation,
 * not as a harness bug.
 */
export class SubjectFault extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(message);
    this.name = "SubjectFault";
  }
}

/**
 * A raw spinlock that records its holder. A CPU whose next point acquires a
 * held lock is blocked: the engine does not offer it as a choice until the
 * holder releases the lock, so waiting never consumes scheduler steps.
 */
export class SpinLock {
  holder: CpuId | null = null;
  readonly acquirePoint: AcquirePoint;
  readonly releasePoint: ReleasePoint;

  constructor(
    /** Stable name used in traces and messages, such as "lru_list.lock". */
    readonly name: string,
  ) {
    this.acquirePoint = { kind: "acquire", lock: this };
    this.releasePoint = { kind: "release", lock: this };
  }
}

/** Observer of lock events, for lock-order graphs and event logs. */
export interface LockListener {
  acquired(lock: SpinLock, cpu: CpuId): void;
  released(lock: SpinLock, cpu: CpuId): void;
}

/**
 * The locking primitives a simulated subject uses. Holding the listener here
 * keeps the subject free of any global state.
 */
export class LockOps {
  constructor(private readonly listener: LockListener | null = null) {}

  /** Acquires `lock` for `cpu`; the engine resumes the CPU only once the lock is free. */
  *lock(lock: SpinLock, cpu: CpuId): Sim<void> {
    yield lock.acquirePoint;
    if (lock.holder !== null) {
      throw new Error(
        `harness bug: CPU ${cpu} was resumed to acquire ${lock.name}, which CPU ${lock.holder} holds`,
      );
    }
    lock.holder = cpu;
    if (this.listener !== null) this.listener.acquired(lock, cpu);
  }

  /** Releases `lock`; releasing a lock that `cpu` does not hold is a fault of the subject. */
  *unlock(lock: SpinLock, cpu: CpuId): Sim<void> {
    yield lock.releasePoint;
    if (lock.holder !== cpu) {
      const holder = lock.holder === null ? "no CPU" : `CPU ${lock.holder}`;
      throw new SubjectFault(
        "lock-release",
        `CPU ${cpu} released ${lock.name}, which ${holder} holds`,
      );
    }
    lock.holder = null;
    if (this.listener !== null) this.listener.released(lock, cpu);
  }
}

/** Marks an unlocked access to shared state as a preemption point. */
export function* sharedAccess(point: AccessPoint): Sim<void> {
  yield point;
}

/** Creates an access point once, so that hot paths yield a preallocated object. */
export function accessPoint(what: string): AccessPoint {
  return { kind: "access", what };
}
