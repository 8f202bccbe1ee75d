/** The project's `http` section reaches every step's ctx.http: allowHosts, maxSockets, and redirects that drop secrets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingServer, type CountingServer } from '../../servers/http-counting.js';
import { makeProject, type TestProject } from './harness.js';

const SECRET = 'pk-live-Vb7Qx2Rm9Tz4Lw6N';
let a: CountingServer;
let refused: CountingServer;
let pooled: CountingServer;
let p: TestProject;

beforeAll(async () => {
  [a, refused, pooled] = await Promise.all([startCountingServer(), startCountingServer(), startCountingServer()]);
  const landing = encodeURIComponent(`http://localhost:${a.port}/land`);
  p = await makeProject({
    '.mpv2rc.json': JSON.stringify({ http: { allowHosts: [`127.0.0.1:${a.port}`, `127.0.0.1:${pooled.port}`, 'localhost'], maxSockets: 2 } }),
    'redirect.yaml': `name: redirect
steps:
  - id: call
    uses: http.request
    with:
      url: "${a.url}/redirect?to=${landing}"
      headers: { X-Signature: "sha=\${{ secrets.PEXELS_API_KEY }}", X-Api-Key: plain-key, X-Trace: t-1 }
`,
    'refused.yaml': `name: refused
steps:
  - id: call
    uses: http.request
    with: { url: "${refused.url}/x" }
`,
    'pooled.yaml': `name: pooled
steps:
  - id: each
    uses: http.request
    foreach: [1, 2, 3]
    concurrency: 3
    with: { url: "${pooled.url}/n\${{ item }}" }
`,
  }, { PEXELS_API_KEY: SECRET });
});
afterAll(async () => {
  p.close();
  await Promise.all([a, refused, pooled].map((s) => s.close()));
});

describe('http config through the engine', () => {
  it('a redirect to another host gets neither credential-named headers nor a header holding a project secret', async () => {
    const r = await p.run('redirect.yaml');
    expect(r.result.status).toBe('succeeded');
    const [req] = a.requests.filter((x) => x.path === '/land');
    expect(req!.headers['x-trace']).toBe('t-1');
    expect(req!.headers['x-signature']).toBeUndefined();
    expect(req!.headers['x-api-key']).toBeUndefined();
    const [first] = a.requests.filter((x) => x.path === '/redirect');
    expect(first!.headers['x-signature']).toBe(`sha=${SECRET}`);
  });

  it('a host outside http.allowHosts fails the step with E_HOST_NOT_ALLOWED and is never connected to', async () => {
    const r = await p.run('refused.yaml');
    expect(r.result.status).toBe('failed');
    const [failed] = r.of('step.failed', 'call');
    expect(failed!.error.code).toBe('E_HOST_NOT_ALLOWED');
    expect(failed!.error.message).toContain(`127.0.0.1:${refused.port} is not in http.allowHosts`);
    expect(failed!.error.hint).toContain('http.allowHosts');
    expect(refused.connections).toBe(0);
  });

  it('http.maxSockets caps the connections steps open to one host', async () => {
    pooled.holdUntil(2);
    const r = await p.run('pooled.yaml', { concurrency: 3 });
    expect(r.result.status).toBe('succeeded');
    expect(pooled.requests).toHaveLength(3);
    expect(pooled.connections).toBe(2);
  });
});
