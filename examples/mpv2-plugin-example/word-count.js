import { definePlugin, pluginError } from 'mpv2/plugin';

// letters and digits of any script, with inner apostrophes and hyphens (don't, well-known)
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const SENTENCE_END = /[.!?…]+(?=\s|$)/gu;

/**
 * Counts words and sentences of a text, and how long it takes to read aloud.
 * @param {string} text
 * @param {number} wordsPerMinute
 * @returns {WordCountOutput}
 */
export function countWords(text, wordsPerMinute) {
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

/**
 * The namespace's own error: a text shorter than asked for. Shared by the step and the
 * `mpv2 example count` command, so both fail the same way.
 * @param {string} what where the text came from, for the message
 * @param {number} words
 * @param {number} minWords
 */
export function tooFewWords(what, words, minWords) {
  return pluginError('example/TOO_FEW_WORDS', `${what} has ${words} word${words === 1 ? '' : 's'}, fewer than the ${minWords} asked for`, {
    hint: 'give a longer text, or lower minWords (--min-words)',
  });
}

// `@type {const}` keeps the schemas' literal values, so their types come from them (FromSchema);
// `minWords` has a default, so it is always set in `WordCountInput`, as ajv fills it before `run`
const wordCountInput = /** @type {const} */ ({
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', description: 'The text to count.' },
    // no default here: an unset rate comes from the config (`example.wordsPerMinute`, 150 unless set)
    wordsPerMinute: { type: 'number', minimum: 1, description: 'Speaking rate used for readingSeconds; the config\'s example.wordsPerMinute when unset.' },
    minWords: { type: 'integer', minimum: 0, default: 0, description: 'Fail with example/TOO_FEW_WORDS when the text has fewer words.' },
  },
});

const wordCountOutput = /** @type {const} */ ({
  type: 'object',
  required: ['words', 'sentences', 'characters', 'readingSeconds'],
  additionalProperties: false,
  properties: {
    words: { type: 'integer', description: 'Number of words.' },
    sentences: { type: 'integer', description: 'Number of sentences.' },
    characters: { type: 'integer', description: 'Number of characters (Unicode code points).' },
    readingSeconds: { type: 'number', description: 'Seconds to read the text aloud at wordsPerMinute.' },
  },
});

/** @typedef {import('mpv2/plugin').FromSchema<typeof wordCountInput>} WordCountInput */
/** @typedef {import('mpv2/plugin').FromSchema<typeof wordCountOutput>} WordCountOutput */

/** @type {import('mpv2/plugin').PluginDef<WordCountInput, WordCountOutput>} */
const wordCount = definePlugin({
  id: 'example.wordCount',
  version: '1.1.0',
  description: 'Count the words and sentences of a text, and estimate its narration time',
  input: wordCountInput,
  output: wordCountOutput,
  // same text in, same counts out: the step cache may reuse results
  pure: true,
  run(ctx, input) {
    const rate = input.wordsPerMinute ?? /** @type {number} */ (ctx.config.wordsPerMinute);
    const out = countWords(input.text, rate);
    if (out.words < input.minWords) throw tooFewWords('the text', out.words, input.minWords);
    ctx.log.debug(`counted ${out.words} words`);
    return out;
  },
});

export default wordCount;
