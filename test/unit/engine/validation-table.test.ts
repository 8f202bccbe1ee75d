/**
 * Every kind of bad pipeline, as data: each fixture must fail validation with this code at
 * this position and a message that says what is wrong. Found before running → nothing runs.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationErrors } from '../../../src/engine/error-list.js';
import { resolvePipeline } from '../../../src/engine/resolve.js';
import { Mpv2Error } from '../../../src/errors.js';
import { PluginRegistry } from '../../../src/plugin/registry.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'pipelines');
let registry: PluginRegistry;
beforeAll(async () => { registry = await PluginRegistry.create({ root: dir }); });

async function problems(file: string, root = dir): Promise<Mpv2Error[]> {
  try {
    await resolvePipeline({ file, root, registry });
  } catch (e) {
    if (e instanceof ValidationErrors) return e.errors;
    if (e instanceof Mpv2Error) return [e];
    throw e;
  }
  return [];
}

interface Row { file: string; code: string; line: number; column: number; message: RegExp; hint?: RegExp }

const rows: Row[] = [
  { file: 'invalid-language.yaml', code: 'E_PIPELINE_SCHEMA', line: 2, column: 11, message: /language "jp" is not a known BCP 47 language tag/, hint: /`ja`.*`pt-BR`/ },
  { file: 'invalid-step-language.yaml', code: 'E_PIPELINE_SCHEMA', line: 5, column: 15, message: /step "a" language "english" is not a known BCP 47/, hint: /BCP 47/ },
  { file: 'invalid-empty.yaml', code: 'E_PIPELINE_PARSE', line: 1, column: 1, message: /empty/ },
  { file: 'invalid-not-yaml.yaml', code: 'E_PIPELINE_PARSE', line: 6, column: 1, message: /closing "quote/ },
  { file: 'invalid-list.yaml', code: 'E_PIPELINE_SCHEMA', line: 1, column: 1, message: /must be a mapping.*holds a list/ },
  { file: 'invalid-tabs.yaml', code: 'E_PIPELINE_PARSE', line: 4, column: 1, message: /Tabs/, hint: /spaces, not tabs/ },
  { file: 'invalid-duplicate-keys.yaml', code: 'E_PIPELINE_PARSE', line: 7, column: 7, message: /unique/, hint: /once/ },
  { file: 'invalid-missing-steps.yaml', code: 'E_PIPELINE_SCHEMA', line: 1, column: 1, message: /missing "steps"/, hint: /steps:/ },
  { file: 'invalid-step-without-uses.yaml', code: 'E_PIPELINE_SCHEMA', line: 3, column: 5, message: /steps\[0\] is missing "uses"/, hint: /uses: core\.log/ },
  { file: 'invalid-unknown-plugin.yaml', code: 'E_PLUGIN_NOT_FOUND', line: 4, column: 11, message: /unknown plugin "core\.lgo" \(did you mean "core\.log"\?\)/ },
  { file: 'invalid-unknown-step-key.yaml', code: 'E_PIPELINE_SCHEMA', line: 5, column: 5, message: /unknown key "wiht" in steps\[0\] \(did you mean "with"\?\); allowed: id, name, uses, with/ },
  { file: 'invalid-with-type.yaml', code: 'E_PLUGIN_INPUT_INVALID', line: 6, column: 16, message: /with\.seconds must be number \(got "abc"\)/, hint: /mpv2 schema plugin core\.wait/ },
  { file: 'invalid-expr-syntax.yaml', code: 'E_EXPR_SYNTAX', line: 6, column: 40, message: /expected expression after ==/ },
  { file: 'invalid-missing-step-ref.yaml', code: 'E_REF_UNKNOWN_STEP', line: 9, column: 16, message: /no step "scirpt" \(did you mean "script"\?\)/ },
  { file: 'invalid-unknown-output.yaml', code: 'E_REF_UNKNOWN_OUTPUT', line: 9, column: 16, message: /no "titel" in its outputs \(did you mean "title"\?\); it has: title, tags/ },
  { file: 'invalid-cycle.yaml', code: 'E_CYCLE', line: 3, column: 5, message: /cycle: a → c → b → a/ },
  { file: 'invalid-duplicate-ids.yaml', code: 'E_DUPLICATE_STEP', line: 6, column: 9, message: /"a" is used twice \(steps 1 and 2\)/ },
  { file: 'invalid-cache-on-effect.yaml', code: 'E_PIPELINE_SCHEMA', line: 6, column: 5, message: /an effect, which is never cached/ },
  { file: 'invalid-approval-on-pure.yaml', code: 'E_PIPELINE_SCHEMA', line: 6, column: 15, message: /core\.log, which is not an effect, so `approval: required` has nothing to stop before/, hint: /remove `approval:`/ },
  { file: 'invalid-approval-value.yaml', code: 'E_PIPELINE_SCHEMA', line: 6, column: 15, message: /approval must be one of/ },
  { file: 'invalid-prototype-step-id.yaml', code: 'E_PIPELINE_SCHEMA', line: 3, column: 9, message: /steps\[0\]\.id must match pattern/ },
  { file: 'invalid-prototype-with-key.yaml', code: 'E_PIPELINE_PARSE', line: 6, column: 7, message: /the key "__proto__" is not allowed/, hint: /prototype/ },
  { file: 'invalid-yaml-tag.yaml', code: 'E_PIPELINE_PARSE', line: 6, column: 13, message: /the tag !!timestamp is not allowed/, hint: /JSON has no dates/ },
  { file: 'invalid-undeclared-input.yaml', code: 'E_INPUT_UNKNOWN', line: 8, column: 16, message: /inputs\.topix.*does not declare \(did you mean "topic"\?\)/ },
];

describe('invalid pipelines: code, line, column, message', () => {
  it.each(rows)('$file → $code at $line:$column', async (row) => {
    const errs = await problems(join(dir, row.file));
    expect(errs.length).toBeGreaterThan(0);
    const e = errs[0]!;
    expect({ code: e.code, line: e.loc?.line, column: e.loc?.column }).toEqual({ code: row.code, line: row.line, column: row.column });
    expect(e.loc?.file).toBe(row.file);
    expect(e.message).toMatch(row.message);
    if (row.hint) expect(e.hint).toMatch(row.hint);
  });

  it('reports every problem of a file at once (3 problems → 3 errors)', async () => {
    const errs = await problems(join(dir, 'invalid-three-problems.yaml'));
    expect(errs.map((e) => [e.code, e.loc?.line])).toEqual([
      ['E_PLUGIN_NOT_FOUND', 4],
      ['E_PLUGIN_INPUT_INVALID', 8],
      ['E_REF_UNKNOWN_STEP', 12],
    ]);
  });

  it('a valid pipeline resolves', async () => {
    const p = await resolvePipeline({ file: join(dir, 'valid-basic.yaml'), root: dir, registry });
    expect(p.order).toEqual(['vars', 'show']);
    expect(p.stepById.get('show')!.deps).toEqual(['vars']);
  });
});

describe('a 5 MB pipeline file', () => {
  it('loads and validates (many steps)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mpv2-big-'));
    try {
      const filler = 'x'.repeat(1000);
      const lines = ['name: big', 'steps:'];
      for (let i = 0; i < 5000; i++) lines.push(`  - id: s${i}`, '    uses: core.set', `    with: { text: "${filler}", n: ${i} }`);
      lines.push('  - id: last', '    uses: core.set', '    with: { first: "${{ steps.s0.outputs.n }}", other: "${{ steps.s4999.outputs.text }}" }');
      const file = join(tmp, 'big.yaml');
      writeFileSync(file, `${lines.join('\n')}\n`);
      expect(statSync(file).size).toBeGreaterThan(5 * 1024 * 1024);
      const p = await resolvePipeline({ file, root: tmp, registry });
      expect(p.steps).toHaveLength(5001);
      expect(p.order.at(-1)).toBe('last');
      expect(p.stepById.get('last')!.deps).toEqual(['s0', 's4999']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('loads and validates (one big literal)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mpv2-big-'));
    try {
      const file = join(tmp, 'big.yaml');
      writeFileSync(file, `name: big\nsteps:\n  - id: a\n    uses: core.set\n    with:\n      text: "${'lorem ipsum '.repeat(450_000)}"\n`);
      expect(statSync(file).size).toBeGreaterThan(5 * 1024 * 1024);
      const p = await resolvePipeline({ file, root: tmp, registry });
      expect((p.steps[0]!.with.text as string).length).toBe(5_400_000);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
