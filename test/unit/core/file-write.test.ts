import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import fileWrite from '../../../plugins/core/file-write.js';
import fileRead from '../../../plugins/core/file-read.js';
import { makeTestContext, type TestContext } from '../../helpers/context.js';
import { runPlugin } from './run-plugin.js';

let ctx: TestContext;
const write = (input: Record<string, unknown>): Promise<{ path: string; bytes: number }> => runPlugin(fileWrite, ctx, input);

beforeEach(() => { ctx = makeTestContext(); });

describe('file.write', () => {
  it('writes text content as it is, creating folders, and returns the absolute path and bytes', async () => {
    const out = await write({ path: 'out/deep/a.txt', content: 'héllo ✓\n' });
    expect(out.path).toBe(join(ctx.root, 'out/deep/a.txt'));
    expect(isAbsolute(out.path)).toBe(true);
    expect(out.bytes).toBe(Buffer.byteLength('héllo ✓\n'));
    expect(readFileSync(out.path, 'utf8')).toBe('héllo ✓\n');
  });

  it('serialises data as JSON or YAML by extension or format, and file.read reads it back', async () => {
    const data = { title: 'Hi', list: [1, 'two', { x: null }], nested: { ü: true } };
    const j = await write({ path: 'd.json', data });
    expect(readFileSync(j.path, 'utf8')).toBe(`${JSON.stringify(data, null, 2)}\n`);
    const y = await write({ path: 'd.yml', data });
    expect(parseYaml(readFileSync(y.path, 'utf8'))).toEqual(data);
    const forced = await write({ path: 'd.txt', data, format: 'yaml' });
    expect(parseYaml(readFileSync(forced.path, 'utf8'))).toEqual(data);
    expect(await runPlugin(fileRead, ctx, { path: 'd.json' })).toEqual({ data });
    expect(await runPlugin(fileRead, ctx, { path: 'd.yml' })).toEqual({ data });
  });

  it('writes a string `data` to a text file, and refuses other values for text', async () => {
    expect(readFileSync((await write({ path: 'a.md', data: '# T' })).path, 'utf8')).toBe('# T');
    await expect(write({ path: 'a.md', data: { a: 1 } })).rejects.toMatchObject({ code: 'E_INPUT_INVALID', hint: expect.stringMatching(/format: json/) });
  });

  it('needs exactly one of content and data', async () => {
    await expect(write({ path: 'a.txt' })).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/neither/), hint: expect.any(String) });
    await expect(write({ path: 'a.txt', content: 'x', data: 'y' })).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/both/) });
  });

  it('replaces an existing file atomically: no temp file left, mode kept', async () => {
    const p = join(ctx.root, 'keep.txt');
    writeFileSync(p, 'old');
    chmodSync(p, 0o640);
    await write({ path: 'keep.txt', content: 'new' });
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(ctx.root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with mkdir: false, a missing folder is E_FILE', async () => {
    await expect(write({ path: 'nope/a.txt', content: 'x', mkdir: false })).rejects.toMatchObject({ code: 'E_FILE', hint: expect.stringMatching(/mkdir/) });
  });

  it('refuses to write over a folder, or through a file used as a folder', async () => {
    mkdirSync(join(ctx.root, 'dir'));
    await expect(write({ path: 'dir', content: 'x' })).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/folder/) });
    writeFileSync(join(ctx.root, 'file'), '');
    await expect(write({ path: 'file/a.txt', content: 'x' })).rejects.toMatchObject({ code: 'E_FILE' });
    expect(readdirSync(join(ctx.root, 'dir'))).toEqual([]);
  });

  it('refuses paths outside the project', async () => {
    await expect(write({ path: '../escape.txt', content: 'x' })).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' });
    await expect(write({ path: '/tmp/escape.txt', content: 'x' })).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' });
  });
});
