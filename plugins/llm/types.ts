/**
 * The shapes shared by the LLM layer: what a caller asks (`LlmRequest`), what it gets back
 * (`LlmResult`), and the one interface every provider driver implements.
 */
import type { AxiosInstance } from 'axios';
import type { Duration, JSONSchema, StepLogger } from 'mpv2/plugin';
import type { FromSchema } from 'mpv2/plugin';
import type { GenerateInput, GenerateOutput, providerRef } from './schemas.js';

/** One message of a conversation, as llm.generate's `messages` takes it. */
export type LlmMessage = NonNullable<GenerateInput['messages']>[number];
export type LlmRole = LlmMessage['role'];

/** A provider in a fallback list: a configured name, or a name with its own model. */
export type ProviderRef = FromSchema<typeof providerRef>;

export interface LlmRequest {
  /** The conversation. `complete()` adds nothing but the JSON instructions and repairs. */
  messages: LlmMessage[];
  /** A provider name or an ordered fallback list. @default config `defaultProvider`, else the first available */
  provider?: ProviderRef | ProviderRef[];
  /** Overrides each provider's configured model (a list entry's own `model` wins). */
  model?: string;
  temperature?: number;
  maxTokens?: number;
  /** Ask for JSON matching this schema; the reply is validated and repaired (at most 2 times). */
  schema?: JSONSchema;
  /** Stream tokens and report `N tokens` progress. @default true */
  stream?: boolean;
  /** TTL of the per-call cache; `false` asks the provider every time. @default '1d' */
  cacheTtl?: Duration | 'forever' | false;
  /** Run each HTTP call under this named limit (`ctx.limit`). */
  limit?: string;
}

/** Tokens and cost, as llm.generate outputs them (`costUsd` only when the config's `prices` table knows the model). */
export type LlmUsage = GenerateOutput['usage'];

export interface LlmResult {
  text: string;
  /** The parsed JSON when a schema was given. */
  data?: unknown;
  usage: LlmUsage;
  model: string;
  provider: string;
  /** HTTP calls made by this request (0 when the answer came from the call cache). */
  calls: number;
  cached: boolean;
}

/** A provider after config, presets and secrets were merged. */
export interface ResolvedProvider {
  name: string;
  type: 'mistral' | 'openai' | 'ollama';
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** The environment variable that holds this provider's key, for error messages. */
  keyEnv?: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** How strongly a driver asks for JSON; drivers step down when a server refuses a mode. */
export type JsonMode = 'schema' | 'object' | 'none';

export interface DriverCall {
  provider: ResolvedProvider;
  model: string;
  messages: LlmMessage[];
  temperature?: number;
  maxTokens?: number;
  schema?: JSONSchema;
  jsonMode: JsonMode;
  stream: boolean;
  signal: AbortSignal;
  /** Called as streamed content arrives, with the number of chunks so far. */
  onChunk?: (chunks: number) => void;
}

export interface DriverReply {
  text: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export interface DriverDeps {
  http: AxiosInstance;
  log?: StepLogger;
}

export interface ProviderDriver {
  chat(deps: DriverDeps, call: DriverCall): Promise<DriverReply>;
  /** A cheap request for `mpv2 doctor`: the names of the models the server offers. */
  listModels(deps: DriverDeps, provider: ResolvedProvider, signal: AbortSignal): Promise<string[]>;
}
