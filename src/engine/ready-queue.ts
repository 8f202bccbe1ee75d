/**
 * Which steps may start: a step becomes ready when its last dependency settles, and ready
 * steps come out in pipeline order. Each settle costs the number of its dependents and each
 * take log(ready), so a run is linear in its steps and references (a scan of every step at
 * each wake-up made 50,000 steps take minutes).
 */
export class ReadyQueue {
  private readonly position = new Map<string, number>();
  private readonly waitingOn = new Map<string, number>();
  private readonly dependents = new Map<string, string[]>();
  /** A binary min-heap of positions in `order`. */
  private readonly heap: number[] = [];

  constructor(private readonly order: readonly string[], depsOf: (id: string) => readonly string[]) {
    order.forEach((id, i) => this.position.set(id, i));
    for (const id of order) {
      const deps = new Set(depsOf(id));
      this.waitingOn.set(id, deps.size);
      for (const d of deps) {
        const list = this.dependents.get(d);
        if (list) list.push(id); else this.dependents.set(d, [id]);
      }
      if (deps.size === 0) this.push(this.position.get(id)!);
    }
  }

  get size(): number {
    return this.heap.length;
  }

  /** The first ready step in pipeline order, taken off the queue. */
  take(): string | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return this.order[top];
  }

  /** A step has settled (any outcome): dependents whose every dependency has settled become ready. */
  settled(id: string): void {
    for (const t of this.dependents.get(id) ?? []) {
      const left = this.waitingOn.get(t)! - 1;
      this.waitingOn.set(t, left);
      if (left === 0) this.push(this.position.get(t)!);
    }
  }

  private push(pos: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(pos);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= pos) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = pos;
  }
}
