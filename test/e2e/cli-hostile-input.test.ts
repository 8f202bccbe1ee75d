/**
 * Bad input a careless or hostile author can give: each gets a clear error with its code,
 * exit 2 (nothing ran) and file:line:col where there is a file — never E_INTERNAL, never a
 * value changed silently on its way into the run.
 */
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeProject, mpv2 } from './cli-harness.js';

const step = (withText: string) => `name: p\nsteps:\n  - id: a\n    uses: core.set\n    with: ${withText}\n`;

let bomb = 'name: bomb\nsteps:\n  - id: a\n    uses: core.set\n    with:\n      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
for (let i = 1; i < 10; i++) bomb += `      a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;

const TYPED = `name: typed
inputs:
  n: { type: number, default: 1 }
  list: { type: array, default: [] }
  obj: { type: object, default: {} }
  text: { type: string, default: "" }
steps:
  - id: a
    uses: core.set
    with: { n: "\${{ inputs.n }}", list: "\${{ inputs.list }}", obj: "\${{ inputs.obj }}" }
outputs:
  n: \${{ steps.a.outputs.n }}
`;

let root: string;
beforeAll(async () => {
  await ensureBuilt();
  root = makeProject({
    'typed.yaml': TYPED,
    'folder/x.yaml': step('{ a: 1 }'),
    'bomb.yaml': bomb,
    'circular.yaml': step('\n      a: &a [*a]'),
    'deep-expr.yaml': step(`{ v: "\${{ ${'('.repeat(2000)}1${')'.repeat(2000)} }}" }`),
    'deep-or.yaml': step(`{ v: "\${{ ${Array(20_000).fill('false').join(' || ')} }}" }`),
    'deep-yaml.yaml': step(`{ v: ${'['.repeat(5000)}${']'.repeat(5000)} }`),
    'proto.yaml': step('{ __proto__: { a: 1 } }'),
    'constructor.yaml': step('\n      constructor: 1'),
    'tags.yaml': step('\n      a: 1\n      blob: !!binary aGVsbG8='),
    'inf.yaml': step('{ a: .inf }'),
    'scalar.yaml': 'just a string\n',
    'crlf.yaml': step('{ a: "${{ 1 }}" }').replace(/\n/g, '\r\n'),
    'bom.yaml': `\uFEFF${step('{ a: 1 }')}`,
    'set.yaml': '!!set {a, b}\n',
    'opts.yaml': 'a: 1\nb: !!set {x}\n',
  });
  writeFileSync(join(root, 'binary.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x00, 0xff, 0xfe]));
  writeFileSync(join(root, 'latin1.yaml'), Buffer.from(`name: caf\xe9\nsteps: []\n`, 'latin1'));
  writeFileSync(join(root, 'huge.json'), '');
  truncateSync(join(root, 'huge.json'), 60 * 1024 * 1024); // sparse: 60 MB that take no disk
  mkdirSync(join(root, 'empty-dir'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Row { name: string; args: string[]; code: string; exit: number; stderr: RegExp }

const rows: Row[] = [
  { name: 'run <a folder>', args: ['run', 'folder'], code: 'E_USAGE', exit: 2, stderr: /folder is a folder, not a pipeline file[\s\S]*Hint: name a \.yaml file in it/ },
  { name: 'validate <a folder>', args: ['validate', 'empty-dir'], code: 'E_USAGE', exit: 2, stderr: /is a folder/ },
  { name: 'plan <a folder>', args: ['plan', 'folder'], code: 'E_USAGE', exit: 2, stderr: /is a folder/ },
  { name: 'an alias bomb', args: ['run', 'bomb.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /bomb\.yaml:10:51\n\s+aliases expand to more than 100,000 values/ },
  { name: 'a circular alias', args: ['validate', 'circular.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /circular\.yaml:6:14\n\s+the alias \*a refers to a value that contains it/ },
  { name: 'an expression nested 2,000 deep', args: ['run', 'deep-expr.yaml'], code: 'E_EXPR_SYNTAX', exit: 2, stderr: /deep-expr\.yaml:5:\d+\n\s+.*nested too deeply/ },
  { name: 'an || chain 20,000 long', args: ['validate', 'deep-or.yaml'], code: 'E_EXPR_SYNTAX', exit: 2, stderr: /nested too deeply/ },
  { name: 'YAML nested 5,000 deep', args: ['validate', 'deep-yaml.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /deep-yaml\.yaml:5:\d+\n\s+the (YAML|value) is nested/ },
  { name: 'with: { __proto__ }', args: ['validate', 'proto.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /proto\.yaml:5:13\n\s+the key "__proto__" is not allowed/ },
  { name: 'with: constructor', args: ['validate', 'constructor.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /constructor\.yaml:6:7\n\s+the key "constructor" is not allowed/ },
  { name: '!!binary in with', args: ['validate', 'tags.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /tags\.yaml:7:13\n\s+the tag !!binary is not allowed[\s\S]*Hint: JSON has no bytes/ },
  { name: '.inf in with', args: ['validate', 'inf.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /inf\.yaml:5:16\n\s+\.inf is not a number JSON can hold/ },
  { name: 'a YAML scalar', args: ['validate', 'scalar.yaml'], code: 'E_PIPELINE_SCHEMA', exit: 2, stderr: /holds a string/ },
  { name: 'a !!set document', args: ['validate', 'set.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /tag !!set is not allowed/ },
  { name: 'a binary file', args: ['validate', 'binary.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /binary\.yaml:1:6\n\s+binary\.yaml is not a text file/ },
  { name: 'a Latin-1 file', args: ['validate', 'latin1.yaml'], code: 'E_PIPELINE_PARSE', exit: 2, stderr: /latin1\.yaml:1:10\n\s+latin1\.yaml is not UTF-8 text/ },
  { name: '--input x=@missing-file', args: ['run', 'typed.yaml', '-i', 'obj=@missing.yaml'], code: 'E_INPUT_INVALID', exit: 2, stderr: /input "obj": .*missing\.yaml does not exist/ },
  { name: '--input x=@folder', args: ['run', 'typed.yaml', '-i', 'text=@empty-dir'], code: 'E_INPUT_INVALID', exit: 2, stderr: /is a folder/ },
  { name: '--input of 60 MB', args: ['run', 'typed.yaml', '-i', 'text=@huge.json'], code: 'E_INPUT_INVALID', exit: 2, stderr: /60\.0 MB; input files are capped at 16 MB[\s\S]*Hint: pass the path as a string input/ },
  { name: '--input a circular value', args: ['run', 'typed.yaml', '-i', 'list=&a [*a]'], code: 'E_INPUT_INVALID', exit: 2, stderr: /input "list", column 5 of the value: the alias \*a refers to a value that contains it/ },
  { name: '--input !!set', args: ['run', 'typed.yaml', '-i', 'obj=!!set {a, b}'], code: 'E_INPUT_INVALID', exit: 2, stderr: /input "obj".*tag !!set is not allowed/ },
  { name: '--input !!omap', args: ['run', 'typed.yaml', '-i', 'obj=!!omap [a: 1]'], code: 'E_INPUT_INVALID', exit: 2, stderr: /tag !!omap/ },
  { name: '--input !!binary', args: ['run', 'typed.yaml', '-i', 'obj=!!binary aGVsbG8='], code: 'E_INPUT_INVALID', exit: 2, stderr: /tag !!binary/ },
  { name: '--input n=1e400', args: ['run', 'typed.yaml', '-i', 'n=1e400'], code: 'E_INPUT_INVALID', exit: 2, stderr: /input "n".*1e400 is not a number JSON can hold[\s\S]*Hint: use a finite number, or quote it/ },
  { name: '--input n=.inf', args: ['run', 'typed.yaml', '-i', 'n=.inf'], code: 'E_INPUT_INVALID', exit: 2, stderr: /\.inf is not a number JSON can hold/ },
  { name: '--input n=.nan', args: ['run', 'typed.yaml', '-i', 'n=.nan'], code: 'E_INPUT_INVALID', exit: 2, stderr: /NaN/ },
  { name: '--input a file with a tag', args: ['run', 'typed.yaml', '-i', 'obj=@opts.yaml'], code: 'E_INPUT_INVALID', exit: 2, stderr: /E_INPUT_INVALID opts\.yaml:2:4/ },
  { name: '--input __proto__=…', args: ['run', 'typed.yaml', '-i', '__proto__={a: 1}'], code: 'E_INPUT_UNKNOWN', exit: 2, stderr: /input "__proto__" is not declared/ },
  { name: '--input constructor=…', args: ['plan', 'typed.yaml', '-i', 'constructor=1'], code: 'E_INPUT_UNKNOWN', exit: 2, stderr: /input "constructor" is not declared/ },
  { name: '--input =v', args: ['run', 'typed.yaml', '-i', '=v'], code: 'E_USAGE', exit: 2, stderr: /--input expects name=value/ },
  { name: '--out <a file>', args: ['run', 'typed.yaml', '--out', 'opts.yaml'], code: 'E_USAGE', exit: 2, stderr: /--out opts\.yaml is a file, not a folder/ },
  { name: '--project <a file>', args: ['validate', 'typed.yaml', '--project', 'typed.yaml'], code: 'E_USAGE', exit: 2, stderr: /is not a folder/ },
];

describe('hostile input: a clear error, its code, exit 2', () => {
  it.each(rows)('$name', async (row) => {
    const r = await mpv2(row.args, { cwd: root });
    expect(r.stderr).not.toMatch(/E_INTERNAL|a bug in mpv2|Maximum call stack/);
    expect(r.stderr).toContain(`✖ ${row.code}`);
    expect(r.stderr).toMatch(row.stderr);
    expect(r.code).toBe(row.exit);
  });

  it('--json reports the code of a bad input', async () => {
    const r = await mpv2(['run', 'typed.yaml', '-i', 'n=1e400', '--json'], { cwd: root });
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ event: 'run.failed', error: { code: 'E_INPUT_INVALID' } });
    expect(r.code).toBe(2);
  });
});

describe('harmless oddities still run', () => {
  it.each(['crlf.yaml', 'bom.yaml'])('%s', async (file) => {
    const r = await mpv2(['run', file], { cwd: root });
    expect(r.stderr).not.toMatch(/✖/);
    expect(r.code).toBe(0);
  });
  it('a big integer passed quoted stays exact, and a float stays a float', async () => {
    const r = await mpv2(['run', 'typed.yaml', '-i', 'n=2.5', '-i', 'obj={id: "12345678901234567890"}', '--json'], { cwd: root });
    const end = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { outputs: { n: number } };
    expect(end.outputs.n).toBe(2.5);
    expect(r.stdout).toContain('"id":"12345678901234567890"');
    expect(r.code).toBe(0);
  });
});
