import { describe, expect, it } from 'vitest';
import { mpv2Error, Mpv2Error } from '../../../src/errors.js';
import { REDACTED, Redactor, redactError } from '../../../src/infra/redact.js';
import { expectNoSecret, secretEncodings } from '../../helpers/secret-encodings.js';

const SECRET = 'sk-Abc/123+x y=z';

describe('Redactor.redact', () => {
  const r = new Redactor([SECRET, 'tok']);

  it('masks the plain secret everywhere in a string', () => {
    expect(r.redact(`key=${SECRET}; again ${SECRET}.`)).toBe(`key=${REDACTED}; again ${REDACTED}.`);
  });

  it('ignores secrets shorter than 4 characters', () => {
    expect(r.redact('a token tok')).toBe('a token tok');
  });

  it('masks the URL-encoded forms', () => {
    const enc = encodeURIComponent(SECRET);
    expect(enc).not.toBe(SECRET);
    expect(r.redact(`https://api.example/v1?key=${enc}&q=1`)).toBe(`https://api.example/v1?key=${REDACTED}&q=1`);
    expect(r.redact(`k=${enc.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`)).toBe(`k=${REDACTED}`);
    expect(r.redact(`k=${enc.replace(/%20/g, '+')}`)).toBe(`k=${REDACTED}`);
  });

  it('masks base64 (padded and not) and base64url forms', () => {
    const b64 = Buffer.from(SECRET).toString('base64');
    const url = Buffer.from(SECRET).toString('base64url');
    expect(b64).toMatch(/[+/=]/);
    expect(r.redact(`Basic ${b64}`)).toBe(`Basic ${REDACTED}`);
    expect(r.redact(`x ${b64.replace(/=+$/, '')} y`)).toBe(`x ${REDACTED} y`);
    expect(r.redact(`x ${url} y`)).toBe(`x ${REDACTED} y`);
  });

  it('masks the JSON-escaped form', () => {
    const q = new Redactor(['pa"ss\\word']);
    expect(q.redact(JSON.stringify({ p: 'pa"ss\\word' }))).toBe(`{"p":"${REDACTED}"}`);
  });

  it('masks the longest secret whole when one contains another', () => {
    const q = new Redactor(['abcd', 'abcdefgh']);
    expect(q.redact('abcdefgh abcd')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('picks up secrets added later and treats regex characters literally', () => {
    const q = new Redactor();
    expect(q.redact('a.b*c(d)')).toBe('a.b*c(d)');
    q.add('a.b*c(d)');
    q.addAll({ X: 'xxxx' });
    expect(q.redact('a.b*c(d) axbxc(d) xxxx')).toBe(`${REDACTED} axbxc(d) ${REDACTED}`);
    expect(q.size).toBe(2);
  });

  it('stays fast with many secrets and many calls', () => {
    const q = new Redactor(Array.from({ length: 200 }, (_v, i) => `secret-value-${i}-${'x'.repeat(i % 17)}`));
    const line = `{"level":"info","msg":"calling https://api/v1 with secret-value-150-${'x'.repeat(150 % 17)}","n":1}`;
    let out = '';
    for (let i = 0; i < 5000; i++) out = q.redact(line);
    expect(out).toBe(`{"level":"info","msg":"calling https://api/v1 with ${REDACTED}","n":1}`);
  });
});

describe('Redactor.redactDeep', () => {
  const r = new Redactor([SECRET]);

  it('redacts strings at any depth and masks credential-named keys', () => {
    const input = {
      url: `https://x/?k=${encodeURIComponent(SECRET)}`,
      headers: { Authorization: 'Bearer unknown-token', Cookie: 'sid=1', 'set-cookie': ['a=b'], 'X-Api-Key': 'k', accept: 'json' },
      body: { nested: [{ text: `say ${SECRET}` }], apiKey: 'zzz', api_key: 'yyy', password: 'p', accessToken: 't', clientSecret: 's', ok: true },
      maxTokens: 100,
      isSecret: false,
    };
    const out = r.redactDeep(input);
    expect(out).toEqual({
      url: `https://x/?k=${REDACTED}`,
      headers: { Authorization: REDACTED, Cookie: REDACTED, 'set-cookie': REDACTED, 'X-Api-Key': REDACTED, accept: 'json' },
      body: { nested: [{ text: `say ${REDACTED}` }], apiKey: REDACTED, api_key: REDACTED, password: REDACTED, accessToken: REDACTED, clientSecret: REDACTED, ok: true },
      maxTokens: 100,
      isSecret: false,
    });
    // a copy: the input is untouched
    expect(input.body.apiKey).toBe('zzz');
  });

  it('survives cycles and replaces opaque class instances', () => {
    const a: Record<string, unknown> = { s: SECRET };
    a.self = a;
    class Socket { fd = 3; }
    const out = r.redactDeep({ a, sock: new Socket(), when: new Date(0), buf: Buffer.from('x'), headers: { toJSON: undefined } });
    expect((out.a as Record<string, unknown>).s).toBe(REDACTED);
    expect(out.sock).toBe('[Socket]');
    expect(out.when).toEqual(new Date(0));
    expect(() => JSON.stringify({ ...out, a: undefined })).not.toThrow();
  });

  it('uses toJSON of class instances (e.g. AxiosHeaders)', () => {
    class Headers { toJSON() { return { Authorization: 'Bearer x', other: SECRET }; } }
    expect(r.redactDeep({ h: new Headers() })).toEqual({ h: { Authorization: REDACTED, other: REDACTED } });
  });
});

describe('redactError', () => {
  const r = new Redactor([SECRET]);

  it('copies message, stack, fields and the cause chain redacted, keeping the class and code', () => {
    const root = new Error(`socket hang up while sending ${SECRET}`);
    const mid = Object.assign(new Error(`request to https://x/?key=${encodeURIComponent(SECRET)} failed`, { cause: root }), {
      config: { headers: { Authorization: `Bearer ${SECRET}` } },
    });
    const top = mpv2Error('E_HTTP', `POST failed: ${SECRET}`, { cause: mid, details: { echoed: SECRET } });
    const out = r.redactError(top);
    expect(out).toBeInstanceOf(Mpv2Error);
    expect(out).not.toBe(top);
    expect(out.code).toBe('E_HTTP');
    expect(out.message).toBe(`POST failed: ${REDACTED}`);
    expect(out.stack).not.toContain(SECRET);
    expect(out.details).toEqual({ echoed: REDACTED });
    const c1 = out.cause as Error & { config: { headers: Record<string, string> } };
    expect(c1).toBeInstanceOf(Error);
    expect(c1.message).toBe(`request to https://x/?key=${REDACTED} failed`);
    expect(c1.config.headers.Authorization).toBe(REDACTED);
    const c2 = c1.cause as Error;
    expect(c2.message).toBe(`socket hang up while sending ${REDACTED}`);
    expect(c2.stack).not.toContain(SECRET);
    // the original is untouched
    expect(top.message).toContain(SECRET);
    expect(redactError(root, r).message).toBe(c2.message);
  });

  it('handles AggregateError lists and non-error causes', () => {
    const e = new AggregateError([new Error(SECRET)], 'many', { cause: `text ${SECRET}` });
    const out = r.redactError(e);
    expect(out.errors[0].message).toBe(REDACTED);
    expect(out.cause).toBe(`text ${REDACTED}`);
  });
});

describe('every encoding of a secret (issue 13 item 9)', () => {
  const SECRETS = ['Pa ss!w+rd/é€😀 "q" <&> \'x\'', 'sk-live_1234567890abcdef', 'a b', 'tab\there\nline'];

  it.each(SECRETS.filter((s) => s.length >= 4))('masks %j in every form, alone and inside other text', (secret) => {
    const r = new Redactor([secret]);
    for (const [name, form] of Object.entries(secretEncodings(secret))) {
      expectNoSecret(r.redact(form), secret, `${name} alone`);
      expectNoSecret(r.redact(`before ${form} after`), secret, `${name} in text`);
      expectNoSecret(r.redact(`q=${form}&next=1`), secret, `${name} in a query`);
    }
    for (const lead of ['', 'u', 'us', 'user:', 'Bearer ', 'ab']) {
      for (const tail of ['', 'x', 'xy', '&z=1']) {
        const b64 = Buffer.from(`${lead}${secret}${tail}`).toString('base64');
        expectNoSecret(r.redact(`Basic ${b64}`), secret, `base64 of ${JSON.stringify(lead)}+secret+${JSON.stringify(tail)}`);
        expectNoSecret(r.redact(Buffer.from(`${lead}${secret}${tail}`).toString('base64url')), secret, `base64url of ${JSON.stringify(lead)}+secret`);
      }
    }
    // a mix: JSON of a form-encoded body, percent-encoding with some characters left plain
    expectNoSecret(r.redact(JSON.stringify({ body: new URLSearchParams({ token: secret }).toString() })), secret, 'JSON of a form body');
    // encoded twice: a callback URL carrying the secret inside a query parameter; JSON inside JSON
    const callback = `https://app.test/cb?token=${encodeURIComponent(secret)}`;
    expectNoSecret(r.redact(`https://auth.test/login?next=${encodeURIComponent(callback)}`), secret, 'a URL inside a URL');
    expectNoSecret(r.redact(JSON.stringify({ inner: JSON.stringify({ secret }) })), secret, 'JSON inside JSON');
    // a byte that is not UTF-8 next to the encoded secret
    expectNoSecret(r.redact(`x=%FF${encodeURIComponent(secret)}%FE`), secret, 'next to a stray byte');
  });

  it('masks a piece of a secret cut off by a truncation mark, as error messages quote values', () => {
    const secret = 'sk-live_1234567890abcdef';
    const r = new Redactor([secret]);
    expect(r.redact(`Unexpected token 's', "${secret.slice(0, 10)}"... is not valid JSON`)).toBe(`Unexpected token 's', "${REDACTED}"... is not valid JSON`);
    expect(r.redact(`got "Bearer ${secret.slice(0, 12)}…"`)).toBe(`got "Bearer ${REDACTED}…"`);
    expect(r.redact(`..."${secret.slice(-9)} tail"`)).toBe(`..."${REDACTED} tail"`);
    // V8 quotes a window of a long text: a middle piece between two marks
    expect(r.redact(`Unexpected token 'x', ..."${secret.slice(4, 14)}"... is not valid JSON`)).toBe(`Unexpected token 'x', ..."${REDACTED}"... is not valid JSON`);
    let v8 = '';
    try { JSON.parse(`{"a": "${'x'.repeat(40)}", "b": ${secret}}`); } catch (e) { v8 = (e as Error).message; }
    expect(v8).toContain(secret.slice(0, 8));
    expectNoSecret(r.redact(v8), secret, 'a V8 JSON message');
    // short pieces and ordinary ellipses are left alone
    expect(r.redact('sk-li… and wait...')).toBe('sk-li… and wait...');
  });

  it('holdsSecret: true for any form of a secret or a credential-named key, false otherwise', () => {
    const secret = 'sk-live_1234567890abcdef';
    const r = new Redactor([secret]);
    expect(r.holdsSecret({ a: [1, { b: `Bearer ${secret}` }] })).toBe(true);
    expect(r.holdsSecret({ url: `https://x/?k=${encodeURIComponent(secret)}` })).toBe(true);
    expect(r.holdsSecret({ headers: { authorization: 'Basic xyz' } })).toBe(true);
    expect(r.holdsSecret({ a: 'plain', n: 1, ok: true, apiKey: null })).toBe(false);
  });
});
