import { mkdirSync, mkdtempSync, openSync, ftruncateSync, closeSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type PluginTestContext } from 'mpv2/testing';
import fileRead from '../../../plugins/core/file-read.js';

let t: PluginTestContext;
let root: string;
const put = (name: string, text: string | Buffer): string => {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
};
const read = (input: Record<string, unknown>): Promise<unknown> => t.run(input);

beforeEach(() => {
  t = createTestContext({ plugin: fileRead });
  root = t.root;
});
afterEach(async () => { await t.close(); });

describe('file.read formats', () => {
  it('reads text, unicode intact, BOM removed', async () => {
    put('a.txt', '\ufeffHéllo, wörld — 日本語 🎬\nline 2\n');
    expect(await read({ path: 'a.txt' })).toEqual({ content: 'Héllo, wörld — 日本語 🎬\nline 2\n' });
  });

  it('reads JSON by extension', async () => {
    put('d.json', '{ "a": [1, 2, {"b": "ü"}] }');
    expect(await read({ path: 'd.json' })).toEqual({ data: { a: [1, 2, { b: 'ü' }] } });
  });

  it('reads YAML (.yaml and .yml)', async () => {
    put('d.yaml', 'title: Hi\nitems:\n  - 1\n  - two\n');
    put('e.yml', '- x\n');
    expect(await read({ path: 'd.yaml' })).toEqual({ data: { title: 'Hi', items: [1, 'two'] } });
    expect(await read({ path: 'e.yml' })).toEqual({ data: ['x'] });
  });

  it('reads CSV as row objects from the header row, BOM handled, empty lines skipped', async () => {
    put('p.csv', '\ufeffname,price,note\nPen,1.5,"a, b"\n\nInk,3,"multi\nline"\n\n');
    expect(await read({ path: 'p.csv' })).toEqual({
      data: [{ name: 'Pen', price: '1.5', note: 'a, b' }, { name: 'Ink', price: '3', note: 'multi\nline' }],
    });
  });

  it('takes an explicit format over the extension, and text for unknown extensions', async () => {
    put('data.txt', '{"x": 1}');
    put('notes.md', '# T');
    expect(await read({ path: 'data.txt', format: 'json' })).toEqual({ data: { x: 1 } });
    expect(await read({ path: 'notes.md' })).toEqual({ content: '# T' });
    put('j.json', '{"x": 1}');
    expect(await read({ path: 'j.json', format: 'text' })).toEqual({ content: '{"x": 1}' });
  });

  it('reads other encodings', async () => {
    put('l1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    put('u16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ok ✓', 'utf16le')]));
    expect(await read({ path: 'l1.txt', encoding: 'latin1' })).toEqual({ content: 'café' });
    expect(await read({ path: 'u16.txt', encoding: 'utf16le' })).toEqual({ content: 'ok ✓' });
  });

  it('handles empty files: text "", csv [], yaml null, json an error', async () => {
    for (const f of ['e.txt', 'e.csv', 'e.yaml', 'e.json']) put(f, '');
    expect(await read({ path: 'e.txt' })).toEqual({ content: '' });
    expect(await read({ path: 'e.csv' })).toEqual({ data: [] });
    expect(await read({ path: 'e.yaml' })).toEqual({ data: null });
    await expect(read({ path: 'e.json' })).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/empty/) });
  });
});

describe('file.read errors', () => {
  it('names the line:column of invalid JSON', async () => {
    const p = put('bad.json', '{\n  "a": 1,\n  "b": ,\n}\n');
    const e = await read({ path: 'bad.json' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'E_FILE', loc: { file: p, line: 3, column: 8 } });
    expect((e as Error).message).toContain(`${p}:3:8 is not valid JSON`);
    expect((e as { hint?: string }).hint).toMatch(/format: text/);
  });

  it('names the line:column of invalid YAML', async () => {
    const p = put('bad.yaml', 'a: 1\nb: [1, 2\nc: 3\n');
    const e = await read({ path: 'bad.yaml' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'E_FILE', loc: { file: p, line: expect.any(Number), column: expect.any(Number) } });
    expect((e as Error).message).toMatch(new RegExp(`bad\\.yaml:\\d+:\\d+ is not valid YAML`));
  });

  it('reads YAML by the pipeline rules: values JSON cannot hold are E_FILE at line:column, a constructor key is kept', async () => {
    for (const [text, line, column, message] of [
      ['a: 1\nb: !!set {x}\n', 2, 4, /tag !!set is not allowed/],
      ['n: 1e400\n', 1, 4, /1e400 is not a number JSON can hold/],
      ['a: &a [*a]\n', 1, 8, /contains it/],
      ['x:\n  __proto__: { polluted: 1 }\n', 2, 3, /key "__proto__" is not allowed/],
    ] as const) {
      const p = put('v.yaml', text);
      const e = await read({ path: 'v.yaml' }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'E_FILE', loc: { file: p, line, column } });
      expect((e as Error).message).toMatch(message);
    }
    put('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const deep = await read({ path: 'deep.json' }).catch((x: unknown) => x);
    expect(deep).toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/deep\.json is not valid JSON: the value is nested more than 200 levels deep/) });
    put('ok.yaml', 'constructor: Ferrari\n');
    expect(await read({ path: 'ok.yaml' })).toMatchObject({ data: { constructor: 'Ferrari' } });
  });

  it('names the line of a broken CSV', async () => {
    put('bad.csv', 'a,b\n1,2\n3,4,5\n');
    await expect(read({ path: 'bad.csv' })).rejects.toMatchObject({ code: 'E_FILE', loc: { line: 3 } });
  });

  it('reports a missing file as E_FILE with the path and a hint', async () => {
    const e = await read({ path: 'nope/missing.txt' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'E_FILE', hint: expect.stringMatching(/spelling/) });
    expect((e as Error).message).toContain('nope/missing.txt');
    expect((e as Error).message).toContain('no such file');
  });

  it('refuses a folder', async () => {
    mkdirSync(join(root, 'dir'));
    await expect(read({ path: 'dir' })).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/folder/) });
  });

  it('refuses files larger than 50 MB', async () => {
    const fd = openSync(join(root, 'big.txt'), 'w');
    ftruncateSync(fd, 50 * 1024 * 1024 + 1); // sparse: no 50 MB written
    closeSync(fd);
    await expect(read({ path: 'big.txt' })).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/50 MB/) });
  });

  it('refuses paths that leave the project: ../, absolute, symlink out', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'mpv2-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(outside, join(root, 'linkdir'));
    for (const path of ['../../etc/passwd', '/etc/passwd', join(outside, 'secret.txt'), 'link.txt', 'linkdir/secret.txt']) {
      await expect(read({ path }), path).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' });
    }
  });
});

describe('file.read output schema', () => {
  it('follows the static format or extension', () => {
    const props = (w: Record<string, unknown>): string[] | undefined => {
      const s = fileRead.outputSchema!(w) as { properties: Record<string, unknown> } | undefined;
      return s && Object.keys(s.properties);
    };
    expect(props({ path: 'a.txt' })).toEqual(['content']);
    expect(props({ path: 'a.json' })).toEqual(['data']);
    expect(props({ path: 'a.csv' })).toEqual(['data']);
    expect(props({ path: 'a.json', format: 'text' })).toEqual(['content']);
    expect(props({ path: '${{ inputs.file }}', format: 'yaml' })).toEqual(['data']);
    expect(props({ path: '${{ inputs.file }}' })).toBeUndefined();
    expect(props({ path: 'a.txt', format: '${{ inputs.f }}' })).toBeUndefined();
  });
});
