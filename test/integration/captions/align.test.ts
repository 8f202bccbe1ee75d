/**
 * captions.align on truth-known recordings: espeak-ng narrations in another voice and speed
 * with exact word events, changed by ffmpeg in ways whose effect on the times is known
 * (bench/align-cases.js). Loose bounds here; bench/align.js measures against the targets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestContext } from 'mpv2/testing';
import { hasFilter, makeCase, startErrors, TEXTS, type Variant } from '../../../bench/align-cases.js';
import align from '../../../plugins/captions/align.js';
import { namespace } from '../../../plugins/captions/index.js';
import type { AlignResult } from '../../../plugins/captions/service.js';
import { tokenize } from '../../../plugins/tts/text.js';
import { narrate, TRUTH_VOICE } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'mpv2-align-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ffmpeg = process.env.FFMPEG_PATH || 'ffmpeg';
const rubberband = hasFilter(ffmpeg, 'rubberband');

async function runAlign(input: Record<string, unknown>) {
  const t = createTestContext({ plugin: align, namespace, root });
  try {
    const out = (await t.run(input)) as AlignResult;
    return { out, logs: t.logs };
  } finally {
    await t.close();
  }
}

const cases: Array<[keyof typeof TEXTS, Variant]> = [
  ['en', 'voice'], ['en', 'padded'], ['en', 'all'], ['es', 'slower'], ['es', 'music'],
  ['de', 'noise'], ['de', 'faster'], ['fr', 'stretched'], ['fr', 'repitched'],
];

describe('captions.align against known truth', () => {
  it.each(cases)('%s, %s: word starts within 120 ms (median) and 300 ms (p95)', async (lang, variant) => {
    if ((variant === 'stretched' || variant === 'repitched') && !rubberband) return;
    const c = makeCase(ffmpeg, await narrate(TEXTS[lang], TRUTH_VOICE[lang], 1.1), variant, root, `${lang}-${variant}`);
    const { out } = await runAlign({ audio: c.file, text: TEXTS[lang], language: lang });
    expect(out.timing).toBe('aligned');
    expect(out.warning).toBeUndefined();
    expect(out.confidence).toBeGreaterThanOrEqual(0.5);
    expect(out.words.map((w) => w.text)).toEqual(tokenize(TEXTS[lang]).map((w) => w.text));
    const e = startErrors(out.words, c.words);
    expect(e.median).toBeLessThanOrEqual(120);
    expect(e.p95).toBeLessThanOrEqual(300);
    for (let i = 1; i < out.words.length; i++) expect(out.words[i]!.start).toBeGreaterThanOrEqual(out.words[i - 1]!.end - 1e-9);
  });
});

describe('captions.align inputs and fallback', () => {
  it('reads the text from textFile, and takes the language from the config section', async () => {
    const c = makeCase(ffmpeg, await narrate(TEXTS.en, TRUTH_VOICE.en), 'voice', root, 'file-en');
    writeFileSync(join(root, 'script.txt'), `${TEXTS.en}\n`);
    const { out } = await runAlign({ audio: c.file, textFile: 'script.txt' });
    expect(out).toMatchObject({ timing: 'aligned', referenceVoice: 'en' });
    expect(startErrors(out.words, c.words).median).toBeLessThanOrEqual(120);
  });

  it('says so and estimates when the audio is not the text (never silently)', async () => {
    // German speech, English text: the alignment cannot be trusted
    const c = makeCase(ffmpeg, await narrate(TEXTS.de, TRUTH_VOICE.de), 'noise', root, 'unrelated');
    const { out, logs } = await runAlign({ audio: c.file, text: TEXTS.en, language: 'en' });
    expect(out.timing).toBe('estimated');
    expect(out.confidence).toBeLessThan(0.5);
    expect(out.warning).toMatch(/does not match the text.*estimated/);
    expect(logs.some((l) => l.level === 'warn' && /does not match the text/.test(l.message))).toBe(true);
    // the estimate still gives every word, in order, inside the speech
    expect(out.words.map((w) => w.text)).toEqual(tokenize(TEXTS.en).map((w) => w.text));
    for (let i = 1; i < out.words.length; i++) expect(out.words[i]!.start).toBeGreaterThan(out.words[i - 1]!.start);
    expect(out.words.at(-1)!.end).toBeLessThanOrEqual(out.durationSec + 0.01);
    // the same audio and text again: the result is cached by content, and the warning said again
    const again = await runAlign({ audio: c.file, text: TEXTS.en, language: 'en' });
    expect(again.out).toEqual(out);
    expect(again.logs.some((l) => l.level === 'warn' && /does not match the text/.test(l.message))).toBe(true);
  });

  it('refuses neither or both of text and textFile, an unreadable text file and an unknown language', async () => {
    const c = makeCase(ffmpeg, await narrate('One two three.', TRUTH_VOICE.en), 'voice', root, 'bad');
    await expect(runAlign({ audio: c.file })).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/`text` or `textFile`/) });
    writeFileSync(join(root, 'one.txt'), 'One two three.');
    await expect(runAlign({ audio: c.file, text: 'One two three.', textFile: 'one.txt' })).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/not both/) });
    await expect(runAlign({ audio: c.file, textFile: 'missing.txt' })).rejects.toMatchObject({ code: 'E_FILE' });
    await expect(runAlign({ audio: 'nowhere.m4a', text: 'One two three.' })).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/nowhere\.m4a does not exist/) });
    await expect(runAlign({ audio: c.file, text: 'One two three.', language: 'xx-nowhere' })).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/no voice for "xx-nowhere"/) });
    await expect(runAlign({ audio: c.file, text: ' … — ' })).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
  });
});
