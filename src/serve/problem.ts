/**
 * Errors of the HTTP API as `application/problem+json` (RFC 9457), carrying the CLI's stable
 * code and hint: `{ type, title, status, detail, code, pluginCode?, hint?, loc?, problems? }`.
 * The same error a command prints, in the shape an HTTP client reads; secrets redacted.
 */
import { ERRORS, isMpv2Error, type ErrorCode, type Mpv2Error } from '../errors.js';
import { ValidationErrors } from '../engine/error-list.js';
import { fromSystemError } from '../infra/system-errors.js';
import type { Redactor } from '../infra/redact.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** One problem of a pipeline, as `mpv2 validate` prints it (file:line:col and a hint). */
export interface PipelineProblem {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  pluginCode?: string;
  hint?: string;
  problems?: PipelineProblem[];
}

const chosen = new WeakMap<Mpv2Error, number>();

/** The error, answered with this HTTP status rather than its code's (409 for a run that is not running). */
export function withHttpStatus<E extends Mpv2Error>(e: E, status: number): E {
  chosen.set(e, status);
  return e;
}

/** HTTP status of an error: chosen by the raiser, else by code, else by its exit class (2 = the request was wrong). */
export function httpStatusOf(e: Mpv2Error): number {
  const picked = chosen.get(e);
  if (picked) return picked;
  const byCode: Partial<Record<ErrorCode, number>> = { E_NOT_FOUND: 404, E_UNAUTHORIZED: 401, E_RUN_OWNED: 409, E_PIPELINE_TOO_LARGE: 413, E_QUEUE: 503, E_LOCKED: 409, E_APPROVAL_DECIDED: 409 };
  const s = byCode[e.code];
  if (s) return s;
  return (ERRORS as Record<string, { exit: number } | undefined>)[e.code]?.exit === 2 ? 400 : 500;
}

/** The problems of a pipeline error, each with its line and column (one, or every one of a ValidationErrors). */
export function pipelineProblems(e: Mpv2Error): PipelineProblem[] {
  const list = e instanceof ValidationErrors ? e.errors : [e];
  return list.map((x) => ({
    code: x.code, message: x.message,
    ...(x.loc?.file && { file: x.loc.file }), ...(x.loc?.line && { line: x.loc.line }), ...(x.loc?.column && { column: x.loc.column }),
    ...(x.hint && { hint: x.hint }),
  }));
}

/** Any thrown value as a problem; what is not an Mpv2Error (and no known system error) is E_INTERNAL. */
export function toProblem(e: unknown, root: string, redactor: Redactor, status?: number): Problem {
  const known = isMpv2Error(e) ? e : fromSystemError(e, root);
  const code = known?.code ?? 'E_INTERNAL';
  const entry = (ERRORS as Record<string, { summary: string; hint?: string } | undefined>)[code];
  const p: Problem = {
    type: `urn:mpv2:error:${code}`,
    title: entry?.summary ?? code,
    status: status ?? (known ? httpStatusOf(known) : 500),
    detail: known?.message ?? (e instanceof Error ? e.message : String(e)),
    code,
    ...(known?.pluginCode && { pluginCode: known.pluginCode }),
    ...((known?.hint ?? (!known ? entry?.hint : undefined)) && { hint: known?.hint ?? entry?.hint }),
    ...(known?.loc && { problems: pipelineProblems(known) }),
  };
  return redactor.redactDeep(p) as Problem;
}

/** The `{ code, message, hint }` of an error (redacted), for an answer that succeeded in part. */
export function errorJsonOf(e: unknown, project: { root: string; redactor: Redactor }): { code: string; message: string; hint?: string } {
  const p = toProblem(e, project.root, project.redactor);
  return { code: p.code, message: p.detail, ...(p.hint && { hint: p.hint }) };
}
