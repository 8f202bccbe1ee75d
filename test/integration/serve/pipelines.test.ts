/** GET /api/pipelines, GET /api/pipelines/{id}, POST /api/pipelines/validate: the same problems as `mpv2 validate`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorJson } from '../../../src/cli/format-error.js';
import { loadPipeline } from '../../../src/engine/run.js';
import { FAST_PIPELINE, startHarness, type ServeHarness } from './harness.js';

/** Two problems: an unknown plugin (line 4) and a reference to a step that does not exist (line 8). */
const BROKEN = `name: broken
steps:
  - id: a
    uses: core.sett
    with: { value: 1 }
  - id: b
    uses: core.set
    with: { value: "\${{ steps.nope.outputs.value }}" }
`;

let h: ServeHarness;
beforeAll(async () => {
  h = await startHarness({ 'pipelines/fast.yaml': FAST_PIPELINE, 'pipelines/shorts/broken.yaml': BROKEN, 'more/extra.yml': 'name: extra\nsteps:\n  - id: x\n    uses: core.set\n    with: { value: 1 }\n' }, { config: 'serve:\n  pipelines: [more]\n' });
}, 60_000);
afterAll(async () => { await h?.close(); });

/** What `mpv2 validate <file> --json` reports, from the same engine call, as { code, message, line, column, hint }. */
async function cliProblems(file: string): Promise<Array<Record<string, unknown>>> {
  try {
    await loadPipeline(h.project, h.root, file);
    return [];
  } catch (e) {
    const j = errorJson(e) as { errors?: Array<Record<string, unknown>> } & Record<string, unknown>;
    return (j.errors ?? [j]).map((x) => {
      const loc = x.loc as { file: string; line: number; column: number };
      return { code: x.code, message: x.message, file: loc.file, line: loc.line, column: loc.column, ...(x.hint ? { hint: x.hint } : {}) };
    });
  }
}

describe('serve: pipelines', () => {
  it('lists pipelines/ and the configured folders: id, file, name, description, inputs as JSON Schema', async () => {
    const res = await h.call('GET', '/api/pipelines');
    expect(res.status).toBe(200);
    const list = await res.json() as Array<Record<string, unknown>>;
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((p) => p.id)).toEqual(['fast', 'shorts/broken', 'extra']);
    const fast = list[0]!;
    expect(fast).toMatchObject({ id: 'fast', file: 'pipelines/fast.yaml', name: 'fast', description: 'Two core steps and a file', valid: true });
    expect(fast.inputs).toEqual({
      type: 'object', additionalProperties: false, required: [],
      properties: { greeting: { type: 'string', default: 'hello', description: 'What to write' }, times: { type: 'integer', default: 2 } },
    });
    expect(list[1]).toMatchObject({ id: 'shorts/broken', valid: false, problems: expect.any(Array) });
    expect(list[2]).toMatchObject({ id: 'extra', file: 'more/extra.yml', valid: true });
  });

  it('GET /api/pipelines/{id} gives one pipeline with its text; an unknown id is 404 problem+json', async () => {
    const res = await h.call('GET', '/api/pipelines/shorts/broken');
    expect(res.status).toBe(200);
    const p = await res.json() as Record<string, unknown>;
    expect(p).toMatchObject({ id: 'shorts/broken', file: 'pipelines/shorts/broken.yaml', yaml: BROKEN, valid: false });
    expect(p.problems).toEqual(await cliProblems('pipelines/shorts/broken.yaml'));
    const missing = await h.call('GET', '/api/pipelines/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'E_NOT_FOUND', hint: expect.any(String) });
  });

  it('validate gives the problems, lines and columns `mpv2 validate` gives for the same text', async () => {
    const expected = await cliProblems('pipelines/shorts/broken.yaml');
    expect(expected.length).toBe(2);
    expect(expected.map((p) => p.line)).toEqual([4, 8]);
    const res = await h.call('POST', '/api/pipelines/validate', { body: { yaml: BROKEN, file: 'pipelines/shorts/broken.yaml' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ valid: false, problems: expected });
  });

  it('validate reports YAML syntax errors at their line and column, and a valid text as valid', async () => {
    const res = await h.call('POST', '/api/pipelines/validate', { body: { yaml: 'name: x\nsteps:\n  - id: a\n\tuses: core.set\n' } });
    const body = await res.json() as { valid: boolean; problems: Array<Record<string, unknown>> };
    expect(body.valid).toBe(false);
    expect(body.problems[0]).toMatchObject({ code: 'E_PIPELINE_PARSE', file: 'pipelines/untitled.yaml', line: 4, column: expect.any(Number), hint: expect.stringContaining('tabs') });
    const ok = await h.call('POST', '/api/pipelines/validate', { body: { yaml: FAST_PIPELINE } });
    expect(await ok.json()).toEqual({ valid: true, problems: [] });
  });

  it('validate refuses a file outside the project', async () => {
    const res = await h.call('POST', '/api/pipelines/validate', { body: { yaml: FAST_PIPELINE, file: '../elsewhere.yaml' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' });
  });
});
