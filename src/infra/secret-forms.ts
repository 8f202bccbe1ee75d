/**
 * The shapes a secret takes once it has been encoded somewhere, for the redactor. Texts are
 * searched in a decoded view (`decodedView`): percent-encoding (URLs and forms, either hex
 * case), JSON and JavaScript escapes (`\uXXXX`, `\"`, `\/` …) and HTML entities are
 * decoded unit by unit, keeping where each unit came from, so the secret is found whatever
 * mix of those encodings holds it; `+` for a space is a form of the secret itself. base64,
 * base64url and hex are searched as literal texts, base64 at each of the three byte
 * alignments a secret can have inside a longer encoded text (`Basic base64(user:secret)`).
 */

/** How many base64 characters an aligned core must have to be searched for (shorter ones would mask ordinary text). */
const MIN_CORE = 6;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** One encoded unit: a run of percent-escapes, a `\u` escape, a short backslash escape, an HTML entity. */
const UNIT = /(?:%[0-9a-fA-F]{2})+|\\u[0-9a-fA-F]{4}|\\["\\/bfnrt']|&#[xX][0-9a-fA-F]{1,6};|&#[0-9]{1,7};|&(?:amp|lt|gt|quot|apos|nbsp);/g;
const SHORT: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'" };
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A run of percent-escapes decoded one UTF-8 sequence at a time; a byte that starts no valid
 * sequence stays as it was written, so the characters around it are still decoded.
 */
function decodePercents(u: string): Array<[string, number]> {
  const bytes = Buffer.from(u.replace(/%/g, ''), 'hex');
  const out: Array<[string, number]> = [];
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let cp: string | undefined;
    if (n > 0 && i + n <= bytes.length) {
      try { cp = utf8.decode(bytes.subarray(i, i + n)); } catch { cp = undefined; }
    }
    if (cp === undefined) {
      for (const ch of u.slice(i * 3, i * 3 + 3)) out.push([ch, 1]);
      i++;
      continue;
    }
    // a surrogate pair: the whole source goes to its first half, nothing to the second
    out.push([cp[0]!, n * 3]);
    if (cp.length === 2) out.push([cp[1]!, 0]);
    i += n;
  }
  return out;
}

/** The decoded text of one unit, each code unit with the length of the source it came from. */
function decodeUnit(u: string): Array<[string, number]> | undefined {
  if (u[0] === '%') return decodePercents(u);
  if (u[0] === '\\') return [[u[1] === 'u' ? String.fromCharCode(parseInt(u.slice(2), 16)) : SHORT[u[1]!]!, u.length]];
  const code = u[1] === '#' ? (u[2] === 'x' || u[2] === 'X' ? parseInt(u.slice(3, -1), 16) : parseInt(u.slice(2, -1), 10)) : undefined;
  if (code === undefined) return [[NAMED[u.slice(1, -1)]!, u.length]];
  if (code > 0x10ffff) return undefined;
  const cp = String.fromCodePoint(code);
  return cp.length === 2 ? [[cp[0]!, u.length], [cp[1]!, 0]] : [[cp, u.length]];
}

export interface DecodedView {
  text: string;
  /** For each code unit of `text`, where its source starts in the original. */
  from: number[];
  /** For each code unit of `text`, where its source ends in the original. */
  to: number[];
}

/** The text with every encoded unit decoded, or undefined when it holds none. */
export function decodedView(s: string): DecodedView | undefined {
  UNIT.lastIndex = 0;
  const any = UNIT.test(s);
  UNIT.lastIndex = 0; // matchAll starts where test() left off
  if (!any) return undefined;
  const text: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const plain = (a: number, b: number) => { for (let i = a; i < b; i++) { text.push(s[i]!); from.push(i); to.push(i + 1); } };
  let at = 0;
  for (const m of s.matchAll(UNIT)) {
    plain(at, m.index);
    const units = decodeUnit(m[0]);
    if (!units) plain(m.index, m.index + m[0].length);
    else {
      let pos = m.index;
      for (const [ch, len] of units) {
        text.push(ch);
        from.push(pos);
        to.push(len === 0 ? pos : pos + len);
        pos += len;
      }
    }
    at = m.index + m[0].length;
  }
  plain(at, s.length);
  return { text: text.join(''), from, to };
}

/**
 * The part of base64(prefix + secret + suffix) that depends on the secret alone, for a
 * secret starting `offset` bytes (0, 1 or 2) into a 3-byte group: the characters that mix
 * bits of the neighbours are dropped at both ends.
 */
export function base64Core(secret: Buffer, offset: 0 | 1 | 2): string {
  const padded = Buffer.concat([Buffer.alloc(offset), secret]);
  const full = padded.toString('base64').replace(/=+$/, '');
  const stable = Math.floor(padded.length / 3) * 4 + (padded.length % 3);
  const skip = [0, 2, 3][offset]!;
  return full.slice(skip, stable);
}

/**
 * Literal texts that hold the secret, searched in the decoded view: the secret, with `+`
 * for each space (forms), base64 and base64url at every alignment (padded and not), hex.
 */
export function literalForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = new Set<string>([secret, secret.replace(/ /g, '+')]);
  const b64 = bytes.toString('base64');
  const toUrl = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_');
  for (const s of [b64, b64.replace(/=+$/, '')]) { out.add(s); out.add(toUrl(s)); }
  for (const offset of [0, 1, 2] as const) {
    const core = base64Core(bytes, offset);
    if (core.length >= MIN_CORE) { out.add(core); out.add(toUrl(core)); }
  }
  const hex = bytes.toString('hex');
  out.add(hex);
  out.add(hex.toUpperCase());
  return [...out];
}
