/** The `afm` config section: how product pages are fetched and how pitches are written. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const afmConfigSchema = {
  type: 'object',
  description: 'Settings of the afm.* plugins (affiliate marketing). The pitches use the `llm` section\'s providers.',
  additionalProperties: false,
  properties: {
    // a current desktop Chrome: shops answer bots with captchas or stripped pages
    userAgent: { type: 'string', default: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', description: 'User-Agent sent when fetching product pages (a real browser\'s).' },
    acceptLanguage: { type: 'string', default: 'en-US,en;q=0.9', description: 'Accept-Language sent when fetching product pages.' },
    pageCacheTtl: { type: ['string', 'number'], default: '1d', description: 'How long the facts read from a product page are reused before it is fetched again.' },
    fetchTimeout: { type: ['string', 'number'], default: '30s', description: 'Longest wait for one product page.' },
    maxPageBytes: { type: 'integer', minimum: 1024, default: 8 * 1024 * 1024, description: 'Largest product page read.' },
    provider: { description: 'LLM provider (or fallback list) for pitches. @default llm.defaultProvider', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    model: { type: 'string', description: 'LLM model for pitches. @default the provider\'s' },
    disclosure: { type: 'string', default: '#ad', description: 'Affiliate disclosure added to every pitch (FTC and most platforms require one); empty to leave it out.' },
  },
} as const satisfies JSONSchema;

/** The `afm` section as its plugins read it: the config loader has filled in the defaults. */
export type AfmConfig = FromSchema<typeof afmConfigSchema>;

/** The plugin's own `ctx.config`, typed by its schema. */
export const afmConfig = (config: Readonly<Record<string, unknown>>): AfmConfig => config as AfmConfig;
