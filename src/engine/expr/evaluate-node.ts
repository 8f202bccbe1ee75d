/** Evaluates one Node against a scope. No eval, no Function, no prototype reads. */
import { describe, EvalFailure } from './fail.js';
import { FUNCTIONS } from './functions.js';
import { didYouMean } from './suggest.js';
import { CONTEXTS, type BinaryOp, type Node, type Scope } from './types.js';
import { deepEqual, readMember, truthy } from './values.js';

const CONTEXT_SET: ReadonlySet<string> = new Set(CONTEXTS);
const FOREACH_ONLY: ReadonlySet<string> = new Set(['item', 'index']);

function lookup(name: string, scope: Scope): unknown {
  // `foreach … as: product` names the item; the alias lives beside the contexts
  if (scope.aliases && Object.hasOwn(scope.aliases, name)) return scope.aliases[name];
  if (!CONTEXT_SET.has(name)) {
    throw new EvalFailure(`unknown name \`${name}\`${didYouMean(name, CONTEXTS)}; expressions can read ${CONTEXTS.join(', ')}`);
  }
  if (!Object.hasOwn(scope, name)) {
    if (FOREACH_ONLY.has(name)) {
      throw new EvalFailure(`\`${name}\` is only available inside a foreach step`, 'add `foreach: <list>` to the step, or read the value another way');
    }
    return undefined;
  }
  return scope[name as keyof Scope];
}

function compare(op: BinaryOp, a: unknown, b: unknown): boolean {
  if (op === '==') return deepEqual(a, b);
  if (op === '!=') return !deepEqual(a, b);
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  if (!bothNumbers && !(typeof a === 'string' && typeof b === 'string')) {
    throw new EvalFailure(`cannot compare ${describe(a)} with ${describe(b)} using \`${op}\`; both sides must be numbers, or both strings`);
  }
  const [x, y] = [a as number | string, b as number | string];
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    default: return x >= y;
  }
}

export function evalNode(node: Node, scope: Scope): unknown {
  switch (node.t) {
    case 'lit':
      return node.value;
    case 'id':
      return lookup(node.name, scope);
    case 'member': {
      const object = evalNode(node.object, scope);
      const key = typeof node.key === 'object' ? evalNode(node.key, scope) : node.key;
      return readMember(object, key);
    }
    case 'call': {
      // the lowering step only creates calls to names in FUNCTIONS
      const fn = FUNCTIONS.get(node.name);
      if (!fn) throw new EvalFailure(`unknown function \`${node.name}\``);
      return fn.run(node.args.map((a) => evalNode(a, scope)), scope);
    }
    case 'not':
      return !truthy(evalNode(node.arg, scope));
    case 'and': {
      const left = evalNode(node.left, scope);
      return truthy(left) ? evalNode(node.right, scope) : left;
    }
    case 'or': {
      const left = evalNode(node.left, scope);
      return truthy(left) ? left : evalNode(node.right, scope);
    }
    case 'cmp':
      return compare(node.op, evalNode(node.left, scope), evalNode(node.right, scope));
    case 'cond':
      return truthy(evalNode(node.test, scope)) ? evalNode(node.then, scope) : evalNode(node.else, scope);
    case 'array':
      return node.items.map((i) => evalNode(i, scope));
  }
}
