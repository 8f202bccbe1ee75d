/** The shape of the merged config and of `loadConfig`'s answer. */

/** A named limit: `{ rate: '30/minute', burst: 5, concurrency: 2 }`. */
export interface LimitConfig {
  /** Requests per period: `N/second`, `N/minute`, `N/hour` or `N/day`. */
  rate?: string;
  /** Tokens the bucket holds. @default 1 (requests evenly spaced) */
  burst?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

/** The base sections of the config (defaults filled). */
export interface Mpv2BaseConfig {
  /** Third-party plugins: npm package names or local paths. @default [] */
  plugins: string[];
  paths: {
    /** Extra folders pipelines may read and write. @default [] */
    allow: string[];
  };
  /** Steps run at once at most. @default the number of CPUs */
  concurrency: number;
  /** Named limits. @default {} */
  limits: Record<string, LimitConfig>;
  cache: {
    /** @default true */
    enabled: boolean;
    /** @default '2GB' */
    maxSize: string;
    /** @default '7d' */
    defaultTtl: string;
  };
  ffmpeg: {
    path?: string;
    ffprobePath?: string;
    /** @default 'none' */
    hwaccel: 'none' | 'auto' | 'vaapi' | 'nvenc' | 'qsv' | 'videotoolbox';
  };
  browser: {
    chromiumPath?: string;
    chromedriverPath?: string;
    /** @default true */
    headless: boolean;
    geckodriverPath?: string;
  };
  log: {
    /** @default 'info' */
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  };
  runs: {
    /** @default 50 */
    keep: number;
  };
  http: {
    /** Connections open at once to one host:port. @default 16 */
    maxSockets: number;
    /** Hosts the shared HTTP client may reach; empty: any. @default [] */
    allowHosts: string[];
  };
  queue: {
    /** Redis URL (secret: it may hold a password). Unset: no shared queue. */
    url?: string;
  };
  serve: {
    port: number;
    host: string;
    /** Origins allowed to call the API from a browser; empty: CORS off. */
    cors: string[];
    /** More pipeline folders the API lists, relative to the root. */
    pipelines: string[];
  };
  /** Effect steps that wait for approval, by plugin id or namespace. @default {} */
  approvals: Record<string, 'required' | 'none'>;
}

/** The merged config: the base sections plus one section per plugin namespace (`llm`, `tts`, …). */
export type Mpv2Config = Mpv2BaseConfig & { [namespace: string]: unknown };

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** What a config file holds: any subset of `Mpv2Config`. */
export type Mpv2UserConfig = DeepPartial<Mpv2BaseConfig> & {
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
