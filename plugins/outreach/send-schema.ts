/** Input and output schemas of outreach.send. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { DEFAULT_FOOTER } from './compose.js';
import { DEFAULT_SYSTEM } from './personalise.js';

const TEMPLATE_HINT = 'Liquid template: `{{ company }}`, `{{ name | default: "there" }}`, `{% if city %}…{% endif %}`; a field a lead lacks is an error.';

export const sendInputSchema = {
  type: 'object',
  required: ['campaign', 'leads'],
  additionalProperties: false,
  properties: {
    campaign: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
      description: 'Campaign name. Nobody is mailed twice within one campaign, across runs; `mpv2 outreach report <campaign>` shows its state.',
    },
    leads: {
      type: 'array',
      description: 'Recipients: objects with an `email` field (e.g. `steps.leads.outputs.leads`), whose other fields feed the templates; or plain addresses.',
      items: { type: ['object', 'string'] },
    },
    from: {
      description: 'The sender: an email account name (`mpv2 accounts add email <name>`) or a rotation `{ platform: email, pick: round-robin }`. Default: config `outreach.smtp`.',
      oneOf: [{ type: 'string' }, { type: 'object', required: ['platform'], properties: { platform: { const: 'email' } } }],
    },
    subject: { type: 'string', description: `Subject template. ${TEMPLATE_HINT}` },
    subjectFile: { type: 'string', format: 'path', description: 'Subject template read from a file (instead of `subject`).' },
    body: { type: 'string', description: `Body template, Markdown (sent as HTML plus a plain-text part). ${TEMPLATE_HINT}` },
    bodyFile: { type: 'string', format: 'path', description: 'Body template read from a Markdown file (instead of `body`).' },
    footer: {
      type: 'string',
      default: DEFAULT_FOOTER,
      description: 'Footer line under every message (Markdown template; `{{ unsubscribeUrl }}` is the unsubscribe link).',
    },
    personalise: {
      type: 'object',
      required: ['prompt'],
      additionalProperties: false,
      description: 'Ask the LLM (config `llm`) for a short personal passage per lead, used in the templates as `{{ personal }}`.',
      properties: {
        prompt: { type: 'string', description: 'What to ask, a Liquid template over the lead\'s fields, e.g. "Write an opener for {{ company }}, a {{ category }} in {{ city }}."' },
        system: { type: 'string', default: DEFAULT_SYSTEM, description: 'The system message.' },
        provider: { description: 'LLM provider name or fallback list. Default: config `llm.defaultProvider`.', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        model: { type: 'string', description: 'Model override.' },
        maxTokens: { type: 'integer', minimum: 1, default: 120, description: 'Longest answer.' },
        temperature: { type: 'number', minimum: 0, maximum: 2, description: 'Sampling temperature.' },
        limit: { type: 'string', description: 'Named limit each LLM call runs under (e.g. `llm`).' },
      },
    },
    attachments: { type: 'array', items: { type: 'string', format: 'path' }, default: [], description: 'Files attached to every message.' },
    rate: { type: 'string', description: 'Most messages per period, spread evenly: `30/hour` sends one every 2 minutes. Default: no pacing.' },
    limit: { type: 'string', description: 'Named limit (pipeline `limits:`) each message is sent under, shared with other steps.' },
    max: { type: 'integer', minimum: 1, description: 'Most messages this run; the rest are skipped and go out on the next run.' },
    dryRun: { type: 'boolean', default: false, description: 'Write every message as an .eml file into the step folder and send nothing (also on with `mpv2 run --dry-run`).' },
    retryFailed: { type: 'boolean', default: false, description: 'Try again recipients a server rejected permanently in an earlier run.' },
    suppressBounces: { type: 'boolean', default: true, description: 'Add an address to the suppression list when the server says the mailbox does not exist (5.1.x).' },
  },
} as const satisfies JSONSchema;

// `const` keeps each entry's fields literal, for the derived type
const ENTRY = <const P extends Record<string, JSONSchema>>(extra: P) => ({ type: 'object', required: ['email'], properties: { email: { type: 'string' }, ...extra } }) as const;

export const sendOutputSchema = {
  type: 'object',
  required: ['campaign', 'sent', 'skipped', 'failed', 'inDoubt', 'drafts', 'dryRun'],
  properties: {
    campaign: { type: 'string' },
    sent: { type: 'array', description: 'Messages the server accepted in this run.', items: ENTRY({ messageId: { type: 'string' }, at: { type: 'string' } }) },
    skipped: { type: 'array', description: 'Recipients not mailed, with why (already mailed, suppressed, in doubt, cap reached …).', items: ENTRY({ reason: { type: 'string' } }) },
    failed: { type: 'array', description: 'Recipients the server refused, with its reply.', items: ENTRY({ reason: { type: 'string' }, smtpCode: { type: 'integer' }, permanent: { type: 'boolean' } }) },
    inDoubt: {
      type: 'array',
      description: 'Sends that may or may not have gone out (the connection was lost after the message was sent, or an earlier run was cut off mid-send), each with the `mpv2 effects resolve` command that settles it. Never mailed again until settled.',
      items: ENTRY({ key: { type: 'string' }, reason: { type: 'string' }, settle: { type: 'string' } }),
    },
    drafts: { type: 'array', description: 'Dry run: the .eml file written for each recipient.', items: ENTRY({ file: { type: 'string' } }) },
    dryRun: { type: 'boolean' },
  },
} as const satisfies JSONSchema;

/** `with` of outreach.send, after the engine filled the defaults. */
export type SendInput = FromSchema<typeof sendInputSchema>;
export type SendOutput = FromSchema<typeof sendOutputSchema>;
