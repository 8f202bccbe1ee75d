import { describe, expect, it } from 'vitest';
import { isMpv2Error, type Mpv2Error } from '../../../src/errors.js';
import { loadConfig } from '../../../src/config/load.js';
import { makeProject } from './helpers.js';

const load = (root: string, env: Record<string, string> = {}) => loadConfig({ cwd: root, root, env });

describe('the http section', () => {
  it('defaults to 16 sockets per host and every host allowed', async () => {
    const c = await load(makeProject());
    expect(c.values.http).toEqual({ maxSockets: 16, allowHosts: [] });
  });

  it('is set from the file and from MPV2_HTTP__* variables', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'http:\n  allowHosts: [api.example.com, "*.example.net:8443"]\n' });
    expect((await load(root)).values.http).toEqual({ maxSockets: 16, allowHosts: ['api.example.com', '*.example.net:8443'] });
    const c = await load(root, { MPV2_HTTP__MAX_SOCKETS: '4', MPV2_HTTP__ALLOW_HOSTS: '["127.0.0.1:8080"]' });
    expect(c.values.http).toEqual({ maxSockets: 4, allowHosts: ['127.0.0.1:8080'] });
    expect(c.origins['http.maxSockets']).toBe('env MPV2_HTTP__MAX_SOCKETS');
  });

  it('refuses an entry that is not a host, saying what one looks like', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'http:\n  allowHosts: ["https://api.example.com/v1"]\n  maxSockets: 0\n' });
    const e = await load(root).then(() => undefined, (x: unknown) => x);
    expect(isMpv2Error(e)).toBe(true);
    expect((e as Mpv2Error).code).toBe('E_CONFIG_INVALID');
    expect((e as Mpv2Error).message).toContain('http.allowHosts');
    expect((e as Mpv2Error).message).toContain('a host such as api.example.com');
    expect((e as Mpv2Error).message).toContain('http.maxSockets');
  });
});
