import { definePlugin } from 'mpv2/plugin';

/** @typedef {{ text: string, maxLength: number, separator?: string }} SlugInput */
/** @typedef {{ slug: string }} SlugOutput */

/**
 * `"Crème Brûlée: 5 Facts!"` → `"creme-brulee-5-facts"`.
 * @param {string} text
 * @param {number} maxLength
 * @param {string} separator
 */
export function slugify(text, maxLength, separator) {
  const base = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .split(separator)
    .filter(Boolean)
    .join(separator);
  if (base.length <= maxLength) return base;
  // cut at a separator so no word is chopped in half, when there is one
  const cut = base.slice(0, maxLength + 1);
  const at = cut.lastIndexOf(separator);
  return (at > 0 ? cut.slice(0, at) : base.slice(0, maxLength)).replace(new RegExp(`${escape(separator)}+$`), '');
}

/** @param {string} s */
function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** @type {import('mpv2/plugin').PluginDef<SlugInput, SlugOutput>} */
const slug = definePlugin({
  id: 'example.slug',
  version: '1.0.0',
  description: 'Turn a title into a URL- and file-name-safe slug',
  input: {
    type: 'object',
    required: ['text'],
    additionalProperties: false,
    properties: {
      text: { type: 'string', description: 'The title to turn into a slug.' },
      maxLength: { type: 'integer', minimum: 1, default: 60, description: 'Longest slug; longer ones are cut at a separator.' },
      // no default here: an unset separator comes from the config (`example.separator`, `-` unless set)
      separator: { type: 'string', minLength: 1, maxLength: 3, description: 'What goes between words; the config\'s example.separator when unset.' },
    },
  },
  output: {
    type: 'object',
    required: ['slug'],
    additionalProperties: false,
    properties: { slug: { type: 'string', description: 'The slug (may be empty when the text has no letters or digits).' } },
  },
  pure: true,
  run(ctx, input) {
    const s = slugify(input.text, input.maxLength, input.separator ?? /** @type {string} */ (ctx.config.separator));
    if (s === '' && input.text.trim() !== '') ctx.log.warn('the text has no letters or digits; the slug is empty');
    return { slug: s };
  },
});

export default slug;
