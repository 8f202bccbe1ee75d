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

const DASH = 45;
const PLUS = 43;
const TILDE = 126;

class PositionParser extends Jsep {
  readonly positions = new WeakMap<object, number>();
  // start of each token being read; nested tokens (groups, arguments) push their own
  private readonly starts: number[] = [];

  override gobbleToken(): jsep.Expression | false {
    this.gobbleSpaces();
    const start = this.index;
    if (this.code === PLUS || this.code === TILDE) {
      this.throwError(`operator \`${String.fromCharCode(this.code)}\` is not supported`);
    }
    this.starts.push(start);
    try {
      const node = super.gobbleToken();
      // a parenthesised token keeps the position of its inner start
      if (node && !this.positions.has(node)) this.positions.set(node, start);
      return node;
    } finally {
      this.starts.pop();
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
  try {
    return { ast: parser.parse(), positions: parser.positions };
  } catch (e) {
    const err = e as { index?: unknown; description?: unknown };
    if (typeof err.index !== 'number' || typeof err.description !== 'string') throw e;
    throw syntaxError(explain(err.description, text, err.index), textStart + err.index, text.trim(), at);
  }
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
