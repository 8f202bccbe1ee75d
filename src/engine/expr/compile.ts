/**
 * compile() walks a JSON-like value once and parses every `${{ … }}`; evaluate() then runs
 * the compiled tree against a scope as often as needed (a foreach evaluates per item).
 */
import { evalError, syntaxError } from './fail.js';
import { evalNode } from './evaluate-node.js';
import { lower } from './lower.js';
import { parseExpression } from './parser.js';
import { hasExpressionText, scanTemplate, type Span } from './scan.js';
import type { Compiled, ExprPart, Scope, ValuePath } from './types.js';
import { copyPlain, isPlainObject, toText } from './values.js';

/** Parses every `${{ }}` in the strings of `value`; throws E_EXPR_SYNTAX with the offset. */
export function compile(value: unknown): Compiled {
  return compileAt(value, []);
}

/**
 * Compiles one bare expression, as written in `if: inputs.publish && !inputs.dryRun`
 * (a string that is exactly one `${{ … }}` is accepted too).
 */
export function compileExpression(source: string): Compiled {
  const c = compileString(source, []);
  if (c.k === 'expr') return c;
  if (source.trim() === '') throw syntaxError('empty expression', 0, '', []);
  return { k: 'expr', part: compilePart({ start: 0, text: source, textStart: 0 }, []), at: [] };
}

/** True when some string in `value` holds a `${{` that is not escaped as `$${{`. */
export function hasExpressions(value: unknown): boolean {
  if (typeof value === 'string') return hasExpressionText(value);
  if (Array.isArray(value)) return value.some(hasExpressions);
  if (isPlainObject(value)) return Object.values(value).some(hasExpressions);
  return false;
}

/** Evaluates a compiled tree; results are fresh copies. Throws E_EXPR_EVAL naming the expression. */
export function evaluate(compiled: Compiled, scope: Scope): unknown {
  switch (compiled.k) {
    case 'lit':
      return copyPlain(compiled.value);
    case 'expr':
      return copyPlain(run(compiled.part, scope, compiled.at) ?? null);
    case 'template': {
      let out = '';
      for (const p of compiled.parts) out += typeof p === 'string' ? p : toText(run(p, scope, compiled.at));
      return out;
    }
    case 'array':
      return compiled.items.map((c) => evaluate(c, scope));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, c] of compiled.entries) {
        // assigning `__proto__` would set the prototype; define it as an own key instead
        if (k === '__proto__') Object.defineProperty(out, k, { value: evaluate(c, scope), enumerable: true, writable: true, configurable: true });
        else out[k] = evaluate(c, scope);
      }
      return out;
    }
  }
}

/** compile + evaluate, for one-off values. */
export function evaluateValue(value: unknown, scope: Scope): unknown {
  return evaluate(compile(value), scope);
}

function run(part: ExprPart, scope: Scope, at: ValuePath): unknown {
  try {
    return evalNode(part.node, scope);
  } catch (e) {
    throw evalError(e, part.source, part.offset, at);
  }
}

function compileAt(value: unknown, at: ValuePath): Compiled {
  if (typeof value === 'string') return compileString(value, at);
  if (Array.isArray(value)) return { k: 'array', items: value.map((v, i) => compileAt(v, [...at, i])) };
  if (isPlainObject(value)) {
    return { k: 'object', entries: Object.entries(value).map(([k, v]) => [k, compileAt(v, [...at, k])]) };
  }
  return { k: 'lit', value };
}

function compileString(s: string, at: ValuePath): Compiled {
  if (!s.includes('${{')) return { k: 'lit', value: s };
  const parts = scanTemplate(s, at).map((p) => (typeof p === 'string' ? p : compilePart(p, at)));
  const exprs = parts.filter((p): p is ExprPart => typeof p !== 'string');
  if (exprs.length === 0) return { k: 'lit', value: parts.join('') };
  // exactly one expression, maybe with blanks around it, keeps the value's type
  if (exprs.length === 1 && parts.every((p) => typeof p !== 'string' || p.trim() === '')) {
    return { k: 'expr', part: exprs[0], at };
  }
  return { k: 'template', parts, at };
}

function compilePart(span: Span, at: ValuePath): ExprPart {
  const source = span.text.trim();
  if (source === '') throw syntaxError('empty expression: write something between `${{` and `}}`', span.start, '', at);
  const node = lower(parseExpression(span.text, span.textStart, at), span.text, span.textStart, at);
  return { node, source, offset: span.start };
}
