import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Args, Flags, defineNamespace } from 'mpv2/plugin';
import { countWords, tooFewWords } from './word-count.js';

/**
 * What the `example` namespace brings besides its steps: a config section (with the variable
 * that sets it), the `mpv2 example count` command, a line in `mpv2 runs show`, a `doctor`
 * check, and its error code.
 */
export default defineNamespace({
  namespace: 'example',
  description: 'Word counts and slugs (the example plugin package)',
  config: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        wordsPerMinute: { type: 'number', minimum: 1, default: 150, description: 'Speaking rate example.wordCount uses when a step gives none.' },
        separator: { type: 'string', minLength: 1, maxLength: 3, default: '-', description: 'What example.slug puts between words when a step gives none.' },
      },
    },
    // the environment wins over the config file; a variable's value is a string, so it fills a string setting
    env: { EXAMPLE_SLUG_SEPARATOR: 'separator' },
  },
  commands: {
    count: {
      summary: 'Count the words of a text file',
      description: 'Prints the words, sentences and reading time of a UTF-8 text file, as example.wordCount counts them.',
      examples: ['<%= config.bin %> example count script.txt', '<%= config.bin %> example count script.txt --wpm 180 --min-words 50'],
      args: { file: Args.string({ description: 'The text file (relative to the current folder)', required: true }) },
      flags: {
        wpm: Flags.integer({ description: 'Speaking rate for the reading time (default: the example.wordsPerMinute setting)', min: 1 }),
        'min-words': Flags.integer({ description: 'Fail with example/TOO_FEW_WORDS below this many words', default: 0, min: 0 }),
      },
      async run(ctx, { args, flags }) {
        const text = await readFile(resolve(args.file), 'utf8');
        // a command sees its namespace's config (defaults filled in) and secrets, as its steps do
        const out = countWords(text, flags.wpm ?? ctx.config.wordsPerMinute);
        if (out.words < flags['min-words']) throw tooFewWords(args.file, out.words, flags['min-words']);
        ctx.log(`${args.file}: ${out.words} words, ${out.sentences} sentences, ${out.readingSeconds}s to read`);
      },
    },
  },
  reportLines: {
    /** @param {import('mpv2/plugin').ReportedStep[]} steps */
    summarize(steps) {
      const counted = steps.filter((s) => s.plugin === 'example.wordCount' && s.status === 'succeeded');
      const words = counted.reduce((n, s) => n + (/** @type {{ words?: number } | undefined} */ (s.outputs)?.words ?? 0), 0);
      return { steps: counted.length, words };
    },
    /** @param {{ steps: number, words: number }} s */
    lines: (s) => (s.steps ? [`example: ${s.words} words counted in ${s.steps} step${s.steps === 1 ? '' : 's'}`] : []),
  },
  async doctorChecks(ctx) {
    return { name: 'example', ok: true, message: `reading time at ${ctx.config.wordsPerMinute} words a minute` };
  },
  errors: {
    'example/TOO_FEW_WORDS': { summary: 'the text has fewer words than minWords asks for', hint: 'give a longer text, or lower minWords' },
  },
});
