/**
 * The whisper.cpp model header check (readWhisperModel): a tiny model made by the test is read
 * as what it is; files that are not models, or are cut short, are refused with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFormatError, readWhisperModel } from '../../../plugins/captions/ggml-model.js';
import { writeTinyWhisperModel } from '../../helpers/whisper-model.js';

const dir = mkdtempSync(join(tmpdir(), 'mpv2-ggml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SEGMENTS = [{ start: 0, end: 1, pieces: [' Hel', 'lo'] }];
const en = join(dir, 'en.bin');
writeTinyWhisperModel(en, { segments: SEGMENTS });
const model = readFileSync(en);

const file = (name: string, bytes: Buffer | string) => { const f = join(dir, name); writeFileSync(f, bytes); return f; };
const refused = async (f: string) => {
  const e = await readWhisperModel(f).then(() => undefined, (err: Error) => err);
  expect(e).toBeInstanceOf(ModelFormatError);
  return e!.message;
};

describe('readWhisperModel', () => {
  it('reads what a model is: size, languages, weights', async () => {
    expect(await readWhisperModel(en)).toEqual({ size: 'custom', multilingual: false, languages: 1, weights: 'f32', bytes: model.length });
    const multi = join(dir, 'multi.bin');
    writeTinyWhisperModel(multi, { segments: SEGMENTS, multilingual: true });
    expect(await readWhisperModel(multi)).toMatchObject({ multilingual: true, languages: 99 });
  });

  it('refuses files that are not whisper.cpp models, saying what they look like', async () => {
    expect(await refused(file('text.bin', 'hello, this is not a model\n'))).toMatch(/does not start with the ggml magic/);
    expect(await refused(file('empty.bin', ''))).toMatch(/empty/);
    expect(await refused(file('llama.gguf', Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(64)])))).toMatch(/GGUF/);
    expect(await refused(file('model.pt', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64)])))).toMatch(/PyTorch/);
    // the magic, then hyperparameters no model has
    expect(await refused(file('zeros.bin', Buffer.concat([model.subarray(0, 4), Buffer.alloc(64)])))).toMatch(/hyperparameters are not a model's \(n_vocab = 0/);
  });

  it('refuses a model cut short, also one cut right before its weights (whisper.cpp would load it as empty)', async () => {
    expect(await refused(file('cut-header.bin', model.subarray(0, 100)))).toMatch(/ends inside its mel filters .*cut short/);
    // the header of the tiny model: magic, 11 hyperparameters, 80×201 filters, the vocabulary
    const vocabulary = [' ', ' Hel', 'lo'].reduce((n, w) => n + 4 + Buffer.byteLength(w), 4);
    const headerEnd = 4 + 44 + 8 + 80 * 201 * 4 + vocabulary;
    expect(await refused(file('no-weights.bin', model.subarray(0, headerEnd)))).toMatch(/ends before its weights/);
    expect(await refused(file('cut-tensor.bin', model.subarray(0, headerEnd + 6)))).toMatch(/ends inside its first tensor/);
  });
});
