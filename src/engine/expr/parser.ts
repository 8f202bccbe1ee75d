/**
 * jsep with three changes, made in a subclass so jsep's global configuration stays
 * untouched: it records where each token starts (for error offsets), refuses operators
 * outside the grammar at the operator itself, and reads GitHub-style ids with dashes
 * (`steps.my-step.outputs`) as one name.
 */
import jsep from 'jsep';
import { syntaxError } from './fail.js';
import type { ValuePath } from './types.js';

interface JsepParser {
  index: number;
  readonly expr: string;
  readonly code: number;
  parse(): jsep.Expression;
  gobbleExpression(): jsep.Expression | false;
  gobbleToken(): jsep.Expression | false;
  gobbleIdentifier(): jsep.Identifier;
  gobbleBinaryOp(): string | false;
  gobbleTokenProperty(node: jsep.Expression): jsep.Expression;
  gobbleSpaces(): void;
  throwError(message: string): never;
}
type JsepClass = (new (expr: string) => JsepParser) & { isIdentifierStart(ch: number): boolean };

const Jsep = (jsep as unknown as { Jsep: JsepClass }).Jsep;

const ALLOWED_BINARY = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

const OPERATOR_ADVICE: Record<string, string> = {
  '===': 'use `==` (it is already strict)',
  '!==': 'use `!=` (it is already strict)',
  '??': 'use `||` or default(x, fallback)',
  '|': 'use `||`',
  '&': 'use `&&`',
};

/**
 * Expressions nested deeper than this are refused: parsing, lowering, reference collection
 * and evaluation all recurse once per level, and 2,000 levels overflow the stack.
 */
export const MAX_EXPR_DEPTH = 100;
// the parser recurses about twice per level (token and sub-expression), groups included
const MAX_PARSER_NESTING = 4 * MAX_EXPR_DEPTH;
const TOO_DEEP = `the expression is nested too deeply (at most ${MAX_EXPR_DEPTH} levels of brackets, calls and operators)`;

const DASH = 45;
const PLUS = 43;
const TILDE = 126;

class PositionParser extends Jsep {
  readonly positions = new WeakMap<object, number>();
  // start of each token being read; nested tokens (groups, arguments) push their own
  private readonly starts: number[] = [];
  private nesting = 0;

  override gobbleExpression(): jsep.Expression | false {
    if (++this.nesting > MAX_PARSER_NESTING) this.throwError(TOO_DEEP);
    try {
      return super.gobbleExpression();
    } finally {
      this.nesting--;
    }
  }

  override gobbleToken(): jsep.Expression | false {
    this.gobbleSpaces();
    const start = this.index;
    if (this.code === PLUS || this.code === TILDE) {
      this.throwError(`operator \`${String.fromCharCode(this.code)}\` is not supported`);
    }
    if (++this.nesting > MAX_PARSER_NESTING) this.throwError(TOO_DEEP);
    this.starts.push(start);
    try {
      const node = super.gobbleToken();
      // a parenthesised token keeps the position of its inner start
      if (node && !this.positions.has(node)) this.positions.set(node, start);
      return node;
    } finally {
      this.starts.pop();
      this.nesting--;
    }
  }

  // the head of a member chain (`this` in `this.x`) gets the start of its token
  override gobbleTokenProperty(node: jsep.Expression): jsep.Expression {
    const start = this.starts.at(-1);
    if (start !== undefined && !this.positions.has(node)) this.positions.set(node, start);
    return super.gobbleTokenProperty(node);
  }

  override gobbleIdentifier(): jsep.Identifier {
    const start = this.index;
    const node = super.gobbleIdentifier();
    while (this.code === DASH && Jsep.isIdentifierStart(this.expr.charCodeAt(this.index + 1))) {
      this.index++;
      node.name += `-${super.gobbleIdentifier().name}`;
    }
    this.positions.set(node, start);
    return node;
  }

  override gobbleBinaryOp(): string | false {
    this.gobbleSpaces();
    const start = this.index;
    const op = super.gobbleBinaryOp();
    if (op && !ALLOWED_BINARY.has(op)) {
      this.index = start;
      const advice = OPERATOR_ADVICE[op] ?? 'expressions support == != < <= > >= && || ! and ?:';
      this.throwError(`operator \`${op}\` is not supported; ${advice}`);
    }
    return op;
  }
}

export interface Parsed {
  ast: jsep.Expression;
  /** Offset of a node's first character within the expression text. */
  positions: WeakMap<object, number>;
}

/** Parses the text between `${{` and `}}`; `textStart` maps jsep indexes to string offsets. */
export function parseExpression(text: string, textStart: number, at: ValuePath): Parsed {
  const parser = new PositionParser(text);
  let ast: jsep.Expression;
  try {
    ast = parser.parse();
  } catch (e) {
    const err = e as { index?: unknown; description?: unknown };
    if (typeof err.index !== 'number' || typeof err.description !== 'string') throw e;
    throw syntaxError(explain(err.description, text, err.index), textStart + err.index, text.trim(), at);
  }
  const deep = tooDeep(ast);
  if (deep) throw syntaxError(TOO_DEEP, textStart + positionOf(deep, parser.positions), text.trim(), at, 'split it into steps, or write the long `&&`/`||` chain as a list and test it with contains()');
  return { ast, positions: parser.positions };
}

/** Children of a jsep node: every property that is a node or a list of nodes. */
function children(n: jsep.Expression): jsep.Expression[] {
  const out: jsep.Expression[] = [];
  for (const v of Object.values(n)) {
    if (Array.isArray(v)) for (const x of v) { if (x && typeof x === 'object' && 'type' in x) out.push(x as jsep.Expression); }
    else if (v && typeof v === 'object' && 'type' in v) out.push(v as jsep.Expression);
  }
  return out;
}

/**
 * The first node deeper than MAX_EXPR_DEPTH, found without recursion: `a || b || …` is
 * parsed without recursing but gives a tree as deep as the chain is long.
 */
function tooDeep(ast: jsep.Expression): jsep.Expression | undefined {
  const stack: Array<[jsep.Expression, number]> = [[ast, 1]];
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    if (depth > MAX_EXPR_DEPTH) return n;
    for (const c of children(n)) stack.push([c, depth + 1]);
  }
  return undefined;
}

/** Position of a node, or of its first descendant that has one. */
function positionOf(n: jsep.Expression, positions: WeakMap<object, number>): number {
  for (let cur: jsep.Expression | undefined = n; cur; cur = children(cur)[0]) {
    const p = positions.get(cur);
    if (p !== undefined) return p;
  }
  return 0;
}

function explain(description: string, text: string, index: number): string {
  if (description === 'Unexpected "="') {
    return text[index + 1] === '>'
      ? 'arrow functions are not supported'
      : 'assignment is not supported (use `==` to compare)';
  }
  if (description === 'Unexpected "`"') return "template literals are not supported; use 'quoted' strings";
  if (/^Unexpected "\S"$/.test(description)) return `unexpected character ${description.slice(11)}`;
  return description.charAt(0).toLowerCase() + description.slice(1);
}
