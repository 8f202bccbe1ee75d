/**
 * Shapes shared by the expression modules. `Compiled` is opaque to callers: build it with
 * `compile()`, hand it to `evaluate()`.
 */

/** A static reference found in an expression, e.g. `steps.script.outputs.data.title`. */
export interface ExprRef {
  /** The root identifier: inputs, steps, item, index, config, secrets, env, run (or an unknown name). */
  context: string;
  /** The literal member chain after the root, up to the first dynamic member. */
  path: Array<string | number>;
  /** The expression text between `${{` and `}}`, trimmed. */
  source: string;
  /** Index in the containing string where that `${{` starts (0 for a bare expression). */
  offset: number;
}

/** What an expression can read. A context that is absent reads as undefined (`item`/`index`: an error). */
export interface Scope {
  inputs?: unknown;
  steps?: Record<string, { outputs?: unknown; status?: string; errors?: unknown }>;
  item?: unknown;
  index?: number;
  config?: unknown;
  secrets?: Record<string, string>;
  env?: Record<string, string | undefined>;
  run?: unknown;
  /**
   * Enabled account names by platform, sorted, for `accounts(platform)`: a snapshot of the
   * accounts store kept with the run (every known platform is a key, maybe with `[]`).
   * Not a context: expressions read it only through the function.
   */
  accounts?: Record<string, string[]>;
  /** Extra names, e.g. the `as:` name of a foreach item. */
  aliases?: Record<string, unknown>;
}

/** The names an expression may start with. */
export const CONTEXTS = ['inputs', 'steps', 'item', 'index', 'config', 'secrets', 'env', 'run'] as const;
export type ContextName = (typeof CONTEXTS)[number];

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** One parsed expression, positions are offsets in the containing string. */
export type Node =
  | { t: 'lit'; value: unknown }
  | { t: 'id'; name: string; pos: number }
  | { t: 'member'; object: Node; key: string | number | Node; pos: number }
  | { t: 'call'; name: string; args: Node[]; pos: number }
  | { t: 'not'; arg: Node }
  | { t: 'cmp'; op: BinaryOp; left: Node; right: Node; pos: number }
  | { t: 'and' | 'or'; left: Node; right: Node }
  | { t: 'cond'; test: Node; then: Node; else: Node }
  | { t: 'array'; items: Node[] };

/** One `${{ … }}` with where it came from. */
export interface ExprPart {
  node: Node;
  /** Expression text, trimmed. */
  source: string;
  /** Where `${{` starts in the containing string. */
  offset: number;
}

/** Location of a string inside the compiled value (object keys and array indexes). */
export type ValuePath = Array<string | number>;

/** The compiled tree mirrors the input value. */
export type Compiled =
  | { k: 'lit'; value: unknown }
  | { k: 'expr'; part: ExprPart; at: ValuePath }
  | { k: 'template'; parts: Array<string | ExprPart>; at: ValuePath }
  | { k: 'array'; items: Compiled[] }
  | { k: 'object'; entries: Array<[string, Compiled]> };

/** A built-in function. Arity is checked when compiling; types when called. */
export interface FnDef {
  /** Signature shown in messages and docs, e.g. `join(list, separator=',')`. */
  signature: string;
  min: number;
  max: number;
  run(args: unknown[], scope: Scope): unknown;
}
