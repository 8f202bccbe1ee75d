/**
 * The example's steps, run as a pipeline step runs them: `with` validated and filled with
 * defaults, the namespace's config with its defaults, outputs checked, events recorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestContext } from 'mpv2/testing';
import namespace from '../namespace.js';
import slug from '../slug.js';
import wordCount from '../word-count.js';

/** @type {import('mpv2/testing').PluginTestContext[]} */
const open = [];
/** @param {import('mpv2/testing').TestContextOptions} opts */
const context = (opts) => {
  const t = createTestContext(opts);
  open.push(t);
  return t;
};
afterEach(async () => { for (const t of open.splice(0)) await t.close(); });

describe('example.wordCount', () => {
  it('counts words and sentences, reading time at the config default of 150 words a minute', async () => {
    const t = context({ plugin: wordCount, namespace });
    const out = await t.run({ text: "Crème brûlée: 5 facts you didn't know! Really." });
    expect(out).toEqual({ words: 8, sentences: 2, characters: 46, readingSeconds: 3.2 });
    expect(t.events.map((e) => e.event)).toEqual(['step.started', 'step.finished']);
  });

  it('takes its rate from the config section, and a step rate over it', async () => {
    const t = context({ plugin: wordCount, namespace, config: { wordsPerMinute: 60 } });
    expect(await t.run({ text: 'one two three' })).toMatchObject({ readingSeconds: 3 });
    expect(await t.run({ text: 'one two three', wordsPerMinute: 180 })).toMatchObject({ readingSeconds: 1 });
  });

  it('a config value the schema refuses is a config error', () => {
    expect(() => createTestContext({ plugin: wordCount, namespace, config: { wordsPerMinute: 0 } })).toThrow(/wordsPerMinute/);
  });

  it('input is checked against the schema before run', async () => {
    const t = context({ plugin: wordCount, namespace });
    await expect(t.run({ text: 'hi', colour: 'red' })).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringMatching(/colour/) });
  });

  it('too few words is the namespace error example/TOO_FEW_WORDS, with a hint', async () => {
    const t = context({ plugin: wordCount, namespace });
    await expect(t.run({ text: 'just three words', minWords: 5 })).rejects.toMatchObject({
      code: 'E_PLUGIN_FAILED',
      pluginCode: 'example/TOO_FEW_WORDS',
      message: 'the text has 3 words, fewer than the 5 asked for',
      hint: expect.stringMatching(/minWords/),
    });
    expect(t.events.at(-1)).toMatchObject({ event: 'step.failed', error: { code: 'E_PLUGIN_FAILED' } });
    expect(Object.keys(namespace.errors ?? {})).toContain('example/TOO_FEW_WORDS');
  });

  it('an empty text is zero words, not an error', async () => {
    const t = context({ plugin: wordCount, namespace });
    expect(await t.run({ text: '' })).toEqual({ words: 0, sentences: 0, characters: 0, readingSeconds: 0 });
  });
});

describe('example.slug', () => {
  it('drops accents and punctuation, and cuts at a separator', async () => {
    const t = context({ plugin: slug, namespace });
    expect(await t.run({ text: "Crème brûlée: 5 facts you didn't know! Really.", maxLength: 30 })).toEqual({ slug: 'creme-brulee-5-facts-you-didn' });
    expect(await t.run({ text: 'A B', separator: '_' })).toEqual({ slug: 'a_b' });
  });

  it('takes its separator from the config section when a step gives none', async () => {
    const t = context({ plugin: slug, namespace, config: { separator: '_' } });
    expect(await t.run({ text: 'Hello World' })).toEqual({ slug: 'hello_world' });
    expect(await t.run({ text: 'Hello World', separator: '.' })).toEqual({ slug: 'hello.world' });
  });

  it('warns when nothing is left', async () => {
    const t = context({ plugin: slug, namespace });
    expect(await t.run({ text: '!!!' })).toEqual({ slug: '' });
    expect(t.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringMatching(/no letters or digits/) }));
  });
});

describe('the namespace', () => {
  it('sums the words of its steps for `mpv2 runs show`', () => {
    const r = namespace.reportLines;
    const s = r?.summarize([
      { stepId: 'a', plugin: 'example.wordCount', index: -1, status: 'succeeded', cached: false, outputs: { words: 3 } },
      { stepId: 'b', plugin: 'example.wordCount', index: 0, status: 'succeeded', cached: true, outputs: { words: 4 } },
      { stepId: 'c', plugin: 'example.slug', index: -1, status: 'succeeded', cached: false, outputs: { slug: 'x' } },
    ]);
    expect(r?.lines(s)).toEqual(['example: 7 words counted in 2 steps']);
  });
});
