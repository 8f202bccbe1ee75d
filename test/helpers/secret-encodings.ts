/**
 * Every encoding of a secret a test should never find in an output, written independently
 * of `src/infra/secret-forms.ts` so the redactor is checked against a second opinion:
 * plain, URL and form encoding (upper and lower hex, `+` for a space, RFC 3986 strict),
 * JSON (plain and ASCII-only), HTML entities, base64 and base64url (padded and not, and the
 * part that depends on the secret alone at each byte alignment inside a longer text), hex,
 * and any piece of 8 characters or more (a quoted, cut-off fragment).
 */
import { expect } from 'vitest';

const strict = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** The characters of base64(x + secret + y) that depend on the secret alone, for each of the 3 alignments. */
function alignedBase64(secret: string): string[] {
  const out: string[] = [];
  for (const lead of [0, 1, 2]) {
    // encode with two different neighbours: the characters both agree on, at the same place, belong to the secret
    const one = Buffer.concat([Buffer.alloc(lead, 0), Buffer.from(secret), Buffer.from([0, 0])]).toString('base64').replace(/=+$/, '');
    const two = Buffer.concat([Buffer.alloc(lead, 255), Buffer.from(secret), Buffer.from([255, 255])]).toString('base64').replace(/=+$/, '');
    let from = 0;
    while (from < one.length && one[from] !== two[from]) from++;
    let to = one.length;
    while (to > from && one[to - 1] !== two[to - 1]) to--;
    const core = one.slice(from, to);
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

export function secretEncodings(secret: string): Record<string, string> {
  const utf8 = Buffer.from(secret, 'utf8');
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  const forms: Record<string, string> = {
    plain: secret,
    uri: encodeURIComponent(secret),
    uriLower: lowerHex(encodeURIComponent(secret)),
    encodeURI: encodeURI(secret),
    strict: strict(secret),
    form,
    formLower: lowerHex(form),
    formFromUri: encodeURIComponent(secret).replace(/%20/g, '+'),
    json: JSON.stringify(secret).slice(1, -1),
    jsonAscii: JSON.stringify(secret).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    html: secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
    htmlNumeric: Array.from(secret, (c) => `&#${c.codePointAt(0)};`).join(''),
    base64: utf8.toString('base64'),
    base64NoPad: utf8.toString('base64').replace(/=+$/, ''),
    base64url: utf8.toString('base64url'),
    hex: utf8.toString('hex'),
  };
  alignedBase64(secret).forEach((core, i) => { forms[`base64Aligned${i}`] = core; });
  return forms;
}

/** Every piece of the secret of `min` characters or more (cut-off quotes in error messages). */
function pieces(secret: string, min = 8): string[] {
  const cps = Array.from(secret);
  if (cps.length <= min) return [];
  const out: string[] = [];
  for (let i = 0; i + min <= cps.length; i++) out.push(cps.slice(i, i + min).join(''));
  return out;
}

/** Fails naming the encoding and where, when any encoding (or an 8-character piece) of the secret appears in `text`. */
export function expectNoSecret(text: string, secret: string, where: string): void {
  for (const [name, form] of Object.entries(secretEncodings(secret))) {
    if (form.length >= 4 && text.includes(form)) expect.fail(`${where} holds the ${name} form of the secret: …${text.slice(Math.max(0, text.indexOf(form) - 40), text.indexOf(form) + form.length + 40)}…`);
  }
  for (const piece of pieces(secret)) {
    if (text.includes(piece)) expect.fail(`${where} holds a piece of the secret ("${piece}"): …${text.slice(Math.max(0, text.indexOf(piece) - 40), text.indexOf(piece) + piece.length + 40)}…`);
  }
}
