/**
 * A tiny DNS server on 127.0.0.1 (UDP) that answers MX questions from a table: enough for
 * the MX check of outreach.leads through node's `dns.Resolver`. Unknown names get
 * NXDOMAIN; names with an empty list get NOERROR without answers (no MX); `hang` names get
 * no reply at all.
 */
import { createSocket, type Socket } from 'node:dgram';

export interface DnsServer {
  /** `127.0.0.1:<port>`, for `outreach.dns.servers`. */
  address: string;
  /** Questions seen, as `name TYPE`. */
  questions: string[];
  close(): Promise<void>;
}

const TYPE_MX = 15;

export async function startDns(table: Record<string, Array<{ priority: number; exchange: string }> | 'hang'>): Promise<DnsServer> {
  const questions: string[] = [];
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    questions.push(`${name} ${qtype === TYPE_MX ? 'MX' : qtype}`);
    const entry = table[name.toLowerCase()];
    if (entry === 'hang') return;
    const question = msg.subarray(12, end + 4);
    const answers = entry && qtype === TYPE_MX ? entry.map((r) => mxRecord(r.priority, r.exchange)) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0); // id
    header.writeUInt16BE(0x8180 | (entry ? 0 : 3), 2); // response, recursion desired+available; rcode 3 = NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, question, ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    questions,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function readName(msg: Buffer, at: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = at;
  while (msg[i]! !== 0) {
    const len = msg[i]!;
    labels.push(msg.toString('latin1', i + 1, i + 1 + len));
    i += len + 1;
  }
  return { name: labels.join('.'), end: i + 1 };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}

function mxRecord(priority: number, exchange: string): Buffer {
  const rdata = Buffer.concat([Buffer.from([priority >> 8, priority & 0xff]), encodeName(exchange)]);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  head.writeUInt16BE(TYPE_MX, 2);
  head.writeUInt16BE(1, 4); // class IN
  head.writeUInt32BE(300, 6); // ttl
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}
