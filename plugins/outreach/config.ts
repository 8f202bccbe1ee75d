/**
 * The `outreach` config section, shared by outreach.leads and outreach.send. The SMTP block
 * is the fallback sender when a step names no `from` account; its password is `writeOnly`
 * so the logger and `mpv2 config show` redact it.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

/** SMTP settings, the same fields an `email` account holds. */
export const smtpSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'An SMTP sender: server, security, login and the From line.',
  properties: {
    host: { type: 'string', description: 'SMTP server host name, e.g. `smtp.fastmail.com`.' },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'SMTP port. Default: 465 with `security: tls`, else 587.' },
    security: {
      type: 'string',
      enum: ['tls', 'starttls', 'none'],
      default: 'starttls',
      description: '`tls`: TLS from the first byte (port 465); `starttls`: plain connection upgraded with STARTTLS, which is required (port 587); `none`: no encryption (local relays only).',
    },
    user: { type: 'string', description: 'Login name (often the address).' },
    password: { type: 'string', writeOnly: true, description: 'Login password or app password.' },
    fromAddress: { type: 'string', description: 'The From address, e.g. `anna@example.com`.' },
    fromName: { type: 'string', description: 'The display name on the From line, e.g. `Anna from Example`.' },
    replyTo: { type: 'string', description: 'Reply-To address, when replies should go elsewhere.' },
    unsubscribe: {
      type: 'string',
      description: 'Where recipients unsubscribe: an https URL or a `mailto:` address; `{{ email }}` and `{{ campaign }}` are filled in. Default: `mailto:<fromAddress>?subject=unsubscribe`.',
    },
    rejectUnauthorized: { type: 'boolean', default: true, description: "Check the server's TLS certificate. Turn off only for a local test server." },
    ca: { type: 'string', description: 'A PEM file of extra CA certificates to trust (a private relay), relative to the project root.' },
  },
} as const satisfies JSONSchema;

export const outreachConfigSchema = {
  type: 'object',
  description: 'Settings of the outreach.* plugins (lead discovery and email campaigns).',
  additionalProperties: false,
  properties: {
    smtp: { ...smtpSchema, default: {}, description: 'The sender used when an outreach.send step names no `from` account.' },
    suppressionFile: {
      type: 'string',
      description: 'A text file of addresses (one a line, `#` comments; a line `@domain.com` suppresses a whole domain) that are never mailed, on top of `mpv2 outreach suppress`. Relative to the project root.',
    },
    userAgent: {
      type: 'string',
      default: 'mpv2-outreach/1.0 (+contact discovery)',
      description: 'User-Agent sent when fetching websites, and the agent matched against robots.txt rules.',
    },
    crawl: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Email discovery on lead websites.',
      properties: {
        paths: {
          type: 'array',
          items: { type: 'string' },
          default: ['/', '/contact', '/about', '/impressum', '/team', '/contact-us', '/kontakt', '/about-us', '/imprint'],
          description: 'Pages tried on each site, in order (same host only), besides contact-like links found on the home page.',
        },
        maxPages: { type: 'integer', minimum: 1, maximum: 50, default: 6, description: 'Most pages read per site (a 404 does not count; at most twice this many requests).' },
        timeout: { type: ['string', 'integer'], default: '10s', description: 'Longest wait for one page.' },
        maxBytes: { type: 'integer', minimum: 1024, default: 2_000_000, description: 'Largest page read (bytes); longer pages are cut.' },
        concurrency: { type: 'integer', minimum: 1, maximum: 32, default: 4, description: 'Sites crawled at the same time.' },
        hosts: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'Host name → IP address overrides for crawling, like /etc/hosts (a staging copy of a site, tests).',
        },
      },
    },
    dns: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The MX check of outreach.leads (`checkMx: true`).',
      properties: {
        servers: {
          type: 'array',
          items: { type: 'string' },
          description: 'DNS servers (`1.1.1.1`, `127.0.0.1:5353`). Default: the system resolvers.',
        },
        timeout: { type: ['string', 'integer'], default: '5s', description: 'Longest wait for one DNS answer.' },
      },
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Retries of a message after a temporary SMTP failure (4xx, lost connection), inside the step.',
      properties: {
        attempts: { type: 'integer', minimum: 1, maximum: 10, default: 4, description: 'Tries per message, the first one included.' },
        initial: { type: ['string', 'integer'], default: '5s', description: 'First wait; it doubles after each try.' },
        max: { type: ['string', 'integer'], default: '2m', description: 'Longest wait between two tries.' },
      },
    },
  },
} as const satisfies JSONSchema;

/**
 * SMTP settings as a sender holds them: the config's `smtp` block, or an email account's
 * settings and credentials. An account's stored settings may predate a default (or come from
 * credentials as text), so the defaulted fields stay optional here.
 */
export type SmtpSettings = FromSchema<typeof smtpSchema, { keepDefaultedPropertiesOptional: true }>;

/** The section as the config loader hands it over: validated, every default filled. */
export type OutreachConfig = FromSchema<typeof outreachConfigSchema>;
