/**
 * Word times for narration whose engine reports none (OpenAI, espeak-ng's wasm engine,
 * ElevenLabs without alignment): the joined audio is aligned against the text by the captions
 * namespace's `align` service instead of trusting the estimate. The estimate stays when the
 * alignment is not confident, or cannot be made (no espeak-ng library for the reference, a
 * language espeak-ng lacks) — always with a warning, never silently.
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { Word } from './timing.js';

interface Aligned {
  words: Word[];
  timing: 'aligned' | 'estimated';
  confidence: number;
}

/** `words` with those flagged `estimated` replaced by aligned times; `aligned` says whether any were. */
export async function alignEstimated(ctx: StepContext, req: { audio: string; text: string; language?: string; words: Word[]; estimated: boolean[] }): Promise<{ words: Word[]; aligned: boolean }> {
  let a: Aligned;
  try {
    a = await ctx.services.captions.align({ audio: req.audio, text: req.text, language: req.language }) as Aligned;
  } catch (e) {
    if (!isMpv2Error(e) || !['E_DEPENDENCY_MISSING', 'E_INPUT_INVALID'].includes(e.code)) throw e;
    ctx.log.warn(`tts: word times are estimated: they could not be aligned (${e.message})`);
    return { words: req.words, aligned: false };
  }
  if (a.words.length !== req.words.length || a.words.some((w, i) => w.text !== req.words[i]!.text)) {
    ctx.log.warn(`tts: word times are estimated: the alignment returned ${a.words.length} words for ${req.words.length}`);
    return { words: req.words, aligned: false };
  }
  if (a.timing !== 'aligned') {
    // captions said why (a warning in the log); its fallback is no better than tts's own estimate
    ctx.log.warn(`tts: word times are estimated (alignment confidence ${a.confidence})`);
    return { words: req.words, aligned: false };
  }
  return { words: req.words.map((w, i) => (req.estimated[i] ? a.words[i]! : w)), aligned: true };
}
