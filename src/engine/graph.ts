/** The step graph: dependencies from references and `needs`, order, and cycle detection. */
import { mpv2Error, type SourceLocation } from '../errors.js';

export interface GraphNode {
  id: string;
  deps: string[];
  loc?: SourceLocation;
}

/**
 * Returns ids in a valid order (file order among independent steps); throws E_CYCLE. A
 * depth-first walk with its own stack: a chain of 50,000 steps written last-first would
 * overflow the call stack of a recursive one.
 */
export function topoOrder(nodes: GraphNode[]): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  // the path being walked, each with the index of the next dependency to visit
  const stack: Array<{ id: string; next: number }> = [];
  const enter = (id: string): void => {
    if (state.get(id) === 'visiting') {
      const path = stack.map((f) => f.id);
      const cycle = [...path.slice(path.indexOf(id)), id];
      // a cycle through thousands of steps is named by its ends
      const shown = cycle.length > 21 ? [...cycle.slice(0, 10), `… ${cycle.length - 20} more …`, ...cycle.slice(-10)] : cycle;
      throw mpv2Error('E_CYCLE', `steps depend on each other in a cycle: ${shown.join(' → ')}`, {
        loc: byId.get(id)?.loc,
        hint: 'a step can only read outputs of steps that do not (directly or indirectly) read its own',
      });
    }
    state.set(id, 'visiting');
    stack.push({ id, next: 0 });
  };
  for (const n of nodes) {
    if (state.has(n.id)) continue;
    enter(n.id);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top.id)?.deps ?? [];
      if (top.next < deps.length) {
        const d = deps[top.next++]!;
        if (byId.has(d) && state.get(d) !== 'done') enter(d);
        continue;
      }
      stack.pop();
      state.set(top.id, 'done');
      order.push(top.id);
    }
  }
  return order;
}

/** Every step that depends on `id`, directly or not (for `run --from`): one walk over the reversed edges. */
export function downstreamOf(nodes: GraphNode[], id: string): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    for (const d of n.deps) {
      const list = dependents.get(d);
      if (list) list.push(n.id); else dependents.set(d, [n.id]);
    }
  }
  const out = new Set<string>([id]);
  const queue = [id];
  for (let i = 0; i < queue.length; i++) {
    for (const t of dependents.get(queue[i]!) ?? []) {
      if (!out.has(t)) { out.add(t); queue.push(t); }
    }
  }
  return out;
}
