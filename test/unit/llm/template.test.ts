import { describe, expect, it } from 'vitest';
import { parsePromptFile, renderTemplate } from '../../../plugins/llm/template.js';

describe('renderTemplate', () => {
  it.each([
    ['Hi {{name}}!', { name: 'Ada' }, 'Hi Ada!'],
    ['Hi {{ name }} and ${{ vars.name }} and {{ inputs.name }}', { name: 'Ada' }, 'Hi Ada and Ada and Ada'],
    ['{{ a.b }}', { a: { b: 3 } }, '3'],
    ['{{ list }}', { list: ['x', 'y'] }, 'x, y'],
    ['{{ obj }}', { obj: { k: [1, { z: 2 }] } }, '{"k":[1,{"z":2}]}'],
    ['{{ yes }} {{ n }}', { yes: false, n: 0 }, 'false 0'],
    ['literal \\{{ braces }}', {}, 'literal {{ braces }}'],
    ['JSON { "a": 1 } stays', {}, 'JSON { "a": 1 } stays'],
  ])('%s', (tpl, vars, out) => {
    expect(renderTemplate(tpl, vars, 'test')).toBe(out);
  });

  it('names the missing variable and the ones given', () => {
    expect(() => renderTemplate('{{ topic }} {{ who }}', { topic: 1 }, 'p.md')).toThrow('p.md: no value for "{{ who }}" (vars given: topic)');
  });

  it('refuses anything but a dotted name (no expressions, no prototype access)', () => {
    expect(() => renderTemplate('{{ a + b }}', { a: 1, b: 2 }, 'p')).toThrow(/not a variable name/);
    expect(() => renderTemplate('{{ a.__proto__ }}', { a: {} }, 'p')).toThrow(/no value/);
    expect(() => renderTemplate('{{ constructor }}', {}, 'p')).toThrow(/no value/);
  });
});

describe('parsePromptFile', () => {
  it('reads front matter: system, vars, sampling', () => {
    const pf = parsePromptFile('---\nsystem: Be short.\nvars: { a: 1 }\ntemperature: 0.2\nmaxTokens: 99\nmodel: m\n---\nBody {{ a }}\n', 'p.md');
    expect(pf).toEqual({ body: 'Body {{ a }}\n', system: 'Be short.', vars: { a: 1 }, temperature: 0.2, maxTokens: 99, model: 'm' });
  });

  it('a file without front matter is all body', () => {
    expect(parsePromptFile('Just text\n---\nmore', 'p.md')).toEqual({ body: 'Just text\n---\nmore', vars: {} });
  });

  it('unknown keys are errors that list the allowed ones', () => {
    expect(() => parsePromptFile('---\nsytem: x\n---\nb', 'p.md')).toThrow(/unknown front matter key "sytem".*allowed: system, vars/);
  });
});

describe('prompt front matter', () => {
  it('is read by the pipeline rules: a value JSON cannot hold is E_FILE with its line in the file', () => {
    expect(() => parsePromptFile('---\nsystem: hi\ntemperature: .nan\n---\nbody', 'p.md')).toThrow(expect.objectContaining({
      code: 'E_FILE', message: expect.stringMatching(/\.nan is not a number JSON can hold .*\(line 3, column 14\)/), loc: { file: 'p.md', line: 3, column: 14 },
    }));
  });
});
