/**
 * The SMTP side: one pooled nodemailer transport per step (one connection, reused for every
 * message), STARTTLS or TLS, login; each message retried inside the step after temporary
 * failures with exponential backoff that honours the abort signal.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { mpv2Error, toMpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { smtpSchema, type SmtpSettings } from './config.js';
import { classifySmtp, smtpError } from './smtp-errors.js';

export interface SmtpTransport {
  server: string;
  /** Connects and logs in once, so a wrong password stops the campaign before any message. */
  verify(): Promise<void>;
  send(message: Mail.Options): Promise<{ messageId: string; response: string; accepted: string[] }>;
  close(): void;
}

/** `root`: the project root, which a relative `ca` path is read from (it is a config value). */
export function openTransport(s: SmtpSettings & { host: string }, root: string): SmtpTransport {
  // an account's stored settings may lack what the schema now defaults: its defaults apply
  const security = s.security ?? smtpSchema.properties.security.default;
  const port = s.port ?? (security === 'tls' ? 465 : 587);
  const server = `${s.host}:${port}`;
  const transport = nodemailer.createTransport({
    host: s.host,
    port,
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'none',
    ...(s.user && { auth: { user: s.user, pass: s.password ?? '' } }),
    tls: { rejectUnauthorized: s.rejectUnauthorized ?? smtpSchema.properties.rejectUnauthorized.default, ...(s.ca && { ca: readCa(resolve(root, s.ca)) }) },
    pool: true,
    maxConnections: 1,
    maxMessages: 100,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const wrap = (e: unknown): Mpv2Error => smtpError(classifySmtp(e), server, e);
  return {
    server,
    async verify() {
      try { await transport.verify(); } catch (e) { throw wrap(e); }
    },
    async send(message) {
      try {
        const info = await transport.sendMail(message);
        return { messageId: info.messageId, response: info.response, accepted: (info.accepted ?? []).map(String) };
      } catch (e) {
        throw wrap(e);
      }
    },
    close: () => transport.close(),
  };
}

export interface RetryPolicy {
  attempts: number;
  initialMs: number;
  maxMs: number;
  sleep: (ms: number) => Promise<void>;
  onRetry?: (attempt: number, delayMs: number, error: Mpv2Error) => void;
}

/** Runs `send`, retrying errors that say a retry can help (4xx, lost connection). */
export async function withSmtpRetry<T>(send: () => Promise<T>, p: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      const err = toMpv2Error(e);
      if (!err.retryable || attempt >= p.attempts) throw err;
      const delay = Math.min(p.maxMs, p.initialMs * 2 ** (attempt - 1));
      p.onRetry?.(attempt, delay, err);
      await p.sleep(delay);
    }
  }
}

/** The raw RFC 5322 message nodemailer would send (for dry runs: `.eml` files). */
export async function buildRaw(message: Mail.Options): Promise<Buffer> {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await t.sendMail(message);
  return info.message as Buffer;
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw mpv2Error('E_FILE', `cannot read the CA certificate ${file}: ${(e as Error).message}`, { cause: e, hint: '`ca` is a PEM file, relative to the project root' });
  }
}
