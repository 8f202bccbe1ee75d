/**
 * The config schema: the base sections every project has, plus one section per plugin
 * namespace (the plugin's `config` schema). `schemas/config.schema.json` is written from
 * here by `writeSchemaFile`, and a test keeps the checked-in copy in sync.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JSONSchema } from '../plugin/types.js';
import { HOST_PATTERN } from '../infra/http-hosts.js';

const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([kKmMgGtT]?[bB])?$';
const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?\\s*(ms|s|m|h|d|w)?|forever)$';
const RATE_PATTERN = '^[0-9]+(\\.[0-9]+)?/(second|minute|hour|day)$';
const REDIS_PATTERN = '^rediss?://';

/** What a pattern means, in words, for error messages. */
export const PATTERN_PHRASES: Record<string, string> = {
  [SIZE_PATTERN]: 'a size such as 2GB or 500MB',
  [DURATION_PATTERN]: 'a duration such as 30m, 12h, 7d or forever',
  [RATE_PATTERN]: 'a rate such as 30/minute (per second, minute, hour or day)',
  [REDIS_PATTERN]: 'a redis:// or rediss:// URL',
  [HOST_PATTERN]: 'a host such as api.example.com, a host and port such as api.example.com:8443, or a wildcard such as *.example.com',
};

const path = <D extends string>(description: D) => ({ type: 'string', minLength: 1, description }) as const satisfies JSONSchema;

export const limitSchema = {
  type: 'object',
  description: 'A named limit steps share with `limit: <name>`; it overrides a pipeline limit of the same name',
  additionalProperties: false,
  properties: {
    rate: { type: 'string', pattern: RATE_PATTERN, description: 'Requests allowed per period, e.g. `30/minute` (token bucket)', examples: ['30/minute', '200/hour'] },
    burst: { type: 'integer', minimum: 1, description: 'Tokens the bucket holds, i.e. requests allowed at once after a quiet spell. @default 1 (requests evenly spaced)' },
    concurrency: { type: 'integer', minimum: 1, description: 'Requests in flight at the same time under this limit' },
  },
} as const satisfies JSONSchema;

/** The base keys, without plugin sections. Every property has a description and, where one exists, a default. */
export const BASE_PROPERTIES = {
  plugins: {
    type: 'array',
    description: 'Third-party plugins to load besides the ones found in node_modules: npm package names or local paths (relative to the project root)',
    items: { type: 'string', minLength: 1 },
    default: [],
  },
  paths: {
    type: 'object',
    description: 'Where pipelines may read and write files',
    additionalProperties: false,
    default: {},
    properties: {
      allow: {
        type: 'array',
        description: 'Extra folders (absolute, or relative to the project root) pipelines may read and write besides the project root',
        items: { type: 'string', minLength: 1 },
        default: [],
      },
    },
  },
  concurrency: {
    type: 'integer',
    minimum: 1,
    description: 'Steps run at the same time at most. Defaults to the number of CPUs of this machine',
  },
  limits: {
    type: 'object',
    description: 'Named rate and concurrency limits, e.g. `llm: { rate: 30/minute, concurrency: 2 }`',
    additionalProperties: limitSchema,
    default: {},
  },
  cache: {
    type: 'object',
    description: 'The step and call cache in `.mpv2/cache/`',
    additionalProperties: false,
    default: {},
    properties: {
      enabled: { type: 'boolean', description: 'Use the cache at all (`--no-cache` turns it off for one run)', default: true },
      maxSize: { type: 'string', pattern: SIZE_PATTERN, description: 'Largest size of the cache folder; the least recently used entries go first (`B`, `KB`, `MB`, `GB`, `TB`)', default: '2GB' },
      defaultTtl: {
        type: 'string',
        pattern: DURATION_PATTERN,
        description: 'How long a cached step result stays valid when the step and plugin say nothing (`7d`, `12h`, `forever`)',
        default: '7d',
      },
    },
  },
  ffmpeg: {
    type: 'object',
    description: 'Where ffmpeg is. Lookup order: `ffmpeg.path` > FFMPEG_PATH > `ffmpeg` on PATH > the npm @ffmpeg-installer binary',
    additionalProperties: false,
    default: {},
    properties: {
      path: path('Path of the ffmpeg binary (also set by FFMPEG_PATH)'),
      ffprobePath: path('Path of the ffprobe binary. @default next to ffmpeg, or on PATH'),
      hwaccel: {
        type: 'string',
        enum: ['none', 'auto', 'vaapi', 'nvenc', 'qsv', 'videotoolbox'],
        description: 'Hardware video encoding; used only when the detected ffmpeg has the matching encoder',
        default: 'none',
      },
    },
  },
  browser: {
    type: 'object',
    description: 'The browser used by browser automation (Selenium WebDriver)',
    additionalProperties: false,
    default: {},
    properties: {
      chromiumPath: path('Path of the chromium / chrome binary. @default found on PATH (chromium, chromium-browser, google-chrome)'),
      chromedriverPath: path('Path of chromedriver. @default found on PATH'),
      headless: { type: 'boolean', description: 'Run the browser without a window', default: true },
      geckodriverPath: path('Path of geckodriver, to use Firefox instead of chromium (untested)'),
    },
  },
  log: {
    type: 'object',
    description: 'Run logs in `.mpv2/logs/` (NDJSON, secrets redacted)',
    additionalProperties: false,
    default: {},
    properties: {
      level: { type: 'string', enum: ['trace', 'debug', 'info', 'warn', 'error', 'silent'], description: 'Lowest level written to the log file', default: 'info' },
    },
  },
  runs: {
    type: 'object',
    description: 'Run folders in `.mpv2/runs/`',
    additionalProperties: false,
    default: {},
    properties: {
      keep: { type: 'integer', minimum: 0, description: 'Finished runs kept by `mpv2 runs prune` (0 keeps none)', default: 50 },
    },
  },
  http: {
    type: 'object',
    description: 'The HTTP client every plugin shares: the rules below hold for each request and redirect any plugin makes through it',
    additionalProperties: false,
    default: {},
    properties: {
      maxSockets: {
        type: 'integer',
        minimum: 1,
        description: 'Connections open at once to one host (per host and port, for the whole process); more requests wait for a free one',
        default: 16,
      },
      allowHosts: {
        type: 'array',
        description: 'Hosts requests and redirects may reach: `api.example.com` (any port), `api.example.com:8443`, `*.example.com` (its subdomains). Empty: every host. Others are refused with E_HOST_NOT_ALLOWED before anything is sent',
        items: { type: 'string', pattern: HOST_PATTERN },
        default: [],
      },
    },
  },
  queue: {
    type: 'object',
    description: 'The shared job queue for `mpv2 worker` (scale-out over Redis); off when `url` is unset',
    additionalProperties: false,
    default: {},
    properties: {
      url: { type: 'string', pattern: REDIS_PATTERN, writeOnly: true, description: 'Redis URL, e.g. `redis://:password@127.0.0.1:6379/0` (also set by REDIS_URL); secret because it may hold a password' },
      holdWaitUpTo: {
        type: 'string',
        pattern: DURATION_PATTERN,
        description: 'A run on `mpv2 worker` (local queue or Redis) whose step waits for its posting time (posting slots, `publishAt`) sleeps in the worker only up to this long; a longer wait pauses the run (`waiting-slot`, holding no worker) and a queued job continues it at the time. `forever`: always wait in the worker',
        default: '2m',
      },
    },
  },
  serve: {
    type: 'object',
    description: '`mpv2 serve`: the REST API and the web studio (docs/serve.md)',
    additionalProperties: false,
    default: {},
    properties: {
      port: { type: 'integer', minimum: 0, maximum: 65535, description: 'TCP port (0: any free port); `--port` overrides it', default: 3777 },
      host: { type: 'string', minLength: 1, description: 'Address to listen on; any address but the loopback requires a token (MPV2_SERVE_TOKEN, or one generated and printed once); `--host` overrides it', default: '127.0.0.1' },
      cors: {
        type: 'array',
        description: 'Origins (e.g. `https://studio.example.com`) whose pages may call the API from a browser; empty: none (CORS off)',
        items: { type: 'string', pattern: '^https?://[^/]+$' },
        default: [],
      },
      pipelines: {
        type: 'array',
        description: 'More folders (relative to the project root) whose `*.yaml` pipelines the API lists next to `pipelines/`',
        items: { type: 'string', minLength: 1 },
        default: [],
      },
    },
  },
  approvals: {
    type: 'object',
    description: 'Effect steps that wait for a person\'s approval before they act, by plugin id (`ns.plugin`) or namespace (`ns`): `required` or `none`. A step\'s own `approval:` wins; the plugin id wins over its namespace. `mpv2 approvals` lists the waiting ones',
    additionalProperties: { enum: ['required', 'none'] },
    propertyNames: { pattern: '^[A-Za-z0-9@][\\w@/.-]*$' },
    default: {},
  },
} as const satisfies Record<string, JSONSchema>;

