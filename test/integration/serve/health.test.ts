/** GET /api/health, the OpenAPI 3.1 document (structure, every route, the engine's schemas) and problem+json shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_EVENT_SCHEMAS } from '../../../src/engine/event-schema.js';
import { startHarness, type ServeHarness } from './harness.js';

let h: ServeHarness;
beforeAll(async () => { h = await startHarness(); }, 60_000);
afterAll(async () => { await h?.close(); });

type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }>; parameters: Array<{ name: string; in: string; required: boolean }>; requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } };

describe('serve: health and OpenAPI', () => {
  it('GET /api/health answers { ok: true, version }', async () => {
    const res = await h.call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json() as { ok: boolean; version: string };
    expect(body).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('GET /api/openapi.json is a structurally valid OpenAPI 3.1 document of every route', async () => {
    const doc = await (await h.call('GET', '/api/openapi.json')).json() as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toMatch(/^\d/);
    for (const path of ['/api/health', '/api/pipelines', '/api/pipelines/validate', '/api/pipelines/{path}', '/api/runs', '/api/runs/{id}', '/api/runs/{id}/events',
      '/api/runs/{id}/cancel', '/api/runs/{id}/resume', '/api/runs/{id}/files/{path}', '/api/accounts', '/api/schedules', '/api/schedules/{name}/pause',
      '/api/schedules/{name}', '/api/effects', '/api/effects/resolve', '/api/cache', '/api/approvals', '/api/approvals/{id}']) expect(doc.paths, path).toHaveProperty([path]);
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        expect(['get', 'post', 'put', 'delete', 'patch']).toContain(method);
        expect(ids.has(op.operationId), `${op.operationId} unique`).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [code, r] of Object.entries(op.responses)) {
          expect(code).toMatch(/^[1-5]\d\d$/);
          expect(r).toHaveProperty('description');
        }
        // every templated segment is a declared, required path parameter, and no other
        const pathParams = op.parameters.filter((p) => p.in === 'path');
        expect(pathParams.map((p) => p.name).sort(), `${method} ${path}`).toEqual([...templated].sort());
        for (const p of pathParams) expect(p.required).toBe(true);
        if (method === 'get') expect(op.requestBody).toBeUndefined();
      }
    }
    // the engine's event schemas are the SSE route's
    const sse = doc.paths['/api/runs/{id}/events']!.get!.responses['200']!.content!['text/event-stream']!.schema as { oneOf: Array<{ title: string }> };
    expect(sse.oneOf.map((s) => s.title).sort()).toEqual(Object.keys(RUN_EVENT_SCHEMAS).sort());
    const errors = doc.paths['/api/runs']!.post!.responses['400']!.content!;
    expect(Object.keys(errors)).toEqual(['application/problem+json']);
  });

  it('an unknown route and a bad body are application/problem+json with the CLI code and a hint', async () => {
    const res = await h.call('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const p = await res.json() as Record<string, unknown>;
    expect(p).toMatchObject({ type: 'urn:mpv2:error:E_NOT_FOUND', status: 404, code: 'E_NOT_FOUND', title: expect.any(String), detail: expect.stringContaining('/api/nope'), hint: expect.any(String) });

    const bad = await h.call('POST', '/api/runs', { body: { inputs: {} } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await bad.json()).toMatchObject({ code: 'E_USAGE', status: 400, detail: expect.stringContaining('pipeline') });

    const notJson = await h.call('POST', '/api/runs', { body: '{ nope', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'E_USAGE' });
  });

  it('a body over the cap is refused with 413 problem+json', async () => {
    const res = await h.call('POST', '/api/pipelines/validate', { body: { yaml: 'x'.repeat(1024 * 1024 + 10) } });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: 'E_USAGE', status: 413, hint: expect.stringContaining('capped') });
  });

  it('without a built studio, / says how to build it (and client routes get the same page)', async () => {
    for (const path of ['/', '/runs/x']) {
      const res = await h.call('GET', path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('not built');
    }
  });
});
