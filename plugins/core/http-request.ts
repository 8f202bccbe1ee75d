import { definePlugin } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import { hashValue, sha256 } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { hasExpression } from './config.js';
import { buildUrl, displayUrl } from './http-url.js';
import { exchange, parseAnswer, sendRequest, type HttpOutput } from './http-send.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const httpRequestInput = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', description: 'Absolute http(s) URL.' },
    method: { type: 'string', enum: METHODS, default: 'GET', description: 'HTTP method (upper case).' },
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
    idempotencyKey: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Sent as the `Idempotency-Key` header, for services that answer a repeated key with the first outcome instead of acting twice. Two requests with different keys are different effects. None by default.',
    },
  },
} as const satisfies JSONSchema;

/** `with` of http.request, defaults filled in by the engine. */
export type HttpRequestInput = FromSchema<typeof httpRequestInput>;

// the plan also asks on the static `with`, before defaults are filled: `method` may be absent there
const isEffect = (input: Pick<Partial<HttpRequestInput>, 'method' | 'effect'>): boolean => input.effect ?? !['GET', 'HEAD'].includes(String(input.method ?? 'GET').toUpperCase());

const HEADERS: JSONSchema = { type: 'object', description: 'Response headers, lower-case names (set-cookie left out).', additionalProperties: { type: 'string' } };
const STATUS: JSONSchema = { type: 'integer', description: 'HTTP status (0 in a dry run of an effect).' };
const JSON_OUT: JSONSchema = { description: 'The parsed JSON body (responseType json, or auto with a JSON content-type).' };
const BODY_OUT: JSONSchema = { type: 'string', description: 'The body as text (responseType text, or auto with another content-type).' };

export default definePlugin<HttpRequestInput, HttpOutput>({
  id: 'http.request',
  version: '1.0.0',
  description: 'Make an HTTP request (GET/HEAD are cached; other methods are effects, done once)',
  input: httpRequestInput,
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
    const method = input.method;
    const url = buildUrl(input.url, input.query);
    const timeoutMs = parseDuration(input.timeout, 'timeout');
    const headers = withIdempotencyKey(input.headers ?? {}, input.idempotencyKey);
    const request = { method, url, headers, json: input.json, body: input.body, timeoutMs };
    if (!isEffect(input)) return sendRequest(ctx, { ...request, responseType: input.responseType });
    const bodyHash = input.json !== undefined ? hashValue(input.json) : input.body !== undefined ? sha256(input.body) : null;
    const key = [method, input.url, input.query ?? null, bodyHash, ...(input.idempotencyKey === undefined ? [] : [input.idempotencyKey])];
    // only the exchange is the act: a body that does not parse fails the step after the
    // answer is recorded, so the next run does not send again
    const answer = await ctx.effect(key, () => exchange(ctx, request), {
      describe: {
        method,
        url: displayUrl(url),
        headers: Object.keys(headers),
        ...(bodyHash && { body: input.json !== undefined ? 'json' : 'text', bodySha256: bodyHash }),
      },
    });
    // in a dry run ctx.effect only writes the description: nothing was sent
    if (answer === undefined) return { status: 0, headers: {}, body: '' };
    // answers recorded before the exchange was split from parsing hold `json` already
    if ('json' in answer) return answer as HttpOutput;
    return parseAnswer(answer, input.responseType, `http.request ${method} ${displayUrl(url)}`);
  },
});

/** The `Idempotency-Key` header from `idempotencyKey`; refused when `headers` sets another. */
function withIdempotencyKey(headers: Record<string, string | number | boolean>, key: string | undefined): Record<string, string | number | boolean> {
  if (key === undefined) return headers;
  const clash = Object.entries(headers).find(([name, value]) => name.toLowerCase() === 'idempotency-key' && String(value) !== key);
  if (clash) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `http.request has an Idempotency-Key header ("${String(clash[1])}") and an idempotencyKey ("${key}") that differ`, {
      hint: 'give the key once, with `idempotencyKey`',
    });
  }
  const rest = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'idempotency-key'));
  return { ...rest, 'Idempotency-Key': key };
}
