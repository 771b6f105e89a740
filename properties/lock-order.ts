/**
 * Lock order: every acquisition made while other locks are held adds edges
 * held -> acquired to a graph of lock classes, as the kernel's lockdep does.
 * A cycle means two code paths take the same locks in opposite orders, which
 * can deadlock under some interleaving even if this run did not.
 *
 * A lock's class is its name with indices replaced by "*" (all buckets are
 * one class, all per-CPU local list locks another), because lockdep also
 * reasons about classes: bucket[0] -> loc_l[*] on one path and loc_l[*] ->
 * bucket[1] on another is the same inversion.
 */
import { SubjectFault } from "../harness/points.ts";
import type { CpuId, LockListener, SpinLock } from "../harness/points.ts";

export function lockClass(name: string): string {
  return name.replace(/\[\d+\]/g, "[*]");
}

export class LockOrderGraph implements LockListener {
  private readonly held: SpinLock[][];
  /** Edges by class: from -> (to -> an example "CPU 1: bucket[0].lock -> loc_l[1].lock"). */
  private readonly edges = new Map<string, Map<string, string>>();
  private readonly classOf = new Map<SpinLock, string>();

  constructor(cpus: number) {
    this.held = Array.from({ length: cpus }, () => []);
  }

  acquired(lock: SpinLock, cpu: CpuId): void {
    const to = this.lockClassOf(lock);
    for (const earlier of this.held[cpu]) {
      const from = this.lockClassOf(earlier);
      let targets = this.edges.get(from);
      if (targets === undefined) {
        targets = new Map();
        this.edges.set(from, targets);
      }
      if (!targets.has(to)) {
        targets.set(to, `CPU ${cpu} took ${lock.name} while holding ${earlier.name}`);
        this.checkCycleThrough(from, to);
      }
    }
    this.held[cpu].push(lock);
  }

  released(lock: SpinLock, cpu: CpuId): void {
    const locks = this.held[cpu];
    const index = locks.lastIndexOf(lock);
    if (index >= 0) locks.splice(index, 1);
  }

  /** Lock order: the new edge from -> to closes no cycle in the class graph. */
  private checkCycleThrough(from: string, to: string): void {
    const path = this.findPath(to, from, new Set());
    if (path === null) return;
    const cycle = [from, ...path];
    const steps: string[] = [];
    for (let i = 0; i + 1 < cycle.length; i++) steps.push(this.edges.get(cycle[i])!.get(cycle[i + 1])!);
    throw new SubjectFault("lock-order", `lock order cycle ${cycle.join(" -> ")}: ${steps.join("; ")}`);
  }

  private findPath(start: string, goal: string, visited: Set<string>): string[] | null {
    if (start === goal) return [goal];
    visited.add(start);
    for (const next of this.edges.get(start)?.keys() ?? []) {
      if (visited.has(next)) continue;
      const rest = this.findPath(next, goal, visited);
      if (rest !== null) return [start, ...rest];
    }
    return null;
  }

  private lockClassOf(lock: SpinLock): string {
    let name = this.classOf.get(lock);
    if (name === undefined) {
      name = lockClass(lock.name);
      this.classOf.set(lock, name);
    }
    return name;
  }
}
