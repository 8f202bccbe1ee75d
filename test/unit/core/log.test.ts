import { describe, expect, it } from 'vitest';
import log from '../../../plugins/core/log.js';
import { makeTestContext } from '../../helpers/context.js';
import { runPlugin } from './run-plugin.js';

describe('core.log', () => {
  it('logs at info by default and returns no outputs', async () => {
    const ctx = makeTestContext();
    expect(await runPlugin(log, ctx, { message: 'hello' })).toEqual({});
    expect(ctx.logs).toEqual([{ level: 'info', message: 'hello', fields: undefined }]);
  });

  it('logs at the level asked, values other than strings as JSON', async () => {
    const ctx = makeTestContext();
    await runPlugin(log, ctx, { message: { a: [1, 2] }, level: 'warn' });
    await runPlugin(log, ctx, { message: 42, level: 'error' });
    await runPlugin(log, ctx, { message: 'dbg', level: 'debug' });
    expect(ctx.logs.map((l) => [l.level, l.message])).toEqual([['warn', '{"a":[1,2]}'], ['error', '42'], ['debug', 'dbg']]);
  });

  it('refuses an unknown level and a missing message (input schema)', async () => {
    await expect(runPlugin(log, makeTestContext(), { message: 'x', level: 'loud' })).rejects.toThrow(/level/);
    await expect(runPlugin(log, makeTestContext(), {})).rejects.toThrow(/message/);
  });
});
