import { describe, expect, it } from 'vitest';
import { httpFailureError, parseTokenCounts, scrub } from '../../../plugins/llm/errors.js';
import type { ResolvedProvider } from '../../../plugins/llm/types.js';

const p: ResolvedProvider = { name: 'groq', type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', model: 'm', apiKey: 'gsk_SECRET123', keyEnv: 'GROQ_API_KEY', headers: {}, timeoutMs: 1000 };

describe('parseTokenCounts', () => {
  it.each([
    ["This model's maximum context length is 8192 tokens. However, your messages resulted in 9500 tokens.", { limit: 8192, tokens: 9500 }],
    ['Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length', { limit: 32768, tokens: 40000 }],
    ['input length exceeds the context length', {}],
    ['Please reduce the length of the messages. Limit is 4096 tokens', { limit: 4096 }],
  ])('%s', (body, out) => { expect(parseTokenCounts(body)).toEqual(out); });
});

describe('httpFailureError', () => {
  it('401 names the env var and carries no key', () => {
    const e = httpFailureError({ status: 401, body: '{"error":"Invalid API Key gsk_SECRET123"}' }, p, 'm');
    expect(e.code).toBe('E_AUTH');
    expect(e.message).toContain('"groq"');
    expect(e.hint).toContain('GROQ_API_KEY');
    expect(e.message).not.toContain('gsk_SECRET123');
  });

  it.each([
    [429, 'E_RATE_LIMITED', true],
    [500, 'E_HTTP', true],
    [503, 'E_HTTP', true],
    [400, 'E_HTTP', false],
    [404, 'E_NOT_FOUND', false],
    [403, 'E_AUTH', false],
  ])('%i → %s (retryable %s)', (status, code, retryable) => {
    const e = httpFailureError({ status, body: 'x', retryAfter: '2' }, p, 'm');
    expect([e.code, e.retryable]).toEqual([code, retryable]);
  });

  it('scrubs bearer tokens too', () => {
    expect(scrub('Authorization: Bearer abcdefghijklmnop', { ...p, apiKey: undefined })).toBe('Authorization: Bearer ***');
  });
});
