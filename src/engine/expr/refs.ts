/**
 * Static references, for the dependency graph and for checking output fields:
 * `steps.a.outputs['x'].y` → { context: 'steps', path: ['a', 'outputs', 'x', 'y'] }. A chain
 * stops at its first dynamic member (`steps[inputs.k]` → path []), whose own references
 * are collected too.
 */
import { compile } from './compile.js';
import type { Compiled, ExprPart, ExprRef, Node } from './types.js';

/** Every reference in every `${{ }}` of `value`, in document order. Throws E_EXPR_SYNTAX. */
export function collectRefs(value: unknown): ExprRef[] {
  return refsOf(compile(value));
}

/** The same for an already compiled value. */
export function refsOf(compiled: Compiled): ExprRef[] {
  const out: ExprRef[] = [];
  const visitCompiled = (c: Compiled): void => {
    if (c.k === 'expr') visitPart(c.part, out);
    else if (c.k === 'template') c.parts.forEach((p) => typeof p !== 'string' && visitPart(p, out));
    else if (c.k === 'array') c.items.forEach(visitCompiled);
    else if (c.k === 'object') c.entries.forEach(([, v]) => visitCompiled(v));
  };
  visitCompiled(compiled);
  return out;
}

function visitPart(part: ExprPart, out: ExprRef[]): void {
  const emit = (context: string, path: Array<string | number>): void => {
    out.push({ context, path, source: part.source, offset: part.offset });
  };
  const visit = (n: Node): void => {
    switch (n.t) {
      case 'id':
        return emit(n.name, []);
      case 'member': {
        const keys: Array<string | number | Node> = [];
        let root: Node = n;
        while (root.t === 'member') {
          keys.unshift(root.key);
          root = root.object;
        }
        const dynamic = keys.findIndex((k) => typeof k === 'object');
        if (root.t === 'id') emit(root.name, (dynamic < 0 ? keys : keys.slice(0, dynamic)) as Array<string | number>);
        else visit(root);
        for (const k of keys) if (typeof k === 'object') visit(k);
        return;
      }
      case 'call':
        return n.args.forEach(visit);
      case 'not':
        return visit(n.arg);
      case 'cmp':
      case 'and':
      case 'or':
        visit(n.left);
        return visit(n.right);
      case 'cond':
        visit(n.test);
        visit(n.then);
        return visit(n.else);
      case 'array':
        return n.items.forEach(visit);
      case 'lit':
        return;
    }
  };
  visit(part.node);
}
