import { afterEach, describe, expect, it } from 'vitest';
import { createTestContext, type PluginTestContext } from 'mpv2/testing';
import log from '../../../plugins/core/log.js';

const opened: PluginTestContext[] = [];
afterEach(async () => { await Promise.all(opened.splice(0).map((t) => t.close())); });
const step = (): PluginTestContext => { const t = createTestContext({ plugin: log }); opened.push(t); return t; };

describe('core.log', () => {
  it('logs at info by default and returns no outputs', async () => {
    const t = step();
    expect(await t.run({ message: 'hello' })).toEqual({});
    expect(t.logs).toEqual([{ level: 'info', message: 'hello', fields: undefined }]);
  });

  it('logs at the level asked, values other than strings as JSON', async () => {
    const t = step();
    await t.run({ message: { a: [1, 2] }, level: 'warn' });
    await t.run({ message: 42, level: 'error' });
    await t.run({ message: 'dbg', level: 'debug' });
    expect(t.logs.map((l) => [l.level, l.message])).toEqual([['warn', '{"a":[1,2]}'], ['error', '42'], ['debug', 'dbg']]);
  });

  it('refuses an unknown level and a missing message (input schema)', async () => {
    await expect(step().run({ message: 'x', level: 'loud' })).rejects.toThrow(/level/);
    await expect(step().run({})).rejects.toThrow(/message/);
  });
});
