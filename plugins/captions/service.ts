/**
 * The `align` service of the captions namespace (`ctx.services.captions.align(request)`,
 * declare `uses: ['captions']`), which captions.align runs too: the reference narration comes
 * from the tts namespace's `reference` service (espeak-ng with exact word events), both audios
 * are decoded to 16 kHz mono by ffmpeg and aligned (./aligner.ts). A poor alignment is never
 * returned as if it were good: under the confidence threshold the words are estimated (the
 * reference's times stretched over the recording's speech), `timing` says `estimated` and a
 * warning is logged and returned. Results are cached by the audio's content (call cache).
 */
import { hashFile, mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { alignToReference, stretchReference, type TimedWord } from './aligner.js';
import type { CaptionsConfig } from './config.js';
import { decodeFile, decodePcm16 } from './pcm.js';

export interface AlignRequest {
  /** Absolute path of the recording (any audio or video ffmpeg reads). */
  audio: string;
  text: string;
  /** Language of the text (BCP 47) or an espeak-ng voice; `captions.language` when not set. */
  language?: string;
  /** `captions.minConfidence` when not set. */
  minConfidence?: number;
}

export interface AlignResult {
  words: TimedWord[];
  confidence: number;
  /** `aligned`, or `estimated` when the confidence was under the threshold. */
  timing: 'aligned' | 'estimated';
  /** Why the words are estimated, when they are. */
  warning?: string;
  /** Seconds of audio. */
  durationSec: number;
  /** The espeak-ng voice of the reference. */
  referenceVoice: string;
  quality: { orderRatio: number; pauseAgreement: number; speedRatio: number };
}

interface Reference {
  pcm: Buffer;
  sampleRate: number;
  words: TimedWord[];
  voice: string;
}

/** Bumped when the alignment changes, so cached results are not reused. */
const VERSION = 1;

export async function align(ctx: StepContext, req: AlignRequest): Promise<AlignResult> {
  const cfg = ctx.config as CaptionsConfig;
  if (!req.text.trim()) throw mpv2Error('E_INPUT_INVALID', 'expected a text to align, got an empty one', { hint: 'give the script that is spoken in the audio (`text:` or `textFile:`)' });
  const language = req.language ?? cfg.language;
  const minConfidence = req.minConfidence ?? cfg.minConfidence;
  // cached by the audio's content: espeak-ng's reference varies a little from call to call, and
  // the same audio and text must keep the same times (tts.speak run again on cached chunks)
  const key = { kind: 'captions.align', version: VERSION, audio: await hashFile(req.audio), text: req.text, language, minConfidence };
  const out = await ctx.cache.wrap(key, undefined, () => alignNow(ctx, req.audio, req.text, language, minConfidence));
  // said on every run, cached or not: estimated words are never passed off silently
  if (out.warning) ctx.log.warn(`captions: ${out.warning}`);
  return out;
}

async function alignNow(ctx: StepContext, audio: string, text: string, language: string, minConfidence: number): Promise<AlignResult> {
  const ref = await ctx.services.tts.reference({ text, voice: language }) as Reference;
  if (!ref.words.length) throw mpv2Error('E_INPUT_INVALID', 'expected the text to hold at least one word, got punctuation only');
  const [reference, recording] = await Promise.all([
    decodePcm16(ref.pcm, ref.sampleRate, ctx.workdir, ctx.signal),
    decodeFile(audio, ctx.workdir, ctx.signal),
  ]);
  const t0 = performance.now();
  const a = alignToReference(reference, ref.words, recording);
  ctx.log.debug(`captions: aligned ${ref.words.length} words in ${Math.round(performance.now() - t0)} ms, confidence ${a.confidence}`, { orderRatio: a.orderRatio, pauseAgreement: a.pauseAgreement, speedRatio: a.speedRatio });
  const base = {
    confidence: a.confidence,
    durationSec: Math.round((recording.length / 16_000) * 1000) / 1000,
    referenceVoice: ref.voice,
    quality: { orderRatio: a.orderRatio, pauseAgreement: a.pauseAgreement, speedRatio: a.speedRatio },
  };
  if (a.confidence >= minConfidence) return { ...base, words: a.words, timing: 'aligned' };
  const warning = `the audio does not match the text well enough to align it (confidence ${a.confidence} < ${minConfidence}); word times are estimated. Check that the text is what is spoken and that \`language\` (${language}) is right`;
  return { ...base, words: stretchReference(reference, ref.words, recording), timing: 'estimated', warning };
}
