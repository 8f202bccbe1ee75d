/**
 * Sorting nodemailer's failures: a permanent rejection of one recipient (5xx) is recorded
 * and the campaign goes on; a temporary one (4xx) is retried; a lost or refused connection
 * is retried and then stops the campaign (the server is down, every message would fail);
 * an authentication failure stops it at once.
 */
import { mpv2Error, type Mpv2Error } from '../../src/errors.js';

export type SmtpFailureKind = 'auth' | 'permanent' | 'temporary' | 'connection' | 'other';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  code?: number;
  message: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EPROTOCOL']);

export function classifySmtp(e: unknown): SmtpFailure {
  const err = e as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const message = (err.response ?? err.message ?? String(e)).trim();
  if (err.code === 'EAUTH' || code === 535 || code === 534 || code === 530) return { kind: 'auth', code, message };
  if (code !== undefined && code >= 500) return { kind: 'permanent', code, message };
  if (code !== undefined && code >= 400) return { kind: 'temporary', code, message };
  if (err.code && CONNECTION_CODES.has(err.code)) return { kind: 'connection', message: `${err.code}: ${message}` };
  return { kind: 'other', message: err.code ? `${err.code}: ${message}` : message };
}

export function smtpError(f: SmtpFailure, server: string, cause: unknown): Mpv2Error {
  switch (f.kind) {
    case 'auth':
      return mpv2Error('E_AUTH', `the SMTP server ${server} refused the login: ${f.message}`, {
        cause, hint: 'check the user and password of the email account (`mpv2 accounts add email <name>`); many providers need an app password', details: { smtpCode: f.code },
      });
    case 'permanent':
      return mpv2Error('E_SMTP', `rejected by ${server}: ${f.message}`, { cause, details: { smtpCode: f.code, permanent: true } });
    case 'temporary':
      return mpv2Error('E_SMTP', `temporarily refused by ${server}: ${f.message}`, { cause, retryable: true, details: { smtpCode: f.code } });
    case 'connection':
      return mpv2Error('E_SMTP', `lost the connection to ${server}: ${f.message}`, {
        cause, retryable: true, hint: 'check the host and port and that the server is up; re-running mails only those not yet mailed',
      });
    default:
      return mpv2Error('E_SMTP', `sending through ${server} failed: ${f.message}`, {
        cause, hint: /certificate|self.signed|TLS|SSL/i.test(f.message) ? 'a TLS problem: check `security` (tls for port 465, starttls for 587) and `ca` / `rejectUnauthorized` for a private server' : undefined,
      });
  }
}
