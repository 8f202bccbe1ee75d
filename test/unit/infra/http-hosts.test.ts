import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { HOST_PATTERN, hostAllowList } from '../../../src/infra/http-hosts.js';
import { dropCredentialHeaders, sameOrigin } from '../../../src/infra/http-redirect.js';
import { Redactor } from '../../../src/infra/redact.js';

const allows = (entries: string[], url: string) => hostAllowList(entries).allows(new URL(url));

describe('http.allowHosts entries', () => {
  it('an empty list allows every host', () => {
    expect(allows([], 'https://anything.example/')).toBe(true);
  });

  it('a host allows it on any port, and nothing else', () => {
    expect(allows(['api.example.com'], 'https://api.example.com/v1')).toBe(true);
    expect(allows(['api.example.com'], 'http://API.example.com:8080/')).toBe(true);
    expect(allows(['api.example.com'], 'https://evil.api.example.com/')).toBe(false);
    expect(allows(['api.example.com'], 'https://api.example.com.evil.net/')).toBe(false);
    expect(allows(['127.0.0.1'], 'http://localhost/')).toBe(false);
  });

  it('host:port allows that port only, the scheme default counting as written', () => {
    expect(allows(['api.example.com:8443'], 'https://api.example.com:8443/')).toBe(true);
    expect(allows(['api.example.com:8443'], 'https://api.example.com/')).toBe(false);
    expect(allows(['api.example.com:443'], 'https://api.example.com/')).toBe(true);
    expect(allows(['api.example.com:443'], 'http://api.example.com/')).toBe(false);
    expect(allows(['[::1]:8080'], 'http://[::1]:8080/')).toBe(true);
  });

  it('*.example.com allows subdomains at any depth, not example.com itself', () => {
    expect(allows(['*.example.com'], 'https://a.example.com/')).toBe(true);
    expect(allows(['*.example.com'], 'https://a.b.example.com/')).toBe(true);
    expect(allows(['*.example.com'], 'https://example.com/')).toBe(false);
    expect(allows(['*.example.com'], 'https://badexample.com/')).toBe(false);
    expect(allows(['*.example.com:8443'], 'https://a.example.com/')).toBe(false);
  });

  it('the config pattern accepts the documented forms and refuses URLs and paths', () => {
    const ok = new Ajv().compile({ type: 'string', pattern: HOST_PATTERN });
    for (const good of ['api.example.com', 'api.example.com:8443', '*.example.com', '127.0.0.1', 'localhost:3000', '[::1]:8080', 'example.com.']) {
      expect(ok(good), good).toBe(true);
    }
    for (const bad of ['https://api.example.com', 'api.example.com/v1', '*', '*.', 'a..b', 'host:port', 'user@host', '']) {
      expect(ok(bad), bad).toBe(false);
    }
  });
});

describe('what counts as another origin on a redirect', () => {
  const same = (a: string, b: string) => sameOrigin(new URL(a), new URL(b));
  it('scheme, host and port must all match', () => {
    expect(same('https://a.example/x', 'https://a.example/y?z')).toBe(true);
    expect(same('https://a.example/', 'https://A.EXAMPLE:443/')).toBe(true);
    expect(same('https://a.example/', 'https://a.example:8443/')).toBe(false);
    expect(same('https://a.example/', 'https://b.a.example/')).toBe(false);
    expect(same('http://127.0.0.1:3000/', 'http://localhost:3000/')).toBe(false);
  });
  it('a downgrade to http is another origin; an upgrade from http:80 to https:443 of the same host is not', () => {
    expect(same('https://a.example/', 'http://a.example/')).toBe(false);
    expect(same('https://a.example:8080/', 'http://a.example:8080/')).toBe(false);
    expect(same('http://a.example/', 'https://a.example/')).toBe(true);
    expect(same('http://a.example:8080/', 'https://a.example:8443/')).toBe(false);
  });
});

describe('credential headers', () => {
  it('drops names that carry credentials and values that hold a known secret, keeps the rest', () => {
    const redactor = new Redactor(['s3cr3t-value-123']);
    const headers: Record<string, unknown> = {
      Authorization: 'Bearer x', 'Proxy-Authorization': 'Basic y', Cookie: 'sid=1', 'X-Api-Key': 'k', 'x-auth-token': 't',
      'X-Session-Id': 's', 'X-Client-Secret': 'c', 'X-Password': 'p', APIKEY: 'k2',
      'X-Signature': 'sig=s3cr3t-value-123', 'X-Encoded': Buffer.from('s3cr3t-value-123').toString('base64'),
      'X-Trace': 'ordinary', Accept: 'application/json', 'Content-Type': 'text/plain',
    };
    dropCredentialHeaders(headers, redactor);
    expect(Object.keys(headers).sort()).toEqual(['Accept', 'Content-Type', 'X-Trace']);
  });
});
