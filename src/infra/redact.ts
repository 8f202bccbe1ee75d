/**
 * Masks secrets in text, values and errors. Every registered secret (4 characters or
 * more) is replaced with `[REDACTED]` in every form `secret-forms.ts` knows: plain,
 * percent-encoded (URL and form, either hex case, `+` for a space), JSON/JS-escaped, HTML
 * entities, base64 and base64url at any alignment, hex. A piece of a secret cut off by a
 * truncation mark (`…`, `...`, as error messages quote values) is masked too. Values under
 * keys named like credentials (authorization, cookie, password, apiKey, token, secret) are
 * masked whatever they hold. The logger and event writers redact here, so call sites never
 * have to.
 */
import { decodedView, escapeRegExp, literalForms, type DecodedView } from './secret-forms.js';

export const REDACTED = '[REDACTED]';

/** Keys whose values are masked by name: authorization, set-cookie, apiKey, api_key, accessToken, clientSecret, smtpPassword … */
const SENSITIVE_KEY = /(authorization|cookie|password|passwd|secret|token|api[-_]?key)$/i;

const MIN_LENGTH = 4;
const MAX_DEPTH = 24;
/** A quoted piece of a secret next to a truncation mark is masked from this many characters on. */
const MIN_PIECE = 6;
const TRUNCATION = /["'`]?(?:…|\.\.\.)["'`]?/g;

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;
  private dirty = false;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret; shorter than 4 characters is ignored (it would mask ordinary text). */
  add(secret: string): void {
    if (typeof secret !== 'string' || secret.length < MIN_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.dirty = true;
  }

  /** Registers every value of a record (e.g. `LoadedConfig.secrets`) or list. */
  addAll(secrets: Iterable<string> | Record<string, string>): void {
    const list = Symbol.iterator in Object(secrets) ? (secrets as Iterable<string>) : Object.values(secrets);
    for (const s of list) this.add(s);
  }

  get size(): number {
    return this.secrets.size;
  }

  private regexp(): RegExp | null {
    if (this.dirty) {
      // longest first, so a secret that contains another is masked whole
      const all = [...new Set([...this.secrets].flatMap(literalForms))].filter((v) => v.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
      this.pattern = all.length > 0 ? new RegExp(all.map(escapeRegExp).join('|'), 'g') : null;
      this.dirty = false;
    }
    return this.pattern;
  }

  redact(s: string): string {
    const re = this.regexp();
    if (!re || typeof s !== 'string') return s;
    re.lastIndex = 0;
    const view = decodedView(s);
    if (!view) return this.maskPieces(s.replace(re, REDACTED));
    // found in the text as it is, or in its decoded view (mapped back to the encoded source)
    const spans: Array<[number, number]> = [];
    for (const m of s.matchAll(re)) spans.push([m.index, m.index + m[0].length]);
    const source = (v: DecodedView, from: number, to: number): [number, number] => [v.from[from]!, v.to[to - 1]!];
    for (const m of view.text.matchAll(re)) spans.push(source(view, m.index, m.index + m[0].length));
    // encoded twice (a URL inside a query parameter, JSON inside JSON): one more layer
    const inner = decodedView(view.text);
    if (inner) for (const m of inner.text.matchAll(re)) spans.push(source(view, ...source(inner, m.index, m.index + m[0].length)));
    return this.maskPieces(replaceSpans(s, spans));
  }

  /**
   * Masks a piece of a secret an error message quoted and cut short: text of the secret just
   * before a truncation mark (`"sk-abc…`, `"sk-abc"...`) or just after one (V8's JSON errors
   * quote a window, `..."c-abcd"...`). A piece shorter than 6 characters is left (it would
   * mask ordinary text).
   */
  private maskPieces(s: string): string {
    if (!s.includes('…') && !s.includes('...')) return s;
    const cuts: Array<[number, number]> = [];
    for (const m of s.matchAll(TRUNCATION)) {
      const before = m.index, after = m.index + m[0].length;
      let back = 0, ahead = 0;
      for (const secret of this.secrets) {
        while (back < before && secret.includes(s.slice(before - back - 1, before)) && back + 1 < secret.length) back++;
        while (after + ahead < s.length && secret.includes(s.slice(after, after + ahead + 1)) && ahead + 1 < secret.length) ahead++;
      }
      if (back >= MIN_PIECE) cuts.push([before - back, before]);
      if (ahead >= MIN_PIECE) cuts.push([after, after + ahead]);
    }
    return replaceSpans(s, cuts);
  }

  /**
   * True when the value holds a registered secret in any form, or a value under a
   * credential-named key: what `redactDeep` would change. Caches skip such values and the
   * journal marks them, so a placeholder is never handed on as if it were the value.
   */
  holdsSecret(value: unknown): boolean {
    return this.holds(value, new WeakSet(), 0);
  }

  private holds(v: unknown, seen: WeakSet<object>, depth: number): boolean {
    if (typeof v === 'string') return this.redact(v) !== v;
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > MAX_DEPTH) return false;
    seen.add(v);
    if (Array.isArray(v)) return v.some((x) => this.holds(x, seen, depth + 1));
    if (v instanceof Map) return [...v].some(([k, x]) => (typeof k === 'string' && SENSITIVE_KEY.test(k) && mask(x) !== x) || this.holds(x, seen, depth + 1));
    if (v instanceof Set) return [...v].some((x) => this.holds(x, seen, depth + 1));
    return Object.entries(v).some(([k, x]) => (SENSITIVE_KEY.test(k) && mask(x) !== x) || this.holds(x, seen, depth + 1));
  }

  /**
   * A redacted, serializable copy: strings redacted, credential-named keys masked, errors
   * copied with `redactError`. Class instances without `toJSON` (sockets, requests) become
   * `[ClassName]`; cycles become `[Circular]`.
   */
  redactDeep<T>(value: T): T {
    return this.deep(value, new WeakMap(), 0) as T;
  }

  /** A copy of the error (same prototype, so `instanceof` and `code` survive) with message, stack, fields and the cause chain redacted. */
  redactError<E>(e: E): E {
    return this.deep(e, new WeakMap(), 0) as E;
  }

  private deep(v: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
    if (typeof v === 'string') return this.redact(v);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v) ?? '[Circular]';
    if (depth > MAX_DEPTH) return '[Depth]';
    if (v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return v;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(this.deep(item, seen, depth + 1));
      return out;
    }
    if (v instanceof Error) return this.copyError(v, seen, depth);
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      seen.set(v, out);
      for (const [k, val] of v) out.set(k, typeof k === 'string' && SENSITIVE_KEY.test(k) ? mask(val) : this.deep(val, seen, depth + 1));
      return out;
    }
    if (v instanceof Set) return new Set([...v].map((x) => this.deep(x, seen, depth + 1)));
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.deep(toJSON.call(v), seen, depth + 1);
      return `[${(v as object).constructor?.name ?? 'Object'}]`;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, val] of Object.entries(v)) out[k] = SENSITIVE_KEY.test(k) ? mask(val) : this.deep(val, seen, depth + 1);
    return out;
  }

  private copyError(e: Error, seen: WeakMap<object, unknown>, depth: number): Error {
    const copy = Object.create(Object.getPrototypeOf(e) as object) as Error;
    seen.set(e, copy);
    for (const key of Reflect.ownKeys(e)) {
      if (typeof key !== 'string') continue;
      const desc = Object.getOwnPropertyDescriptor(e, key)!;
      if (!('value' in desc)) continue;
      const value = typeof key === 'string' && SENSITIVE_KEY.test(key) ? mask(desc.value) : this.deep(desc.value, seen, depth + 1);
      Object.defineProperty(copy, key, { value, writable: true, configurable: true, enumerable: desc.enumerable });
    }
    // message and stack may live on the prototype chain (rare, but redact them anyway)
    if (!Object.hasOwn(copy, 'message')) Object.defineProperty(copy, 'message', { value: this.redact(e.message), writable: true, configurable: true });
    if (!Object.hasOwn(copy, 'stack') && e.stack) Object.defineProperty(copy, 'stack', { value: this.redact(e.stack), writable: true, configurable: true });
    return copy;
  }
}

/** `s` with each span replaced by `[REDACTED]`; overlapping spans become one. */
function replaceSpans(s: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) return s;
  let out = '';
  let at = 0;
  for (const [from, to] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (to <= at) continue;
    if (from >= at) out += `${s.slice(at, from)}${REDACTED}`;
    at = to;
  }
  return out + s.slice(at);
}

/**
 * True when a stored value holds the `[REDACTED]` placeholder: it was redacted on its way to
 * the journal or the effect records and must not be handed on as the value it stands for.
 */
export function holdsPlaceholder(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes(REDACTED);
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return false;
  return (Array.isArray(v) ? v : Object.values(v)).some((x) => holdsPlaceholder(x, depth + 1));
}

function mask(v: unknown): unknown {
  return v === null || v === undefined || typeof v === 'boolean' ? v : REDACTED;
}

/** `redactor.redactError(e)` as a function, for callers holding a redactor. */
export function redactError<E>(e: E, redactor: Redactor): E {
  return redactor.redactError(e);
}
