import { definePlugin } from '../../src/plugin/define.js';
import { mpv2Error } from '../../src/errors.js';
import { parseDuration } from '../../src/infra/duration.js';
import { hashValue, sha256 } from '../../src/infra/hash.js';
import type { Duration, JSONSchema } from '../../src/plugin/types.js';
import { hasExpression } from './config.js';
import { buildUrl, displayUrl, type QueryValue } from './http-url.js';
import { sendRequest, type HttpOutput } from './http-send.js';
import type { ResponseType } from './http-response.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof METHODS)[number];

export interface HttpRequestInput {
  url: string;
  /** @default 'GET' */
  method: HttpMethod;
  headers?: Record<string, string | number | boolean>;
  query?: Record<string, QueryValue>;
  /** A value sent as JSON (content-type application/json). */
  json?: unknown;
  /** A string sent as it is (content-type text/plain unless `headers` says otherwise). */
  body?: string;
  /** @default '30s' */
  timeout: Duration;
  /** @default true for methods other than GET and HEAD */
  effect?: boolean;
  /** @default 'auto' */
  responseType: ResponseType;
}

const isEffect = (input: HttpRequestInput): boolean => input.effect ?? !['GET', 'HEAD'].includes(String(input.method ?? 'GET').toUpperCase());

const HEADERS: JSONSchema = { type: 'object', description: 'Response headers, lower-case names (set-cookie left out).', additionalProperties: { type: 'string' } };
const STATUS: JSONSchema = { type: 'integer', description: 'HTTP status (0 in a dry run of an effect).' };
const JSON_OUT: JSONSchema = { description: 'The parsed JSON body (responseType json, or auto with a JSON content-type).' };
const BODY_OUT: JSONSchema = { type: 'string', description: 'The body as text (responseType text, or auto with another content-type).' };

export default definePlugin<HttpRequestInput, HttpOutput>({
  id: 'http.request',
  version: '1.0.0',
  description: 'Make an HTTP request (GET/HEAD are cached; other methods are effects, done once)',
  input: {
    type: 'object',
    required: ['url'],
    additionalProperties: false,
    properties: {
      url: { type: 'string', description: 'Absolute http(s) URL.' },
      method: { type: 'string', enum: [...METHODS], default: 'GET', description: 'HTTP method (upper case).' },
      headers: {
        type: 'object',
        description: 'Request headers. Authorization and Cookie values are redacted from logs.',
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
      query: {
        type: 'object',
        description: 'Query parameters, URL-encoded and added to `url`; a list repeats the key, null leaves it out.',
        additionalProperties: {
          anyOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }],
        },
      },
      json: { description: 'A value to send as a JSON body (sets content-type: application/json). Not with `body`.' },
      body: { type: 'string', description: 'A text body sent as it is (content-type text/plain unless `headers` sets one). Not with `json`.' },
      timeout: { type: ['string', 'number'], default: '30s', description: 'Give up after this long (e.g. 500ms, 10s, 2m): E_TIMEOUT, retryable.' },
      effect: { type: 'boolean', description: 'Treat the request as an external effect (done once, never cached). Default: true for methods other than GET and HEAD.' },
      responseType: {
        type: 'string',
        enum: ['auto', 'json', 'text'],
        default: 'auto',
        description: 'auto: `json` when the content-type is JSON, else `body`; json: always parse; text: always `body`.',
      },
    },
  },
  output: {
    type: 'object',
    required: ['status', 'headers'],
    additionalProperties: false,
    properties: { status: STATUS, headers: HEADERS, json: JSON_OUT, body: BODY_OUT },
  },
  outputSchema: (w) => {
    const rt = w?.responseType;
    if (typeof rt !== 'string' || hasExpression(rt) || rt === 'auto') return undefined;
    const properties = { status: STATUS, headers: HEADERS, ...(rt === 'json' ? { json: JSON_OUT } : { body: BODY_OUT }) };
    return { type: 'object', required: ['status', 'headers'], properties, additionalProperties: false };
  },
  effect: isEffect,
  pure: true,
  defaults: { retry: { attempts: 3 } },
  async run(ctx, input) {
    if (input.json !== undefined && input.body !== undefined) {
      throw mpv2Error('E_INPUT_INVALID', 'http.request takes `json` or `body`, not both', {
        hint: '`json` for a value sent as JSON, `body` for text sent as it is',
      });
    }
    const method = String(input.method ?? 'GET').toUpperCase() as HttpMethod;
    const url = buildUrl(input.url, input.query);
    const timeoutMs = parseDuration(input.timeout ?? '30s', 'timeout');
    const send = (): Promise<HttpOutput> => sendRequest(ctx, {
      method, url, headers: input.headers ?? {}, json: input.json, body: input.body, timeoutMs, responseType: input.responseType ?? 'auto',
    });
    if (!isEffect(input)) return send();
    const bodyHash = input.json !== undefined ? hashValue(input.json) : input.body !== undefined ? sha256(input.body) : null;
    const done = await ctx.effect([method, input.url, input.query ?? null, bodyHash], send, {
      describe: {
        method,
        url: displayUrl(url),
        headers: Object.keys(input.headers ?? {}),
        ...(bodyHash && { body: input.json !== undefined ? 'json' : 'text', bodySha256: bodyHash }),
      },
    });
    // in a dry run ctx.effect only writes the description: nothing was sent
    return done ?? { status: 0, headers: {}, body: '' };
  },
});
