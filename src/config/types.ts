/** The shape of the merged config and of `loadConfig`'s answer. */

import type { FromSchema } from 'json-schema-to-ts';
import type { BaseConfigSchema, limitSchema } from './schema.js';

/** A named limit: `{ rate: '30/minute', burst: 5, concurrency: 2 }`. */
export type LimitConfig = FromSchema<typeof limitSchema>;

/**
 * The base sections of the config, defaults filled (the loader applies every schema default,
 * and `concurrency` defaults to the number of CPUs, which no schema can say).
 */
export type Mpv2BaseConfig = FromSchema<BaseConfigSchema> & { concurrency: number };

/** The merged config: the base sections plus one section per plugin namespace (`llm`, `tts`, …). */
export type Mpv2Config = Mpv2BaseConfig & { [namespace: string]: unknown };

/** What a config file holds: any subset of `Mpv2Config` (a default is what a file may leave out). */
export type Mpv2UserConfig = FromSchema<BaseConfigSchema, { keepDefaultedPropertiesOptional: true }> & {
  $schema?: string;
  [namespace: string]: unknown;
};

export interface LoadedConfig {
  /** The project root (real path). */
  root: string;
  /** The config file used (absolute), if any. */
  file?: string;
  values: Mpv2Config;
  /** Dotted path of each leaf → `default`, `file <relative path>`, `env MPV2_X`, `env .env MPV2_X` or `flag`. */
  origins: Record<string, string>;
  /** Every `writeOnly` value by dotted path, and well-known env secrets by their variable name. */
  secrets: Record<string, string>;
  /** Things worth telling the user that did not stop loading (an `MPV2_` variable naming no setting). */
  warnings: string[];
}
