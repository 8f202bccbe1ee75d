import { describe, expect, it } from 'vitest';
import { findJsonError, lineColumn } from '../../../src/infra/json-error.js';
import { buildUrl, displayUrl } from '../../../plugins/core/http-url.js';
import { decodeText, isJsonContentType, outputHeaders, parseBody } from '../../../plugins/core/http-response.js';

const decodeBody = (bytes: Buffer, ct: string, rt: 'auto' | 'json' | 'text', what: string) => parseBody(decodeText(bytes, ct), ct, rt, what);

describe('findJsonError', () => {
  const cases: Array<[string, number | undefined]> = [
    ['{"a": 1}', undefined],
    [' [1, -2.5e3, "x\\u00e9", true, false, null, {}] ', undefined],
    ['{"a": 1,}', 8],
    ['{a: 1}', 1],
    ['[1 2]', 3],
    ['{"a": 01}', 7],
    ['"abc', 4],
    ['{"a": "x\\q"}', 9],
    ['{"a": 1} x', 9],
    ['', 0],
  ];
  it.each(cases)('%j → %s', (text, offset) => {
    expect(findJsonError(text)?.offset).toBe(offset);
    expect(() => JSON.parse(text)).toSatisfy((f: () => unknown) => { try { f(); return offset === undefined; } catch { return offset !== undefined; } });
  });

  it('maps offsets to 1-based line:column', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});

describe('buildUrl / displayUrl', () => {
  it('encodes query values, repeats lists, skips null, keeps the query already in the URL', () => {
    const u = buildUrl('https://x.test/s?fixed=1', { q: 'a b&c=d/é', n: 5, on: true, tag: ['x', 'y'], gone: null });
    expect(u.toString()).toBe('https://x.test/s?fixed=1&q=a+b%26c%3Dd%2F%C3%A9&n=5&on=true&tag=x&tag=y');
  });

  it('refuses schemes other than http(s) and relative URLs', () => {
    for (const url of ['file:///etc/passwd', 'data:text/plain,hi', 'ftp://x.test/f', 'javascript:alert(1)', '/relative', 'x.test']) {
      expect(() => buildUrl(url, undefined), url).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID' }));
    }
  });

  it('hides credentials and secret-looking query values', () => {
    const u = buildUrl('https://user:pw@x.test/p', { api_key: 'SECRET', access_token: 'T', page: 2 });
    expect(displayUrl(u)).toBe('https://x.test/p?api_key=***&access_token=***&page=2');
  });
});

describe('response helpers', () => {
  it('lower-cases headers, joins lists, drops set-cookie', () => {
    expect(outputHeaders({ 'Content-Type': 'text/plain', 'Set-Cookie': ['a=1'], 'X-Multi': ['a', 'b'] })).toEqual({ 'content-type': 'text/plain', 'x-multi': 'a, b' });
  });

  it('recognises JSON content types', () => {
    for (const t of ['application/json', 'application/json; charset=utf-8', 'application/problem+json', 'application/vnd.api+json']) expect(isJsonContentType(t), t).toBe(true);
    for (const t of ['text/plain', 'text/html', 'application/jsonp', undefined]) expect(isJsonContentType(t), String(t)).toBe(false);
  });

  it('decodes by responseType and charset', () => {
    const b = (s: string): Buffer => Buffer.from(s);
    expect(decodeBody(b('{"a":1}'), 'application/json', 'auto', 'x')).toEqual({ json: { a: 1 } });
    expect(decodeBody(b('{"a":1}'), 'text/plain', 'auto', 'x')).toEqual({ body: '{"a":1}' });
    expect(decodeBody(b('{"a":1}'), 'text/plain', 'json', 'x')).toEqual({ json: { a: 1 } });
    expect(decodeBody(b('{"a":1}'), 'application/json', 'text', 'x')).toEqual({ body: '{"a":1}' });
    expect(decodeBody(b('not json'), 'application/json', 'auto', 'x')).toEqual({ body: 'not json' });
    expect(decodeBody(b(''), 'application/json', 'auto', 'x')).toEqual({ json: null });
    expect(() => decodeBody(b('nope'), 'text/plain', 'json', 'x')).toThrow(expect.objectContaining({ code: 'E_HTTP' }));
    expect(decodeBody(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset=iso-8859-1', 'auto', 'x')).toEqual({ body: 'café' });
  });
});
