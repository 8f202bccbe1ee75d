/** The shapes of the REST API's answers (docs/serve.md) that the studio reads; other fields are left out. */

/** A JSON Schema as the API sends it (the pipeline's `inputs`). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  format?: string;
}

export interface Pipeline {
  id: string;
  file: string;
  name: string;
  description?: string;
  inputs: JsonSchema;
  /** false when the file does not load; `problems` say why. */
  valid?: boolean;
  problems?: Problem[];
  /** The YAML text, when the API sends it (the editor opens it). */
  yaml?: string;
}

export interface StepRow {
  stepId: string;
  plugin?: string;
  status: string;
  cached?: boolean;
  attempts?: number;
  durationMs?: number;
  outputs?: unknown;
  error?: { code?: string; pluginCode?: string; message?: string; hint?: string } | null;
  skipReason?: string;
  items?: Array<Omit<StepRow, 'stepId' | 'items'> & { index: number }>;
}

export interface Run {
  runId: string;
  pipeline: string;
  name?: string;
  durationMs?: number;
  status: string;
  startedAt?: string;
  finishedAt?: string;
  steps?: StepRow[];
  outputs?: Record<string, unknown> | null;
  inputs?: Record<string, unknown>;
  error?: { code?: string; message?: string } | null;
}

export interface Approval {
  id: string;
  runId: string;
  stepId: string;
  plugin: string;
  status?: string;
  note?: string;
  decidedAt?: string;
  createdAt?: string;
  preview?: Record<string, unknown>;
}

export interface Account {
  name: string;
  platform: string;
  niche?: string;
  language?: string;
  disabled?: boolean;
  usesToday?: number;
  maxPerDay?: number;
  lastUse?: string;
  /** `ok`, `capped` (today's acts reached the cap) or `disabled`. */
  health?: string;
  hasCredentials?: boolean;
}

export interface Schedule {
  name: string;
  pipeline: string;
  cron: string;
  tz?: string;
  paused: boolean;
  next?: string[];
  lastTick?: { tick: string; status: string };
}

/** One problem of `POST /api/pipelines/validate`, as `mpv2 validate` reports it. */
export interface Problem {
  code: string;
  message: string;
  line?: number;
  column?: number;
  hint?: string;
}
