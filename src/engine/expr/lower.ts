/**
 * Turns jsep's tree into our own small Node tree and refuses, at compile time, everything
 * outside the grammar: `this`, `new`, method calls, unknown functions, functions used as
 * values, sequences, forbidden keys such as `__proto__`.
 */
import type jsep from 'jsep';
import { syntaxError } from './fail.js';
import { FUNCTION_NAMES, FUNCTIONS } from './functions.js';
import type { Parsed } from './parser.js';
import { didYouMean } from './suggest.js';
import type { BinaryOp, Node, ValuePath } from './types.js';
import { FORBIDDEN_KEYS } from './values.js';

type E = jsep.Expression;
const COMPARE = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);

export function lower(parsed: Parsed, text: string, textStart: number, at: ValuePath): Node {
  const source = text.trim();
  const posOf = (n: E): number => {
    const p = parsed.positions.get(n);
    if (p !== undefined) return p;
    const first = (n.left ?? n.test ?? n.object ?? n.callee ?? (Array.isArray(n.body) ? n.body[0] : undefined)) as E | undefined;
    return first ? posOf(first) : 0;
  };
  const refuse = (message: string, n: E): never => {
    throw syntaxError(message, textStart + posOf(n), source, at);
  };

  // `a.b` and `a['b']` / `a[0]` are static keys; `a[b]` reads the value of `b`
  const key = (n: E, computed: boolean): string | number | Node => {
    const k = !computed && n.type === 'Identifier' ? (n as jsep.Identifier).name : n.type === 'Literal' ? (n as jsep.Literal).value : undefined;
    if (typeof k === 'string' && FORBIDDEN_KEYS.has(k)) refuse(`reading \`${k}\` is not allowed`, n);
    if (typeof k === 'string' || typeof k === 'number') return k;
    return walk(n);
  };

  const call = (n: jsep.CallExpression): Node => {
    const callee = n.callee;
    if (callee.type === 'MemberExpression') {
      const prop = (callee as jsep.MemberExpression).property;
      const name = prop.type === 'Identifier' ? `.${(prop as jsep.Identifier).name}()` : 'a method';
      return refuse(`method calls are not supported (\`${name}\`); call a built-in function instead, e.g. lower(x)`, prop);
    }
    if (callee.type !== 'Identifier') return refuse('only built-in functions can be called', callee);
    const name = (callee as jsep.Identifier).name;
    const fn = FUNCTIONS.get(name);
    if (!fn) {
      return refuse(`unknown function \`${name}\`${didYouMean(name, FUNCTION_NAMES)}; functions: ${FUNCTION_NAMES.join(', ')}`, callee);
    }
    const count = n.arguments.length;
    if (count < fn.min || count > fn.max) {
      const want = fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
      refuse(`${name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${count}: ${fn.signature}`, callee);
    }
    return { t: 'call', name, args: n.arguments.map(walk), pos: textStart + posOf(callee) };
  };

  const walk = (n: E): Node => {
    switch (n.type) {
      case 'Literal':
        return { t: 'lit', value: (n as jsep.Literal).value };
      case 'Identifier': {
        const name = (n as jsep.Identifier).name;
        if (FUNCTIONS.has(name)) refuse(`\`${name}\` is a function; call it: ${FUNCTIONS.get(name)?.signature}`, n);
        return { t: 'id', name, pos: textStart + posOf(n) };
      }
      case 'MemberExpression': {
        const m = n as jsep.MemberExpression;
        return { t: 'member', object: walk(m.object), key: key(m.property, m.computed), pos: textStart + posOf(m.property) };
      }
      case 'CallExpression':
        return call(n as jsep.CallExpression);
      case 'UnaryExpression': {
        const u = n as jsep.UnaryExpression;
        if (u.operator === '!') return { t: 'not', arg: walk(u.argument) };
        const v = u.argument.type === 'Literal' ? (u.argument as jsep.Literal).value : undefined;
        if (u.operator === '-' && typeof v === 'number') return { t: 'lit', value: -v };
        return refuse(`operator \`${u.operator}\` is not supported${u.operator === '-' ? ' (only before a number: -1)' : ''}`, n);
      }
      case 'BinaryExpression': {
        const b = n as jsep.BinaryExpression;
        if (b.operator === '&&' || b.operator === '||') {
          return { t: b.operator === '&&' ? 'and' : 'or', left: walk(b.left), right: walk(b.right) };
        }
        if (!COMPARE.has(b.operator)) return refuse(`operator \`${b.operator}\` is not supported`, n);
        return { t: 'cmp', op: b.operator as BinaryOp, left: walk(b.left), right: walk(b.right), pos: textStart + posOf(b.right) };
      }
      case 'ConditionalExpression': {
        const c = n as jsep.ConditionalExpression;
        return { t: 'cond', test: walk(c.test), then: walk(c.consequent), else: walk(c.alternate) };
      }
      case 'ArrayExpression': {
        const items = (n as jsep.ArrayExpression).elements;
        return { t: 'array', items: items.map((x) => (x === null ? refuse('a list cannot have empty slots', n) : walk(x))) };
      }
      case 'ThisExpression':
        return refuse('`this` is not supported', n);
      case 'Compound': {
        const [first, second] = (n as jsep.Compound).body;
        if (first?.type === 'Identifier' && (first as jsep.Identifier).name === 'new') return refuse('`new` is not supported', first);
        return refuse('one expression expected; is an operator missing before this?', second ?? n);
      }
      case 'SequenceExpression':
        return refuse('`,` sequences are not supported', (n as jsep.SequenceExpression).expressions[1] ?? n);
      default:
        return refuse(`unsupported syntax (${n.type})`, n);
    }
  };

  return walk(parsed.ast);
}
