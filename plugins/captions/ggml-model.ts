/**
 * The header of a whisper.cpp model file (ggml, as whisper.cpp's models/convert-pt-to-ggml.py
 * writes it and whisper_model_load reads it): magic, hyperparameters, mel filters, vocabulary,
 * then the tensors. Read before the binding loads the file, so that a file that is not a model
 * gets a clear reason instead of whisper.cpp's one-line failure — and so that a file cut off
 * before its weights is refused: whisper.cpp takes a model without tensors as an empty test
 * model and transcribes nothing, silently. `mpv2 doctor` shows what it finds.
 */
import { open } from 'node:fs/promises';

export interface WhisperModelInfo {
  /** tiny, base, small, medium, large, or `custom` for a layer count none of them has. */
  size: string;
  multilingual: boolean;
  /** Languages the model knows (1, English, for a `.en` model). */
  languages: number;
  /** Weight type: f32, f16, or a quantization (q5_0, q8_0 …). */
  weights: string;
  bytes: number;
}

const MAGIC = 0x67676d6c; // "ggml"
/** Timestamp tokens end at 51863: an English-only vocabulary has 51864 tokens, a multilingual one more. */
const MIN_VOCAB = 51864;
const SIZES: Record<number, string> = { 4: 'tiny', 6: 'base', 12: 'small', 24: 'medium', 32: 'large' };
const WEIGHTS: Record<number, string> = { 0: 'f32', 1: 'f16', 2: 'q4_0', 3: 'q4_1', 7: 'q8_0', 8: 'q5_0', 9: 'q5_1', 10: 'q2_k', 11: 'q3_k', 12: 'q4_k', 13: 'q5_k', 14: 'q6_k' };
/** The header of every whisper model ends within its first megabyte; 8 MB leaves room for any. */
const HEADER_MAX = 8 * 1024 * 1024;

/** Why a file is not a usable whisper.cpp model; the caller names the setting that points at it. */
export class ModelFormatError extends Error {}

/** Reads and checks the header; throws ModelFormatError saying what is wrong with the file. */
export async function readWhisperModel(file: string): Promise<WhisperModelInfo> {
  const fh = await open(file, 'r');
  let buf: Buffer;
  let bytes: number;
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ModelFormatError('it is not a file');
    bytes = st.size;
    buf = Buffer.alloc(Math.min(bytes, HEADER_MAX));
    await fh.read(buf, 0, buf.length, 0);
  } finally {
    await fh.close();
  }
  return parseHeader(buf, bytes);
}

function parseHeader(buf: Buffer, bytes: number): WhisperModelInfo {
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n <= buf.length) return;
    throw new ModelFormatError(at + n > bytes ? `it ends inside its ${what} (${bytes} bytes): the file is cut short` : `its ${what} does not end within the first ${HEADER_MAX >> 20} MB, so it is not a whisper.cpp model`);
  };
  const i32 = (what: string) => { need(4, what); const v = buf.readInt32LE(at); at += 4; return v; };

  if (buf.length < 4 || buf.readUInt32LE(0) !== MAGIC) throw new ModelFormatError(notGgml(buf));
  at = 4;
  const names = ['n_vocab', 'n_audio_ctx', 'n_audio_state', 'n_audio_head', 'n_audio_layer', 'n_text_ctx', 'n_text_state', 'n_text_head', 'n_text_layer', 'n_mels', 'ftype'] as const;
  const h = Object.fromEntries(names.map((n) => [n, i32('hyperparameters')])) as Record<(typeof names)[number], number>;
  const bad = names.filter((n) => n === 'ftype' ? h[n] < 0 : h[n] <= 0);
  if (bad.length) throw new ModelFormatError(`its hyperparameters are not a model's (${bad.map((n) => `${n} = ${h[n]}`).join(', ')})`);
  if (h.n_vocab < MIN_VOCAB) throw new ModelFormatError(`its vocabulary has ${h.n_vocab} tokens, fewer than any whisper model's ${MIN_VOCAB}`);
  if (h.n_text_state !== h.n_audio_state) throw new ModelFormatError(`its text and audio widths differ (${h.n_text_state} ≠ ${h.n_audio_state})`);

  const nMel = i32('mel filters');
  const nFft = i32('mel filters');
  if (nMel <= 0 || nFft <= 0 || nMel > 1024 || nFft > 8192) throw new ModelFormatError(`its mel filter bank is ${nMel} × ${nFft}, not a model's`);
  need(nMel * nFft * 4, 'mel filters');
  at += nMel * nFft * 4;

  const nWords = i32('vocabulary');
  if (nWords < 0 || nWords > h.n_vocab) throw new ModelFormatError(`it says it holds ${nWords} vocabulary entries, for ${h.n_vocab} tokens`);
  for (let i = 0; i < nWords; i++) {
    const len = i32('vocabulary');
    if (len < 0 || len > 1024) throw new ModelFormatError(`vocabulary entry ${i} is ${len} bytes long`);
    need(len, 'vocabulary');
    at += len;
  }

  // the first tensor's header: a file without one would load as an empty model
  if (at >= bytes) throw new ModelFormatError('it ends before its weights: the file is cut short');
  const dims = i32('first tensor');
  const nameLen = i32('first tensor');
  i32('first tensor'); // its type
  if (dims < 1 || dims > 4 || nameLen < 1 || nameLen > 256) throw new ModelFormatError('what follows its vocabulary is not a tensor');
  at += dims * 4;
  need(nameLen, 'first tensor');
  const name = buf.toString('latin1', at, at + nameLen);
  if (!/^(en|de)coder\./.test(name)) throw new ModelFormatError(`its first tensor is "${name}", not a whisper encoder or decoder weight`);

  const ftype = h.ftype % 1000; // whisper.cpp stores the quantization version in the thousands
  const multilingual = h.n_vocab > MIN_VOCAB;
  return {
    size: SIZES[h.n_audio_layer] ?? 'custom',
    multilingual,
    // whisper.cpp counts the language tokens between <|startoftranscript|> and <|translate|> this way
    languages: multilingual ? h.n_vocab - 51765 - 1 : 1,
    weights: WEIGHTS[ftype] ?? `ftype ${ftype}`,
    bytes,
  };
}

/** What the file is instead, when it is a format people mistake for a whisper.cpp model. */
function notGgml(buf: Buffer): string {
  const head = buf.subarray(0, 4).toString('latin1');
  if (head === 'GGUF') return 'it is a GGUF file (llama.cpp\'s format); whisper.cpp reads ggml .bin models (ggml-*.bin)';
  if (head.startsWith('PK') || buf[0] === 0x80) return 'it looks like a PyTorch checkpoint; whisper.cpp needs it converted to ggml (models/convert-pt-to-ggml.py in whisper.cpp), or take a ready ggml-*.bin';
  if (buf.length === 0) return 'it is empty';
  return 'it does not start with the ggml magic, so it is not a whisper.cpp model';
}
