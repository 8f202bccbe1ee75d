/** The public API of mpv2. Anything not exported here is internal. */
export { definePlugin } from './plugin/define.js';
export type {
  Account,
  AccountSpec,
  AccountsApi,
  AccountType,
  AccountLoginContext,
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
  StepContext,
  StepLogger,
} from './plugin/types.js';
export { ERROR_CODES, Mpv2Error, isMpv2Error, mpv2Error } from './errors.js';
export type { ErrorCode, Mpv2ErrorOptions, SourceLocation } from './errors.js';
export { defineConfig } from './config/load.js';
export type { Mpv2Config, Mpv2UserConfig } from './config/load.js';
