/** Engine choice, `mpv2 doctor` check and the plugin's schemas. */
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import plugins, { namespace } from '../../../plugins/tts/index.js';
import speak from '../../../plugins/tts/speak.js';
import { createHttpClient } from '../../../src/infra/http.js';
import { makeTestContext } from '../../helpers/context.js';
import { withDefaults } from '../../helpers/inputs.js';

const input = { text: 'Engine test.', rate: 1, format: 'wav' as const, loudness: -14 };

describe('espeak-ng engine selection', () => {
  it('auto falls back to wasm when the library does not load, and says so', async () => {
    const ctx = makeTestContext({ namespace, config: { espeak: { libPath: 'libespeak-ng-missing.so.9' } } });
    const out = await speak.run(ctx, input);
    expect(out.engine).toBe('wasm');
    expect(ctx.logs.find((l) => l.message.includes('wasm engine'))?.message).toContain('libespeak-ng-missing.so.9');
  });
  it('lib refuses clearly when the library does not load', async () => {
    const ctx = makeTestContext({ namespace, config: { espeak: { engine: 'lib', libPath: 'libespeak-ng-missing.so.9' } } });
    await expect(speak.run(ctx, input)).rejects.toMatchObject({ code: 'E_DEPENDENCY_MISSING', hint: expect.stringContaining('engine: wasm') });
  });
});

describe('abort', () => {
  it('stops with E_ABORTED when the step is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(speak.run(makeTestContext({ namespace, signal: ac.signal }), input)).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});

describe('check (mpv2 doctor)', () => {
  // the section as `mpv2 doctor` hands it over: loaded, defaults filled
  const cctx = (config: Record<string, unknown> = {}, secrets: Record<string, string> = {}) => ({ config: withDefaults<Record<string, unknown>>(namespace.config!.schema, config), secrets, root: '/', http: createHttpClient(), signal: new AbortController().signal });
  it('reports the engine in use and the voice count', async () => {
    const lib = await namespace.doctorChecks!(cctx());
    const espeak = (Array.isArray(lib) ? lib : [lib]).find((r) => r.name === 'tts: espeak-ng')!;
    expect(espeak).toMatchObject({ ok: true, level: 'ok' });
    expect(espeak.message).toMatch(/engine lib: libespeak-ng 1\.51.*, 1[23]\d voices/);
    const wasm = await namespace.doctorChecks!(cctx({ espeak: { engine: 'wasm' } }));
    expect((Array.isArray(wasm) ? wasm : [wasm])[0]!.message).toMatch(/engine wasm: npm espeak-ng .*1[23]\d voices/);
  });
  it('flags a missing key only for the default provider', async () => {
    const r = await namespace.doctorChecks!(cctx({ provider: 'openai' }, { ELEVENLABS_API_KEY: 'x' }));
    const list = Array.isArray(r) ? r : [r];
    expect(list.find((x) => x.name === 'tts: openai')).toMatchObject({ ok: false, level: 'error', hint: expect.stringContaining('OPENAI_API_KEY') });
    expect(list.find((x) => x.name === 'tts: elevenlabs')).toMatchObject({ ok: true, message: 'API key configured' });
  });
});

describe('schemas', () => {
  it('the namespace exports tts.speak; input and config schemas compile and fill defaults', () => {
    expect(plugins.map((p) => p.id)).toEqual(['tts.speak']);
    const ajv = new Ajv.default({ useDefaults: true, coerceTypes: false, strict: false });
    const value: Record<string, unknown> = { text: 'hi' };
    expect(ajv.validate(speak.input!, value)).toBe(true);
    expect(value).toEqual({ text: 'hi', rate: 1, format: 'm4a', loudness: -14 });
    expect(ajv.validate(speak.input!, { text: 'hi', provider: 'nope' })).toBe(false);
    const config: Record<string, unknown> = { openai: {} };
    expect(ajv.validate(namespace.config!.schema, config)).toBe(true);
    expect(config).toMatchObject({ provider: 'espeak-ng', openai: { baseUrl: 'https://api.openai.com' } });
    const props = (speak.input as { properties: Record<string, { description?: string }> }).properties;
    for (const [k, v] of Object.entries(props)) expect(v.description, k).toBeTruthy();
  });
});
