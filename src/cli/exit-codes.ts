import { isMpv2Error, type ErrorCode } from '../errors.js';

/** Errors found before running (bad usage, invalid pipeline or inputs) exit 2. */
const BEFORE_RUNNING: ErrorCode[] = [
  'E_USAGE', 'E_PIPELINE_PARSE', 'E_PIPELINE_SCHEMA', 'E_PIPELINE_TOO_LARGE', 'E_PIPELINE_CHANGED', 'E_DUPLICATE_STEP', 'E_CYCLE',
  'E_PLUGIN_NOT_FOUND', 'E_PLUGIN_AMBIGUOUS', 'E_PLUGIN_INPUT_INVALID', 'E_REF_UNKNOWN_STEP', 'E_REF_UNKNOWN_OUTPUT', 'E_EXPR_SYNTAX',
  'E_INPUT_INVALID', 'E_INPUT_UNKNOWN', 'E_CONFIG_INVALID', 'E_PATH_OUTSIDE_ROOT', 'E_PATH_RESERVED', 'E_NOT_FOUND', 'E_MASTER_KEY',
];

export const EXIT = { ok: 0, failed: 1, usage: 2, sigint: 130, sigterm: 143 } as const;

export function exitCodeFor(e: unknown): number {
  return isMpv2Error(e) && BEFORE_RUNNING.includes(e.code) ? EXIT.usage : EXIT.failed;
}
