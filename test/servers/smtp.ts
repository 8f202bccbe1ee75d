/**
 * A real SMTP server on 127.0.0.1 (smtp-server) for the outreach tests: STARTTLS (or TLS from
 * the first byte) with a certificate made at start-up by `selfsigned`, AUTH PLAIN/LOGIN
 * against one user, and scripted trouble: recipients rejected with 550, recipients refused
 * with 451 a number of times, messages held without an answer (a crash mid-send).
 */
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { generate } from 'selfsigned';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  user?: string;
  secure: boolean;
}

export interface SmtpServerOptions {
  user?: string;
  pass?: string;
  /** `starttls` (default: STARTTLS required before AUTH) or `tls` (implicit TLS). */
  mode?: 'starttls' | 'tls';
  /** Addresses refused at RCPT TO with `550 5.1.1 … user unknown`. */
  reject?: string[];
  /** Addresses refused at RCPT TO as spam, `554 5.7.1 …`, with a text that holds "5.1.2" (not a bad address). */
  rejectSpam?: string[];
  /** Address → how many times it is refused with `451 4.7.1 try again later` before being accepted. */
  tempFail?: Record<string, number>;
  /** Addresses whose message is read in full, then the connection is cut without a reply (it may have been delivered). */
  dropAfterData?: string[];
  /** Called for each accepted message; return a promise to hold the reply (never resolve it to hang). */
  onMessage?: (mail: ReceivedMail, index: number) => void | Promise<void>;
}

export interface TestSmtpServer {
  port: number;
  /** The server certificate (PEM), for `ca` in the sender config. */
  cert: string;
  received: ReceivedMail[];
  /** RCPT TO commands seen (refused ones included), lower-cased. */
  rcptSeen: string[];
  authFailures: number;
  close(): Promise<void>;
}

export async function startSmtpServer(o: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  const received: ReceivedMail[] = [];
  const rcptSeen: string[] = [];
  const tempLeft = new Map(Object.entries(o.tempFail ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const reject = new Set((o.reject ?? []).map((a) => a.toLowerCase()));
  const drop = new Set((o.dropAfterData ?? []).map((a) => a.toLowerCase()));
  let authFailures = 0;
  const refuse = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
  const server = new SMTPServer({
    secure: o.mode === 'tls',
    key: pems.private,
    cert: pems.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !o.user,
    disabledCommands: o.user ? [] : ['AUTH'],
    logger: false,
    closeTimeout: 500,
    onAuth(auth, _session, cb) {
      if (auth.username === o.user && auth.password === o.pass) return cb(null, { user: auth.username });
      authFailures++;
      return cb(refuse(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      const a = address.address.toLowerCase();
      rcptSeen.push(a);
      if (reject.has(a)) return cb(refuse(550, `5.1.1 <${a}>: Recipient address rejected: User unknown`));
      if (o.rejectSpam?.map((x) => x.toLowerCase()).includes(a)) return cb(refuse(554, '5.7.1 Message refused as spam, see https://mx.test/policy/5.1.2'));
      const left = tempLeft.get(a) ?? 0;
      if (left > 0) { tempLeft.set(a, left - 1); return cb(refuse(451, '4.7.1 Greylisted, try again later')); }
      return cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
        };
        if (mail.to.some((a) => drop.has(a))) {
          for (const c of server.connections as Set<{ session?: unknown; _socket?: { destroy(): void } }>) if (c.session === session) c._socket?.destroy();
          return;
        }
        const held = o.onMessage?.(mail, received.length);
        void Promise.resolve(held).then(() => { received.push(mail); cb(null, 'Message queued'); });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port, cert: pems.cert, received, rcptSeen,
    get authFailures() { return authFailures; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
