/**
 * Microsoft Edge's read-aloud WebSocket protocol, spoken directly with `ws`: send
 * `speech.config` and an SSML message; receive `turn.start`, `audio.metadata`
 * (WordBoundary, offsets in 100-ns ticks), binary audio frames (2-byte big-endian header
 * length, headers with `Path:audio`, then audio bytes) and `turn.end`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mpv2Error, type Mpv2Error } from 'mpv2/plugin';

export const TRUSTED_CLIENT_TOKEN = '6A5AA1D4EAFF4E9FB37E23D68491D6F4';
const CHROMIUM_FULL_VERSION = '130.0.2849.68';
const MAJOR = CHROMIUM_FULL_VERSION.split('.')[0];

export interface WordBoundary {
  text: string;
  /** Seconds from the start of the audio. */
  start: number;
  duration: number;
}

export interface EdgeRequest {
  baseUrl: string;
  ssml: string;
  outputFormat: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The Sec-MS-GEC token: SHA-256 of the Windows file time (rounded to 5 minutes) and the client token. */
export function secMsGec(nowMs = Date.now()): string {
  let ticks = BigInt(Math.floor(nowMs / 1000) + 11_644_473_600) * 10_000_000n;
  ticks -= ticks % 3_000_000_000n;
  return createHash('sha256').update(`${ticks}${TRUSTED_CLIENT_TOKEN}`, 'ascii').digest('hex').toUpperCase();
}

function headersAndBody(text: string): { headers: Record<string, string>; body: string } {
  const at = text.indexOf('\r\n\r\n');
  const head = at < 0 ? text : text.slice(0, at);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c)] = line.slice(c + 1);
  }
  return { headers, body: at < 0 ? '' : text.slice(at + 4) };
}

function upgradeError(status: number, what: string): Mpv2Error {
  const msg = `${what} refused the WebSocket connection with HTTP ${status}`;
  if (status === 429) return mpv2Error('E_RATE_LIMITED', msg, { status, retryable: true });
  if (status === 401 || status === 403) {
    return mpv2Error('E_AUTH', msg, { status, hint: 'Edge rejects stale Sec-MS-GEC tokens: check the machine clock; the service may also have changed its protocol' });
  }
  return mpv2Error('E_HTTP', msg, { status, retryable: status >= 500 || status === 408 });
}

/** Synthesizes one SSML document; resolves with the audio and the word boundaries. */
export async function edgeSynthesize(req: EdgeRequest): Promise<{ audio: Buffer; words: WordBoundary[] }> {
  // imported here, not at the top: ws costs ~35 ms to load and only Edge voices use it
  const { default: WebSocket } = await import('ws');
  const what = `Edge TTS ${req.baseUrl}`;
  const url = `${req.baseUrl.replace(/\/+$/, '')}/edge/v1?TrustedClientToken=${TRUSTED_CLIENT_TOKEN}`
    + `&Sec-MS-GEC=${secMsGec()}&Sec-MS-GEC-Version=1-${CHROMIUM_FULL_VERSION}&ConnectionId=${randomUUID().replace(/-/g, '')}`;
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) return reject(mpv2Error('E_ABORTED', `${what} was cancelled`));
    const ws = new WebSocket(url, {
      headers: {
        Pragma: 'no-cache', 'Cache-Control': 'no-cache', Origin: 'chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold',
        'User-Agent': `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${MAJOR}.0.0.0 Safari/537.36 Edg/${MAJOR}.0.0.0`,
        'Accept-Language': 'en-US,en;q=0.9',
      },
      handshakeTimeout: req.timeoutMs,
    });
    const audio: Buffer[] = [];
    const words: WordBoundary[] = [];
    let started = false;
    let settled = false;
    const finish = (err?: Mpv2Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      if (err) reject(err);
      else if (!audio.length) reject(mpv2Error('E_HTTP', `${what} sent no audio`, { retryable: true, hint: 'check the voice name (e.g. en-US-AriaNeural)' }));
      else resolve({ audio: Buffer.concat(audio), words });
    };
    const timer = setTimeout(() => finish(mpv2Error('E_TIMEOUT', `${what} did not finish within ${req.timeoutMs} ms`, { retryable: true })), req.timeoutMs);
    const onAbort = () => finish(mpv2Error('E_ABORTED', `${what} was cancelled`));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('unexpected-response', (_r, res) => finish(upgradeError(res.statusCode ?? 0, what)));
    ws.on('error', (e) => finish(mpv2Error('E_HTTP', `${what} failed: ${e.message}`, { retryable: true, cause: e })));
    ws.on('close', (code) => finish(mpv2Error('E_HTTP', `${what} closed the connection (${code}) before turn.end`, { retryable: true })));
    ws.on('open', () => {
      const date = new Date().toUTCString();
      ws.send(`X-Timestamp:${date}\r\nContent-Type:application/json; charset=utf-8\r\nPath:speech.config\r\n\r\n`
        + `{"context":{"synthesis":{"audio":{"metadataoptions":{"sentenceBoundaryEnabled":"false","wordBoundaryEnabled":"true"},"outputFormat":"${req.outputFormat}"}}}}\r\n`);
      ws.send(`X-RequestId:${randomUUID().replace(/-/g, '')}\r\nContent-Type:application/ssml+xml\r\nX-Timestamp:${date}Z\r\nPath:ssml\r\n\r\n${req.ssml}`);
    });
    ws.on('message', (data, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (isBinary) {
        if (buf.length < 2) return finish(mpv2Error('E_HTTP', `${what} sent a binary frame without a header`, { retryable: true }));
        const len = buf.readUInt16BE(0);
        const { headers } = headersAndBody(buf.subarray(2, 2 + len).toString('utf8'));
        if (headers.Path === 'audio' && started) audio.push(buf.subarray(2 + len));
        return;
      }
      const { headers, body } = headersAndBody(buf.toString('utf8'));
      if (headers.Path === 'turn.start') started = true;
      else if (headers.Path === 'turn.end') finish();
      else if (headers.Path === 'audio.metadata') {
        try {
          const meta = JSON.parse(body) as { Metadata?: Array<{ Type: string; Data?: { Offset?: number; Duration?: number; text?: { Text?: string } } }> };
          for (const m of meta.Metadata ?? []) {
            if (m.Type !== 'WordBoundary' || !m.Data) continue;
            words.push({ text: m.Data.text?.Text ?? '', start: (m.Data.Offset ?? 0) / 1e7, duration: (m.Data.Duration ?? 0) / 1e7 });
          }
        } catch (e) {
          finish(mpv2Error('E_HTTP', `${what} sent unreadable metadata`, { retryable: true, cause: e }));
        }
      }
    });
  });
}
