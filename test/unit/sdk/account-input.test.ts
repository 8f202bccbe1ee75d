/**
 * One `account:` input for every platform step: a name, or a rotation over the step's platform
 * (`accountInputSchema` / `accountRotationSchema` of `mpv2/plugin`). A plugin that restated it
 * drifted (tiktok and bluesky required `platform` in a rotation the others imply), so this reads
 * every built-in step's input and checks each `account:` rotation is the SDK's, and what it accepts.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { accountInputSchema, accountRotationSchema, type JSONSchema, type PluginDef } from 'mpv2/plugin';
import { compileSchema } from '../../../src/infra/ajv.js';

const pluginsDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'plugins');

async function accountInputs(): Promise<Array<{ step: string; platform: string; schema: { oneOf?: JSONSchema[] } }>> {
  const out: Array<{ step: string; platform: string; schema: { oneOf?: JSONSchema[] } }> = [];
  for (const ns of readdirSync(pluginsDir).sort()) {
    const mod = (await import(join(pluginsDir, ns, 'index.ts'))) as { default: PluginDef[] };
    for (const p of mod.default) {
      const account = (p.input?.properties as Record<string, { oneOf?: JSONSchema[]; anyOf?: unknown }> | undefined)?.account;
      if (account && (account.oneOf || account.anyOf)) out.push({ step: p.id, platform: p.id.split('.')[0]!, schema: account });
    }
  }
  return out;
}

describe('the account: input of platform steps', () => {
  it('is the SDK rotation on every step that offers one', async () => {
    const found = await accountInputs();
    expect(found.map((f) => f.step).sort()).toEqual(['bluesky.post', 'facebook.reels', 'instagram.reels', 'tiktok.upload', 'twitter.post', 'youtube.upload']);
    for (const f of found) expect(f.schema.oneOf?.[1], f.step).toEqual(accountRotationSchema(f.platform));
  });

  it('takes a name, or a rotation whose platform is implied, and defaults to any account', () => {
    const schema = { type: 'object', properties: { account: accountInputSchema('tiktok', 'x') } };
    const validate = compileSchema(schema, true);
    const ok = (account: unknown) => validate(account === undefined ? {} : { account });
    expect(ok('main')).toBe(true);
    expect(ok({ pick: 'least-recent', niche: 'cats' })).toBe(true);
    expect(ok({ platform: 'tiktok', names: ['a', 'b'] })).toBe(true);
    expect(ok({ platform: 'youtube' })).toBe(false);
    expect(ok({ pick: 'sometimes' })).toBe(false);
    expect(ok({ nich: 'cats' })).toBe(false);
    const input: Record<string, unknown> = {};
    validate(input);
    expect(input.account).toBe('');
  });
});