/** The base sections as one object schema, for deriving their type (src/config/types.ts). */
export type BaseConfigSchema = { type: 'object'; additionalProperties: false; properties: typeof BASE_PROPERTIES };

export const BASE_KEYS = Object.keys(BASE_PROPERTIES);

export interface BuildSchemaOptions {
  /**
   * Accept sections not listed (third-party plugin namespaces) as objects. The checked-in
   * schema file is open; `loadConfig` validates with a closed schema built from every
   * loaded plugin. @default false
   */
  openNamespaces?: boolean;
}

/** The base schema plus one property per plugin namespace (namespace → the plugin's config schema). */
export function buildConfigSchema(pluginSchemas: Record<string, JSONSchema> = {}, opts: BuildSchemaOptions = {}): JSONSchema {
  const properties: Record<string, JSONSchema> = { $schema: { type: 'string', description: 'The JSON Schema of this file, for editors' }, ...BASE_PROPERTIES };
  for (const ns of Object.keys(pluginSchemas).sort()) {
    if (ns in BASE_PROPERTIES) throw new Error(`plugin namespace "${ns}" clashes with the base config key of the same name`);
    const s = pluginSchemas[ns]!;
    properties[ns] = { description: `Config of the ${ns}.* plugins`, default: {}, ...s, type: 'object' };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'mpv2 config',
    description: 'mpv2 project config (.mpv2rc, .mpv2rc.{json,yaml,yml,js,mjs,cjs}, mpv2.config.{js,mjs,cjs} or package.json#mpv2). See docs/config.md',
    type: 'object',
    properties,
    additionalProperties: opts.openNamespaces
      ? { type: 'object', description: 'Config of a plugin namespace (the part of a plugin id before the first dot)' }
      : false,
  };
}

/** The schema as checked in: base + the given plugin sections, open to third-party namespaces. */
export function configSchemaForFile(pluginSchemas: Record<string, JSONSchema> = {}): string {
  return `${JSON.stringify(buildConfigSchema(pluginSchemas, { openNamespaces: true }), null, 2)}\n`;
}

/** Writes `configSchemaForFile(pluginSchemas)` to `file` (used by the CLI and the sync test). */
export function writeSchemaFile(file: string, pluginSchemas: Record<string, JSONSchema> = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, configSchemaForFile(pluginSchemas));
}
