/**
 * `mpv2/plugin`: everything a plugin imports from mpv2 at run time, built-in or third-party.
 * Built-in namespaces under plugins/ import this module (as the package self-reference
 * `mpv2/plugin`) and nothing else of mpv2, so each could move to its own package unchanged.
 * What a plugin may do to the world beyond these helpers reaches it through `ctx` (HTTP through
 * `ctx.http`, effects through `ctx.effect`, files through `ctx.resolvePath`).
 */

// defining a plugin, and the types of what the engine hands it
export { definePlugin } from '../plugin/define.js';
// the TypeScript type of a JSON Schema (inputs, outputs, config): one source for schema, type and
// defaults. Write a schema `as const satisfies JSONSchema` and take its type with `FromSchema`;
// a property with a `default` is present in the type, as ajv fills it in before `run`.
export type { FromSchema } from 'json-schema-to-ts';
// what a namespace contributes besides steps: config and env, CLI commands, run-report lines, doctor checks, accounts
export { defineNamespace } from '../plugin/define.js';
// `mpv2 accounts login` through the user's browser: the OAuth loopback redirect (RFC 8252)
export { waitForAuthorizationCode, type LoopbackRedirect } from '../infra/oauth/loopback.js';
export type { CommandContext, CommandDef, NamespaceConfig, NamespaceDef, ReportedStep, RunReportContribution } from '../plugin/types.js';
// flags and arguments of contributed commands (oclif's)
export { Args, Flags } from '@oclif/core';
// a step's `account:` as a pool, its part of an effect key, and the account an earlier attempt stays on
export { accountInputSchema, accountPool, accountRotationSchema, isNoAccount, poolKey, stickyAccount } from '../plugin/account-choice.js';
export type { AccountChoice } from '../plugin/account-choice.js';
// plain-text tables and times, for contributed commands that print like mpv2's own
export { formatTime, oneLine, table } from '../engine/admin/format.js';
export type {
  Account,
  AccountCheckContext,
  AccountCheckReport,
  AccountLoginContext,
  AccountSpec,
  AccountsApi,
  AccountType,
  BrowserFactory,
  BrowserSession,
  CheckContext,
  CheckResult,
  Duration,
  EffectOptions,
  JSONSchema,
  KeyValueStore,
  PluginDef,
  PluginDefaults,
  RetrySpec,
  ServiceFn,
  StepContext,
  StepLogger,
} from '../plugin/types.js';
// the effect journal's records, for contributed commands that report on a plugin's acts
export type { EffectRecord, EffectStatus } from '../infra/store/types.js';

// errors: the one error class, and the marks that tell `ctx.effect` whether an act happened
export { DISK_FULL_HINT, Mpv2Error, isDiskFull, isMpv2Error, mayBeDone, mpv2Error, notDone, toMpv2Error } from '../errors.js';
export type { ErrorCode, Mpv2ErrorOptions, SourceLocation } from '../errors.js';
// a plugin's own error codes (`<namespace>/<NAME>`), declared in its namespace's `errors`
export { pluginError } from '../errors.js';
export type { PluginErrorCode, PluginErrorOptions } from '../errors.js';

// content hashing, for cache keys and idempotency keys
export { canonicalJson, hashFile, hashValue, sha256 } from '../infra/hash.js';

// durations as written in pipelines and config (`500ms`, `2s`, `5m`, `1d`)
export { formatDuration, parseDuration } from '../infra/duration.js';

// child processes: the one runner (never a shell, abort kills the child, output capped)
export { runProcess } from '../infra/process.js';
export type { ProcessResult, RunProcessOptions } from '../infra/process.js';
export { allOrNone } from '../infra/all-or-none.js';

// ffmpeg on top of the runner: finding it, feature probes, progress, ffprobe
export { ffPath, ffmpegListing, ffprobe, filterTakesCommands, findFfmpeg, guardFileArgs, runFfmpeg, stderrTail, supportsFilter } from '../infra/ffmpeg.js';
export type { FfmpegInfo, ProbeResult, RunFfmpegOptions } from '../infra/ffmpeg.js';

// sharp, loaded on first use (most runs never touch an image)
export { loadSharp } from '../infra/sharp.js';

// reading the failures of requests made with `ctx.http`
export { classifyHttpError, isCancelledRequest, parseRetryAfter } from '../infra/http.js';

// YAML as plain JSON data: tags, non-finite numbers, alias bombs and prototype keys refused at line:col
export { MAX_YAML_DEPTH, PROTOTYPE_KEYS, parseYamlData, tooDeepData } from '../infra/yaml.js';
export type { YamlProblem, YamlResult } from '../infra/yaml.js';

// waiting without blocking an abort (Ctrl-C, a step timeout)
export { abortableSleep } from '../infra/sleep.js';
export { postAtSchema } from '../infra/accounts/slots.js';

// data files (JSON, YAML, CSV) read with errors that name file:line:column
export { formatFromPath, parseAs, stripBom } from '../infra/data-files.js';
export type { ReadFormat } from '../infra/data-files.js';
