/** Input and output schemas of outreach.leads. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const leadsInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    source: {
      description: 'Leads file(s): CSV with a header row, JSON or YAML list of objects, or a google-maps-scraper CSV/JSON export. Relative to the pipeline file.',
      oneOf: [
        { type: 'string', format: 'path' },
        { type: 'array', items: { type: 'string', format: 'path' }, minItems: 1 },
      ],
    },
    leads: {
      type: 'array',
      description: 'Leads given inline (objects with any fields, or plain addresses), e.g. an earlier step\'s output; added after the files.',
      items: { type: ['object', 'string'] },
    },
    format: {
      type: 'string',
      enum: ['auto', 'csv', 'json', 'yaml', 'google-maps'],
      default: 'auto',
      description: 'How to read `source`. `auto`: from the extension, and a google-maps-scraper export is recognised by its columns (title, link/cid, category/address).',
    },
    discover: { type: 'boolean', default: true, description: 'Look for an address on the website of each lead that has none (home, contact, about, impressum, team pages; robots.txt honoured).' },
    anyDomain: { type: 'boolean', default: false, description: 'Also accept addresses of other domains found on a site (e.g. a gmail.com address on a bakery\'s page). Off: only the site\'s own domain.' },
    checkMx: { type: 'boolean', default: false, description: 'Exclude leads whose email domain has no MX record (DNS servers: config `outreach.dns.servers`).' },
    dedupe: { type: 'boolean', default: true, description: 'Keep only the first lead of each address; later ones are excluded as duplicates.' },
    crawlLimit: { type: 'string', default: 'outreach-crawl', description: 'Named limit each page fetch runs under (define it under `limits:`, e.g. `{ rate: 60/minute, concurrency: 4 }`); no such limit means no throttle beyond `outreach.crawl.concurrency`.' },
  },
} as const satisfies JSONSchema;

export const leadsOutputSchema = {
  type: 'object',
  required: ['leads', 'excluded'],
  properties: {
    leads: {
      type: 'array',
      description: 'Leads with an address: every source field, plus name, company, website when known, email, emailSource (input, mailto, cloudflare, text, obfuscated), emailPage.',
      items: {
        type: 'object',
        required: ['email', 'emailSource'],
        properties: {
          email: { type: 'string' },
          emailSource: { type: 'string' },
          emailPage: { type: 'string' },
          name: { type: 'string' },
          company: { type: 'string' },
          website: { type: 'string' },
        },
      },
    },
    excluded: {
      type: 'array',
      description: 'Leads left out, each with the reason.',
      items: { type: 'object', required: ['lead', 'reason'], properties: { lead: { type: 'object' }, reason: { type: 'string' } } },
    },
  },
} as const satisfies JSONSchema;

/** `with` of outreach.leads, after the engine filled the defaults. */
export type LeadsInput = FromSchema<typeof leadsInputSchema>;
export type LeadsOutput = FromSchema<typeof leadsOutputSchema>;
