import type { HttpRequestInput } from './http-request.js';
import { mpv2Error } from 'mpv2/plugin';

/** http.request's `responseType`. */
export type ResponseType = HttpRequestInput['responseType'];

/** Response headers as lower-case names to strings, without `set-cookie` (session secrets). */
export function outputHeaders(raw: unknown): Record<string, string> {
  const src = raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function'
    ? (raw as { toJSON(): Record<string, unknown> }).toJSON()
    : (raw as Record<string, unknown> | undefined) ?? {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(src)) {
    const key = name.toLowerCase();
    if (key === 'set-cookie' || value === undefined || value === null) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

export function isJsonContentType(contentType: string | undefined): boolean {
  return /^\s*application\/([\w.+-]*\+)?json\b|^\s*text\/json\b/i.test(contentType ?? '');
}

/** Decodes raw bytes with the charset the content-type names (utf-8 when it names none or an unknown one). */
export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w-]+)"?/i.exec(contentType ?? '')?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

/** `{ json }` or `{ body }` as `responseType` asks (text already decoded); `auto` follows the content-type. */
export function parseBody(
  text: string,
  contentType: string | undefined,
  responseType: ResponseType,
  what: string,
): { json: unknown } | { body: string } {
  const wantJson = responseType === 'json' || (responseType === 'auto' && isJsonContentType(contentType));
  if (!wantJson) return { body: text };
  if (text.trim() === '') return { json: null };
  try {
    return { json: JSON.parse(text) };
  } catch (e) {
    if (responseType === 'auto') return { body: text };
    // a cut is marked, so the redactor masks a secret the body holds even when cut inside it
    throw mpv2Error('E_HTTP', `${what} answered with a body that is not JSON: ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`, {
      hint: 'use `responseType: text` to get the body as a string',
      cause: e,
    });
  }
}
