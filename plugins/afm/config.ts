/** The `afm` config section: how product pages are fetched and how pitches are written. */
import type { JSONSchema } from 'mpv2/plugin';

export interface AfmConfig {
  userAgent: string;
  acceptLanguage: string;
  pageCacheTtl: string | number;
  fetchTimeout: string | number;
  maxPageBytes: number;
  provider?: string | string[];
  model?: string;
  disclosure: string;
}

export const AFM_DEFAULTS: AfmConfig = {
  // a current desktop Chrome: shops answer bots with captchas or stripped pages
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  acceptLanguage: 'en-US,en;q=0.9',
  pageCacheTtl: '1d',
  fetchTimeout: '30s',
  maxPageBytes: 8 * 1024 * 1024,
  disclosure: '#ad',
};

export const afmConfigSchema: JSONSchema = {
  type: 'object',
  description: 'Settings of the afm.* plugins (affiliate marketing). The pitches use the `llm` section\'s providers.',
  additionalProperties: false,
  properties: {
    userAgent: { type: 'string', default: AFM_DEFAULTS.userAgent, description: 'User-Agent sent when fetching product pages (a real browser\'s).' },
    acceptLanguage: { type: 'string', default: AFM_DEFAULTS.acceptLanguage, description: 'Accept-Language sent when fetching product pages.' },
    pageCacheTtl: { type: ['string', 'number'], default: AFM_DEFAULTS.pageCacheTtl, description: 'How long the facts read from a product page are reused before it is fetched again.' },
    fetchTimeout: { type: ['string', 'number'], default: AFM_DEFAULTS.fetchTimeout, description: 'Longest wait for one product page.' },
    maxPageBytes: { type: 'integer', minimum: 1024, default: AFM_DEFAULTS.maxPageBytes, description: 'Largest product page read.' },
    provider: { description: 'LLM provider (or fallback list) for pitches. @default llm.defaultProvider', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    model: { type: 'string', description: 'LLM model for pitches. @default the provider\'s' },
    disclosure: { type: 'string', default: AFM_DEFAULTS.disclosure, description: 'Affiliate disclosure added to every pitch (FTC and most platforms require one); empty to leave it out.' },
  },
};

export function afmConfig(raw: Readonly<Record<string, unknown>>): AfmConfig {
  return { ...AFM_DEFAULTS, ...(raw as Partial<AfmConfig>) };
}
