/**
 * What the outreach namespace keeps in the key-value store (namespace `outreach`):
 *   `suppress:<address or @domain>` → { at, reason }            never mailed, by any campaign
 *   `campaign:<name>:<address>`     → { status, reason?, … }     the last outcome per recipient
 * The effect history (`outreach.send:campaign:<name>:<address>`) is the authority on "sent";
 * these records make skips, failures and the report readable.
 */
import type { KeyValueStore } from 'mpv2/plugin';
import { domainOf, normaliseAddress } from './address.js';

export interface Suppression {
  at: string;
  reason: string;
}

/** `in-doubt`: a send that may or may not have gone out, until `mpv2 effects resolve` settles it. */
export type Outcome = 'sent' | 'failed' | 'skipped' | 'in-doubt';

export interface RecipientRecord {
  email: string;
  status: Outcome;
  reason?: string;
  /** SMTP reply code of a failure (550, 451 …). */
  smtpCode?: number;
  /** A permanent failure is not retried by later runs (unless `retryFailed`). */
  permanent?: boolean;
  messageId?: string;
  runId: string;
  at: string;
}

export const campaignKey = (campaign: string, email: string) => `campaign:${campaign}:${email}`;
export const suppressKey = (entry: string) => `suppress:${entry}`;

/** `Anna@X.com` → `anna@x.com`; `@X.com` or `x.com` → `@x.com` (a whole domain). */
export function suppressionEntry(raw: string): string {
  const s = raw.trim().toLowerCase();
  if (s.startsWith('@')) return s;
  if (!s.includes('@')) return `@${s}`;
  return normaliseAddress(s);
}

export async function suppress(store: KeyValueStore, raw: string, reason: string): Promise<string> {
  const entry = suppressionEntry(raw);
  await store.set(suppressKey(entry), { at: new Date().toISOString(), reason } satisfies Suppression);
  return entry;
}

export async function unsuppress(store: KeyValueStore, raw: string): Promise<boolean> {
  const key = suppressKey(suppressionEntry(raw));
  const had = (await store.get(key)) !== undefined;
  await store.delete(key);
  return had;
}

export async function listSuppressed(store: KeyValueStore): Promise<Array<{ entry: string } & Suppression>> {
  return (await store.list<Suppression>('suppress:')).map(({ key, value }) => ({ entry: key.slice('suppress:'.length), ...value }));
}

/** The suppression list as a lookup: the address itself, or its whole domain. */
export class SuppressionList {
  constructor(private readonly entries: Map<string, string>) {}

  static async load(store: KeyValueStore, fileLines: Array<{ entry: string; source: string }>): Promise<SuppressionList> {
    const m = new Map<string, string>();
    for (const s of await listSuppressed(store)) m.set(s.entry, `suppressed ${s.at.slice(0, 10)}${s.reason ? ` (${s.reason})` : ''}`);
    for (const l of fileLines) if (!m.has(l.entry)) m.set(l.entry, `listed in ${l.source}`);
    return new SuppressionList(m);
  }

  /** Why the address may not be mailed, or undefined. */
  why(email: string): string | undefined {
    return this.entries.get(email) ?? this.entries.get(`@${domainOf(email)}`);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Lines of a suppression file: addresses or `@domain`, `#` comments, blank lines ignored. */
export function parseSuppressionFile(text: string, source: string): Array<{ entry: string; source: string }> {
  return text.split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '')
    .map((l) => ({ entry: suppressionEntry(l), source }));
}

export async function campaignRecords(store: KeyValueStore, campaign: string): Promise<RecipientRecord[]> {
  return (await store.list<RecipientRecord>(`campaign:${campaign}:`)).map((e) => e.value);
}
