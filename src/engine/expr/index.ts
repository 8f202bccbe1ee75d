/**
 * The `${{ … }}` expression language of pipelines (docs/expressions.md). Pure: no I/O, no
 * eval. Compile once, evaluate many times.
 */
export { compile, compileExpression, evaluate, evaluateValue, hasExpressions } from './compile.js';
export { collectRefs, refsOf } from './refs.js';
export { FUNCTION_NAMES } from './functions.js';
export { CONTEXTS } from './types.js';
export type { Compiled, ContextName, ExprRef, Scope } from './types.js';
export { truthy as isTruthy, toText } from './values.js';
