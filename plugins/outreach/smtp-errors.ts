/**
 * Sorting nodemailer's failures: a permanent rejection of one recipient (5xx) is recorded
 * and the campaign goes on; a temporary one (4xx) is retried; a lost or refused connection
 * is retried and then stops the campaign (the server is down, every message would fail);
 * an authentication failure stops it at once. Each says whether the message provably did not
 * go out (`notDone`), which decides between a failed send and one left in doubt.
 */
import { mpv2Error, pluginError, type Mpv2Error, type PluginErrorCode } from 'mpv2/plugin';

export type SmtpFailureKind = 'auth' | 'permanent' | 'temporary' | 'connection' | 'other';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  code?: number;
  /** The enhanced status code that opens the reply (RFC 3463), e.g. `5.1.1` (no such user). */
  enhanced?: string;
  message: string;
  /**
   * The message provably did not go out: the server answered with a refusal (a 4xx or 5xx
   * reply; only a 2xx reply to the end of DATA hands it over), the login failed, or no
   * connection was made. A connection lost without a reply may have delivered it.
   */
  notDone: boolean;
  /** TLS could not be set up (nodemailer's ETLS, EREQUIRETLS): a setting to check, not a server fault. */
  tls?: boolean;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EPROTOCOL']);

/** System errors of a connection that was never made (nodemailer keeps them as `originalCode`). */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function classifySmtp(e: unknown): SmtpFailure {
  const err = e as { code?: string; originalCode?: string; command?: string; responseCode?: number; response?: string; message?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const message = (err.response ?? err.message ?? String(e)).trim();
  if (err.code === 'EAUTH' || code === 535 || code === 534 || code === 530) return { kind: 'auth', code, message, notDone: true };
  // read at its place in the reply ("550 5.1.1 …"), not anywhere in the text
  const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(err.response?.trim() ?? '')?.[1];
  if (code !== undefined && code >= 500) return { kind: 'permanent', code, ...(enhanced && { enhanced }), message, notDone: true };
  if (code !== undefined && code >= 400) return { kind: 'temporary', code, message, notDone: true };
  const neverConnected = err.code === 'EDNS' || NEVER_CONNECTED.has(err.originalCode ?? err.code ?? '');
  if (err.code && CONNECTION_CODES.has(err.code)) return { kind: 'connection', message: `${err.code}: ${message}`, notDone: neverConnected };
  // TLS is negotiated before MAIL FROM; `API` errors are nodemailer refusing the message itself
  const beforeSending = err.code === 'ETLS' || (err.command === 'API' && (err.code === 'EENVELOPE' || err.code === 'EMESSAGE'));
  const tls = err.code === 'ETLS' || err.code === 'EREQUIRETLS';
  return { kind: 'other', message: err.code ? `${err.code}: ${message}` : message, notDone: beforeSending || neverConnected, ...(tls && { tls }) };
}

/** Outreach's own error codes for a mail server's answer, declared with its namespace. */
export const SMTP_ERRORS: Record<PluginErrorCode, { summary: string }> = {
  'outreach/SMTP_REJECTED': { summary: 'the mail server refused the message for good (5xx): the recipient is recorded failed, the campaign goes on' },
  'outreach/SMTP_DEFERRED': { summary: 'the mail server refused the message for now (4xx, greylisting): tried again, then on the next run' },
  'outreach/SMTP_CONNECTION': { summary: 'no connection to the mail server (refused, DNS, lost before sending): tried again, then the campaign stops' },
  'outreach/SMTP_FAILED': { summary: 'sending failed otherwise (TLS, a message the server or nodemailer refused)' },
};

/** The codes of a mail server's answer. */
export const SMTP_CODES: ReadonlySet<string> = new Set(Object.keys(SMTP_ERRORS));

export function smtpError(f: SmtpFailure, server: string, cause: unknown): Mpv2Error {
  switch (f.kind) {
    case 'auth':
      return mpv2Error('E_AUTH', `the SMTP server ${server} refused the login: ${f.message}`, {
        cause, notDone: f.notDone, hint: 'check the user and password of the email account (`mpv2 accounts add email <name>`); many providers need an app password', details: { smtpCode: f.code },
      });
    case 'permanent':
      return pluginError('outreach/SMTP_REJECTED', `rejected by ${server}: ${f.message}`, { cause, notDone: f.notDone, details: { smtpCode: f.code, permanent: true, ...(f.enhanced && { enhancedCode: f.enhanced }) } });
    case 'temporary':
      return pluginError('outreach/SMTP_DEFERRED', `temporarily refused by ${server}: ${f.message}`, { cause, notDone: f.notDone, retryable: true, details: { smtpCode: f.code } });
    case 'connection':
      return pluginError('outreach/SMTP_CONNECTION', `lost the connection to ${server}: ${f.message}`, {
        cause, notDone: f.notDone, retryable: true, hint: 'check the host and port and that the server is up; re-running mails only those not yet mailed',
      });
    default:
      return pluginError('outreach/SMTP_FAILED', `sending through ${server} failed: ${f.message}`, {
        cause, notDone: f.notDone, hint: f.tls ? 'a TLS problem: check `security` (tls for port 465, starttls for 587) and `ca` / `rejectUnauthorized` for a private server' : undefined,
      });
  }
}
