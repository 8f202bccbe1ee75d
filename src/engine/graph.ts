/** The step graph: dependencies from references and `needs`, order, and cycle detection. */
import { mpv2Error, type SourceLocation } from '../errors.js';

export interface GraphNode {
  id: string;
  deps: string[];
  loc?: SourceLocation;
}

/** Returns ids in a valid order (file order among independent steps); throws E_CYCLE. */
export function topoOrder(nodes: GraphNode[]): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (id: string): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      throw mpv2Error('E_CYCLE', `steps depend on each other in a cycle: ${cycle.join(' → ')}`, {
        loc: byId.get(id)?.loc,
        hint: 'a step can only read outputs of steps that do not (directly or indirectly) read its own',
      });
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of byId.get(id)?.deps ?? []) if (byId.has(d)) visit(d);
    stack.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const n of nodes) visit(n.id);
  return order;
}

/** Every step that depends on `id`, directly or not (for `run --from`). */
export function downstreamOf(nodes: GraphNode[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (!out.has(n.id) && n.deps.some((d) => out.has(d))) { out.add(n.id); grew = true; }
    }
  }
  return out;
}
