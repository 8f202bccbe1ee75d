/**
 * Account secrets in `.mpv2/credentials.json` (mode 0600), apart from the state database so
 * they never reach the journal. With `MPV2_MASTER_KEY` every record is AES-256-GCM sealed;
 * without it records are stored plain (still 0600) and `status()` says so. A file sealed
 * with another key is refused with E_MASTER_KEY rather than silently rewritten.
 */
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { mpv2Error } from '../../errors.js';
import { acquireLock } from '../browser/lock.js';
import { privateDir, tighten } from '../private-files.js';
import { jsonProblem } from '../json-problem.js';
import { deriveKey, newKdf, open, seal, type KdfParams, type Sealed } from './crypto.js';

type Record_ = Sealed | { plain: Record<string, string> };

interface CredentialsFile {
  version: 1;
  kdf?: KdfParams;
  /** A known text sealed with the key: tells a wrong key from a damaged record. */
  check?: Sealed;
  accounts: Record<string, Record_>;
}

export interface CredentialsStatus {
  file: string;
  exists: boolean;
  /** The file is sealed with a master key. */
  encrypted: boolean;
  /** MPV2_MASTER_KEY is set. */
  keySet: boolean;
  /** Records stored in plain text (no key when they were written). */
  plainRecords: number;
  /** e.g. `0600`; undefined when the file does not exist. */
  mode?: string;
}

const CHECK = 'mpv2-credentials-v1';
const HINT_KEY = 'set MPV2_MASTER_KEY (environment or .env) to the key the file was written with';

export class CredentialStore {
  constructor(readonly file: string, private readonly masterKey?: string) {}

  private read(): CredentialsFile {
    if (!existsSync(this.file)) return { version: 1, accounts: {} };
    tighten(this.file, 0o600); // a file from before the 0600 rule, or copied in with a wide mode
    let f: CredentialsFile;
    try {
      f = JSON.parse(readFileSync(this.file, 'utf8')) as CredentialsFile;
    } catch (e) {
      // the parser's message (and so no cause) quotes the file, which may hold plain secrets
      const problem = (e as NodeJS.ErrnoException).code ? (e as Error).message : jsonProblem(e);
      throw mpv2Error('E_FILE', `cannot read ${this.file}: ${problem}`, { hint: 'the file is damaged; remove it and add the accounts\' secrets again' });
    }
    if (f?.version !== 1 || typeof f.accounts !== 'object' || f.accounts === null) {
      throw mpv2Error('E_FILE', `cannot read ${this.file}: unknown format (version ${String(f?.version)})`);
    }
    return f;
  }

  /** The file's key, checked; undefined for a file without encryption. */
  private key(f: CredentialsFile): Buffer | undefined {
    if (!f.kdf) return undefined;
    if (!this.masterKey) throw mpv2Error('E_MASTER_KEY', `${this.file} is encrypted and MPV2_MASTER_KEY is not set`, { hint: HINT_KEY });
    const key = deriveKey(this.masterKey, f.kdf);
    // files written before the check record existed: the first sealed record tells instead
    const probe = f.check ? ['', f.check] as const : Object.entries(f.accounts).find((e): e is [string, Sealed] => !('plain' in e[1]));
    const opened = probe && open(key, probe[0], probe[1]);
    if (probe && (opened === undefined || (f.check && opened !== CHECK))) {
      throw mpv2Error('E_MASTER_KEY', `MPV2_MASTER_KEY does not open ${this.file}: it was encrypted with a different key`, { hint: `${HINT_KEY}; a lost key cannot be recovered: remove the file and add the accounts' secrets again` });
    }
    return key;
  }

  /**
   * Fails with E_MASTER_KEY when MPV2_MASTER_KEY is set but does not open the file, for
   * commands that list accounts without reading a secret (so a wrong key is never silent).
   */
  checkKey(): void {
    const f = this.read();
    if (f.kdf && this.masterKey) this.key(f);
  }

  async get(name: string): Promise<Record<string, string>> {
    const f = this.read();
    const rec = f.accounts[name];
    if (!rec) return {};
    if ('plain' in rec) return { ...rec.plain };
    const text = open(this.key(f) ?? noKey(this.file), name, rec);
    if (text === undefined) throw mpv2Error('E_AUTH', `the credentials of "${name}" in ${this.file} cannot be decrypted (altered, or moved from another name)`, { hint: `set them again with \`mpv2 accounts add\` or remove the account` });
    return JSON.parse(text) as Record<string, string>;
  }

  /** Replaces (merge: false) or merges into the account's secrets. */
  async set(name: string, values: Record<string, string>, o: { merge?: boolean } = {}): Promise<void> {
    await this.update((f, key) => {
      const before = o.merge ? this.decode(f, key, name) : {};
      const next = { ...before, ...values };
      f.accounts[name] = key ? seal(key, name, JSON.stringify(next)) : { plain: next };
    });
  }

  async remove(name: string): Promise<void> {
    if (!existsSync(this.file)) return;
    await this.update((f) => { delete f.accounts[name]; });
  }

  async names(): Promise<string[]> {
    return Object.keys(this.read().accounts).sort();
  }

  status(): CredentialsStatus {
    const exists = existsSync(this.file);
    const f = this.read();
    return {
      file: this.file, exists, encrypted: !!f.kdf, keySet: !!this.masterKey,
      plainRecords: Object.values(f.accounts).filter((r) => 'plain' in r).length,
      mode: exists ? (statSync(this.file).mode & 0o777).toString(8).padStart(4, '0') : undefined,
    };
  }

  private decode(f: CredentialsFile, key: Buffer | undefined, name: string): Record<string, string> {
    const rec = f.accounts[name];
    if (!rec) return {};
    if ('plain' in rec) return { ...rec.plain };
    const text = key ? open(key, name, rec) : undefined;
    if (text === undefined) throw mpv2Error('E_AUTH', `the credentials of "${name}" cannot be decrypted`);
    return JSON.parse(text) as Record<string, string>;
  }

  /** Read-modify-write under a lock; a plain file is sealed as soon as a master key is set. */
  private async update(change: (f: CredentialsFile, key: Buffer | undefined) => void): Promise<void> {
    privateDir(dirname(this.file));
    const lock = await acquireLock(`${this.file}.lock`, { what: 'credentials', waitMs: 10_000, pollMs: 50 });
    try {
      const f = this.read();
      let key = this.key(f);
      if (!key && this.masterKey) {
        // first write with a key: seal the records written before it
        f.kdf = newKdf();
        key = deriveKey(this.masterKey, f.kdf);
        f.check = seal(key, '', CHECK);
        for (const [name, rec] of Object.entries(f.accounts)) {
          if ('plain' in rec) f.accounts[name] = seal(key, name, JSON.stringify(rec.plain));
        }
      }
      change(f, key);
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(f, null, 2)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600); // the umask may have widened it
      renameSync(tmp, this.file);
    } finally {
      lock.release();
    }
  }
}

function noKey(file: string): never {
  throw mpv2Error('E_AUTH', `${file} holds encrypted records but no encryption settings`, { hint: 'the file is damaged; remove it and add the secrets again' });
}
