// Types only: `mpv2` is an optional peer, so nothing from it is imported at run time.
/** @typedef {import('mpv2').PluginDef<WordCountInput, WordCountOutput>} WordCountPlugin */
/** @typedef {{ text: string, wordsPerMinute: number }} WordCountInput */
/** @typedef {{ words: number, sentences: number, characters: number, readingSeconds: number }} WordCountOutput */

// letters and digits of any script, with inner apostrophes and hyphens (don't, well-known)
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const SENTENCE_END = /[.!?…]+(?=\s|$)/gu;

/** Counts words and sentences of a text, and how long it takes to read aloud. */
export function countWords(text, wordsPerMinute = 150) {
  const words = text.match(WORD)?.length ?? 0;
  const trimmed = text.trim();
  let sentences = trimmed.match(SENTENCE_END)?.length ?? 0;
  // a last sentence without a full stop still counts
  if (trimmed !== '' && !/[.!?…]$/u.test(trimmed)) sentences += 1;
  return {
    words,
    sentences,
    characters: [...text].length,
    readingSeconds: Math.round((words / wordsPerMinute) * 60 * 10) / 10,
  };
}

/** @type {WordCountPlugin} */
const wordCount = {
  id: 'example.wordCount',
  version: '1.0.0',
  description: 'Count the words and sentences of a text, and estimate its narration time',
  input: {
    type: 'object',
    required: ['text'],
    additionalProperties: false,
    properties: {
      text: { type: 'string', description: 'The text to count.' },
      wordsPerMinute: { type: 'number', minimum: 1, default: 150, description: 'Speaking rate used for readingSeconds.' },
    },
  },
  output: {
    type: 'object',
    required: ['words', 'sentences', 'characters', 'readingSeconds'],
    additionalProperties: false,
    properties: {
      words: { type: 'integer', description: 'Number of words.' },
      sentences: { type: 'integer', description: 'Number of sentences.' },
      characters: { type: 'integer', description: 'Number of characters (Unicode code points).' },
      readingSeconds: { type: 'number', description: 'Seconds to read the text aloud at wordsPerMinute.' },
    },
  },
  // same text in, same counts out: the step cache may reuse results
  pure: true,
  run(ctx, input) {
    const out = countWords(input.text, input.wordsPerMinute);
    ctx.log.debug(`counted ${out.words} words`);
    return out;
  },
};

export default wordCount;
