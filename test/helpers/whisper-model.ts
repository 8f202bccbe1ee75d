/**
 * Writes a tiny whisper.cpp model (ggml, the layout whisper.cpp's models/convert-pt-to-ggml.py
 * writes and whisper_model_load reads) that the real binding loads and runs — no model can be
 * downloaded in tests. About 3.5 MB: the real vocabulary size (whisper.cpp derives its special
 * tokens from it), but 16-wide layers, one of each, and a handful of vocabulary entries.
 *
 * Its decoder speaks a script fixed in advance. Every attention and MLP weight is zero, so the
 * decoder's last hidden state is the input token's embedding plus the position's embedding;
 * each position's embedding is a large vector along the axis of the token to emit next, which
 * the (tied) output projection turns into that token's logit far above all others. The text
 * is thus known; the times come from whisper.cpp itself: segment times from the script's
 * timestamp tokens, token times from its token-timestamp heuristic over the audio's energy.
 */
import { writeFileSync } from 'node:fs';
import { WHISPER_LANGUAGES } from '../../plugins/captions/whisper-languages.js';

export interface ScriptedSegment {
  /** Seconds, a multiple of 0.02 (whisper's timestamp step). */
  start: number;
  end: number;
  /** The tokens, as text or as raw bytes (a byte-level token may hold half a character). */
  pieces: Array<string | Buffer>;
}

export interface TinyModelOptions {
  segments: ScriptedSegment[];
  /** A multilingual model (51865 tokens) instead of an English-only one (51864). */
  multilingual?: boolean;
  /** The language a multilingual model detects when asked to. */
  detects?: string;
}

const WIDTH = 16;
const AUDIO_CTX = 1500;
const TEXT_CTX = 448;
const MELS = 80;
const FFT_BINS = 201;

/** Writes the model to `file`. */
export function writeTinyWhisperModel(file: string, o: TinyModelOptions): void {
  const multilingual = o.multilingual ?? false;
  const nVocab = multilingual ? 51865 : 51864;
  // whisper.cpp's special tokens, as it shifts them for a multilingual vocabulary of 99 languages
  const eot = multilingual ? 50257 : 50256;
  const sot = eot + 1;
  const beg = multilingual ? 50364 : 50363;
  const ts = (sec: number) => beg + Math.round(sec / 0.02);

  // " " must be in the vocabulary: whisper.cpp suppresses it at the first step by looking it up
  const vocabulary: Buffer[] = [Buffer.from(' ')];
  const idOf = (piece: string | Buffer) => {
    const b = Buffer.isBuffer(piece) ? piece : Buffer.from(piece, 'utf8');
    let id = vocabulary.findIndex((v) => v.equals(b));
    if (id < 0) id = vocabulary.push(b) - 1;
    return id;
  };
  // the tokens the decoder emits after each position; the prompt is <|startoftranscript|>, and for
  // a multilingual model also the language and <|transcribe|>, so the script starts after it
  const script: number[] = [];
  for (const s of o.segments) script.push(ts(s.start), ...s.pieces.map(idOf), ts(s.end));
  script.push(eot);
  const promptLength = multilingual ? 3 : 1;
  const emits = new Map<number, number>(script.map((tok, i) => [promptLength - 1 + i, tok]));
  // language detection reads the logits after <|startoftranscript|> alone (position 0)
  if (multilingual && o.detects) emits.set(0, sot + 1 + WHISPER_LANGUAGES.indexOf(o.detects));
  const axes = [...new Set(emits.values())];
  if (axes.length > WIDTH) throw new Error(`a tiny model speaks at most ${WIDTH} distinct tokens, the script has ${axes.length}`);

  const out: Buffer[] = [];
  const i32 = (...v: number[]) => { const b = Buffer.alloc(4 * v.length); v.forEach((x, i) => b.writeInt32LE(x, 4 * i)); out.push(b); };
  const f32 = (a: Float32Array) => out.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));

  i32(0x67676d6c); // "ggml"
  // n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype (f32)
  i32(nVocab, AUDIO_CTX, WIDTH, 1, 1, TEXT_CTX, WIDTH, 1, 1, MELS, 0);
  i32(MELS, FFT_BINS);
  f32(new Float32Array(MELS * FFT_BINS));
  i32(vocabulary.length);
  for (const v of vocabulary) { i32(v.length); out.push(v); }

  const tensor = (name: string, ne: number[], data?: Float32Array) => {
    const bytes = Buffer.from(name);
    i32(ne.length, bytes.length, 0, ...ne);
    out.push(bytes);
    f32(data ?? new Float32Array(ne.reduce((a, b) => a * b, 1)));
  };
  const ones = () => new Float32Array(WIDTH).fill(1);
  const attention = (p: string) => {
    tensor(`${p}_ln.weight`, [WIDTH], ones());
    tensor(`${p}_ln.bias`, [WIDTH]);
    tensor(`${p}.query.weight`, [WIDTH, WIDTH]);
    tensor(`${p}.query.bias`, [WIDTH]);
    tensor(`${p}.key.weight`, [WIDTH, WIDTH]);
    tensor(`${p}.value.weight`, [WIDTH, WIDTH]);
    tensor(`${p}.value.bias`, [WIDTH]);
    tensor(`${p}.out.weight`, [WIDTH, WIDTH]);
    tensor(`${p}.out.bias`, [WIDTH]);
  };
  const block = (p: string, cross: boolean) => {
    tensor(`${p}.mlp_ln.weight`, [WIDTH], ones());
    tensor(`${p}.mlp_ln.bias`, [WIDTH]);
    tensor(`${p}.mlp.0.weight`, [WIDTH, 4 * WIDTH]);
    tensor(`${p}.mlp.0.bias`, [4 * WIDTH]);
    tensor(`${p}.mlp.2.weight`, [4 * WIDTH, WIDTH]);
    tensor(`${p}.mlp.2.bias`, [WIDTH]);
    attention(`${p}.attn`);
    if (cross) attention(`${p}.cross_attn`);
  };

  tensor('encoder.positional_embedding', [WIDTH, AUDIO_CTX]);
  tensor('encoder.conv1.weight', [3, MELS, WIDTH]);
  tensor('encoder.conv1.bias', [1, WIDTH]);
  tensor('encoder.conv2.weight', [3, WIDTH, WIDTH]);
  tensor('encoder.conv2.bias', [1, WIDTH]);
  tensor('encoder.ln_post.weight', [WIDTH], ones());
  tensor('encoder.ln_post.bias', [WIDTH]);
  block('encoder.blocks.0', false);

  // each emitted token has an axis of its own; the position embedding (×1000) outweighs the
  // input token's (×20), so after the final layer norm the logits follow the position alone
  const embedding = new Float32Array(WIDTH * nVocab);
  axes.forEach((tok, axis) => { embedding[tok * WIDTH + axis] = 20; });
  const position = new Float32Array(WIDTH * TEXT_CTX);
  for (const [pos, tok] of emits) position[pos * WIDTH + axes.indexOf(tok)] = 1000;
  tensor('decoder.positional_embedding', [WIDTH, TEXT_CTX], position);
  tensor('decoder.token_embedding.weight', [WIDTH, nVocab], embedding);
  tensor('decoder.ln.weight', [WIDTH], ones());
  tensor('decoder.ln.bias', [WIDTH]);
  block('decoder.blocks.0', true);

  writeFileSync(file, Buffer.concat(out));
}
