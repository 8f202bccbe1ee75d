/**
 * outreach.send against a real SMTP server on 127.0.0.1 (STARTTLS or TLS with a certificate
 * made by the test, AUTH): messages parsed back with mailparser and checked; rejections,
 * temporary failures, suppression, auth failure, dry run, personalisation through a local LLM.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import send, { type SendInput, type SendOutput } from '../../../plugins/outreach/send.js';
import { suppress } from '../../../plugins/outreach/records.js';
import { sendInputSchema } from '../../../plugins/outreach/send-schema.js';
import { withDefaults } from '../../helpers/inputs.js';
import { makeTestContext, type TestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/outreach/index.js';
import { startSmtpServer, type SmtpServerOptions, type TestSmtpServer } from '../../servers/smtp.js';
import { startLlmServer, type LlmServer } from '../../servers/llm.js';
import type { Account } from '../../../src/plugin/types.js';

const LEADS = [
  { name: 'Anna Berg', company: 'Berg Studio', city: 'Oslo', email: 'anna@berg.test' },
  { name: 'Bo Lind', company: 'Lind & Söner <AB>', city: 'Malmö', email: 'BO@lind.test' },
  { name: 'Cem Kaya', company: 'Kaya Bikes', city: 'Izmir', email: 'cem@kaya.test' },
];
const BODY = 'Hi {{ name }},\n\nI saw **{{ company }}** in {{ city }} and wanted to say hello.\n\n- one\n- two\n\nBest, {{ sender.name }}';

let servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function setup(o: SmtpServerOptions & { account?: Partial<Account>; password?: string; config?: Record<string, unknown>; configs?: Record<string, Record<string, unknown>>; dryRun?: boolean } = {}) {
  const smtp = await startSmtpServer({ user: 'sender@mpv2.test', pass: 'right-password', ...o });
  servers.push(smtp);
  const root = mkdtempSync(join(tmpdir(), 'mpv2-send-'));
  writeFileSync(join(root, 'ca.pem'), smtp.cert);
  const account = { name: 'main', platform: 'email', settings: { host: '127.0.0.1', port: smtp.port, security: o.mode === 'tls' ? 'tls' : 'starttls', user: 'sender@mpv2.test', fromAddress: 'sender@mpv2.test', fromName: 'Sam Sender', ca: 'ca.pem', unsubscribe: 'https://mpv2.test/unsub?e={{ email }}' }, ...o.account };
  const ctx = makeTestContext({ namespace,
    root, config: { retry: { attempts: 3, initial: '1ms', max: '5ms' }, ...o.config }, configs: o.configs, dryRun: o.dryRun,
    accounts: [account], credentials: { main: { password: o.password ?? 'right-password' } },
  });
  const run = (input: Partial<SendInput> = {}) => send.run(ctx, withDefaults<SendInput>(sendInputSchema, {
    campaign: 'spring', leads: LEADS, from: 'main', subject: 'Hello {{ company }}', body: BODY, ...input,
  })) as Promise<SendOutput>;
  return { smtp, ctx, root, run };
}

const parse = (raw: Buffer) => simpleParser(raw);
/** A header's value as sent (unfolded), not as mailparser interprets it. */
const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');
const toAddress = (m: ParsedMail) => (m.to as AddressObject).value[0]!.address;

describe('outreach.send', () => {
  it('sends every lead one message over STARTTLS + AUTH, with both parts, headers and variables filled', async () => {
    const { smtp, run } = await setup();
    const out = await run({ attachments: ['ca.pem'] });
    expect(out.sent.map((s) => s.email)).toEqual(['anna@berg.test', 'bo@lind.test', 'cem@kaya.test']);
    expect(out.failed).toEqual([]);
    expect(smtp.received).toHaveLength(3);
    expect(smtp.received.every((m) => m.secure && m.user === 'sender@mpv2.test')).toBe(true);
    const bo = await parse(smtp.received[1]!.raw);
    expect(smtp.received[1]!.to).toEqual(['bo@lind.test']);
    expect(toAddress(bo)).toBe('bo@lind.test');
    expect((bo.to as AddressObject).value[0]!.name).toBe('Bo Lind');
    expect(bo.from?.value[0]).toEqual({ address: 'sender@mpv2.test', name: 'Sam Sender' });
    expect(bo.subject).toBe('Hello Lind & Söner <AB>');
    expect(bo.text).toContain('Hi Bo Lind,');
    expect(bo.text).toContain('I saw **Lind & Söner <AB>** in Malmö');
    expect(bo.text).toContain('Unsubscribe: https://mpv2.test/unsub?e=bo@lind.test');
    expect(bo.html).toContain('<strong>Lind &amp; Söner &lt;AB&gt;</strong>');
    expect(bo.html).toContain('<li>one</li>');
    expect(bo.html).toContain('href="https://mpv2.test/unsub?e=bo@lind.test"');
    for (const part of [bo.text!, bo.html as string, bo.subject!]) expect(part).not.toMatch(/\{\{|\}\}|\{%|%\}/);
    expect(header(bo, 'list-unsubscribe')).toBe('<https://mpv2.test/unsub?e=bo@lind.test>, <mailto:sender@mpv2.test?subject=unsubscribe>');
    expect(header(bo, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(bo.messageId).toMatch(/^<[0-9a-f]{32}\.outreach@mpv2\.test>$/);
    expect(out.sent[1]!.messageId).toBe(bo.messageId);
    expect(bo.attachments.map((a) => a.filename)).toEqual(['ca.pem']);
    // message ids differ per recipient
    expect(new Set(out.sent.map((s) => s.messageId)).size).toBe(3);
  });

  it('records a 550 rejection and goes on; a re-run mails nobody again', async () => {
    const { smtp, ctx, run } = await setup({ reject: ['bo@lind.test'] });
    const out = await run();
    expect(out.sent.map((s) => s.email)).toEqual(['anna@berg.test', 'cem@kaya.test']);
    expect(out.failed).toEqual([expect.objectContaining({ email: 'bo@lind.test', smtpCode: 550, permanent: true })]);
    expect(out.failed[0]!.reason).toMatch(/5\.1\.1.*User unknown/);
    expect(smtp.received.map((m) => m.to[0])).toEqual(['anna@berg.test', 'cem@kaya.test']);
    // the bounce went on the suppression list
    expect(await ctx.store.get('suppress:bo@lind.test')).toMatchObject({ reason: expect.stringContaining('bounced in campaign spring') });
    const rcptBefore = smtp.rcptSeen.length;
    const again = await run();
    expect(again.sent).toEqual([]);
    expect(again.skipped.map((s) => [s.email, s.reason!.split(' ')[0]])).toEqual([['anna@berg.test', 'already'], ['bo@lind.test', 'suppressed'], ['cem@kaya.test', 'already']]);
    expect(smtp.rcptSeen.length).toBe(rcptBefore);
    expect(smtp.received).toHaveLength(2);
  });

  it('retries a temporary 451 with backoff inside the step', async () => {
    const { smtp, ctx, run } = await setup({ tempFail: { 'anna@berg.test': 2 } });
    const out = await run();
    expect(out.sent).toHaveLength(3);
    expect(smtp.rcptSeen.filter((a) => a === 'anna@berg.test')).toHaveLength(3);
    expect(smtp.received.filter((m) => m.to[0] === 'anna@berg.test')).toHaveLength(1);
    expect(ctx.logs.filter((l) => l.level === 'warn' && /451/.test(l.message))).toHaveLength(2);
  });

  it('a recipient still refused after the retries is recorded as a temporary failure and mailed by the next run', async () => {
    const { smtp, run } = await setup({ tempFail: { 'cem@kaya.test': 3 } });
    const first = await run();
    expect(first.failed).toEqual([expect.objectContaining({ email: 'cem@kaya.test', smtpCode: 451, permanent: false })]);
    const second = await run();
    expect(second.sent.map((s) => s.email)).toEqual(['cem@kaya.test']);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['anna@berg.test', 'bo@lind.test', 'cem@kaya.test']);
  });

  it('a permanent refusal that is not about the address (5.7.1 spam) does not suppress it, whatever its text says', async () => {
    const { ctx, run } = await setup({ rejectSpam: ['bo@lind.test'] });
    const out = await run();
    expect(out.failed).toEqual([expect.objectContaining({ email: 'bo@lind.test', smtpCode: 554, permanent: true })]);
    expect(await ctx.store.get('suppress:bo@lind.test')).toBeUndefined();
  });

  it('never lets a suppressed address or domain reach the server', async () => {
    const { smtp, ctx, root, run } = await setup({ config: { suppressionFile: 'do-not-mail.txt' } });
    writeFileSync(join(root, 'do-not-mail.txt'), '# opted out by phone\n@kaya.test\n');
    await suppress(ctx.store, 'Anna@Berg.test', 'asked on 2024-05-01');
    const out = await run();
    expect(out.sent.map((s) => s.email)).toEqual(['bo@lind.test']);
    expect(out.skipped).toEqual([
      { email: 'anna@berg.test', reason: expect.stringContaining('asked on 2024-05-01') },
      { email: 'cem@kaya.test', reason: 'listed in do-not-mail.txt' },
    ]);
    expect(smtp.rcptSeen).toEqual(['bo@lind.test']);
  });

  it('stops at once with E_AUTH when the login is refused, sending nothing', async () => {
    const { smtp, run } = await setup({ password: 'wrong' });
    await expect(run()).rejects.toMatchObject({ code: 'E_AUTH', message: expect.stringContaining('refused the login') });
    expect(smtp.received).toEqual([]);
    expect(smtp.rcptSeen).toEqual([]);
  });

  it('dry run: writes one .eml per recipient and sends nothing', async () => {
    const { smtp, ctx, run } = await setup({ dryRun: true });
    const out = await run();
    expect(out.dryRun).toBe(true);
    expect(out.sent).toEqual([]);
    expect(out.drafts.map((d) => d.email)).toEqual(['anna@berg.test', 'bo@lind.test', 'cem@kaya.test']);
    expect(readdirSync(join(ctx.workdir, 'eml'))).toHaveLength(3);
    const mail = await parse(readFileSync(out.drafts[2]!.file!));
    expect(toAddress(mail)).toBe('cem@kaya.test');
    expect(mail.subject).toBe('Hello Kaya Bikes');
    expect(mail.text).toContain('Izmir');
    expect(header(mail, 'list-unsubscribe')).toMatch(/^<https:\/\/mpv2\.test\/unsub\?e=cem@kaya\.test>/);
    expect(smtp.rcptSeen).toEqual([]);
    expect(await ctx.recordedEffects()).toHaveLength(0);
    // and the input flag does the same without ctx.dryRun
    const second = await setup();
    const o2 = await second.run({ dryRun: true });
    expect(o2.drafts).toHaveLength(3);
    expect(second.smtp.rcptSeen).toEqual([]);
  });

  it('refuses a template that does not fit every lead before sending anything', async () => {
    const { smtp, run } = await setup();
    const leads = [...LEADS, { name: 'No City', company: 'X', email: 'x@x.test' }];
    await expect(run({ leads })).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringMatching(/x@x\.test: .*undefined variable: city[\s\S]*nothing was sent|nothing was sent[\s\S]*x@x\.test: .*undefined variable: city/) });
    expect(smtp.rcptSeen).toEqual([]);
    const ok = await run({ leads, body: 'Hi {{ name }}{% if city %} in {{ city }}{% endif %}, {{ role | default: "owner" }}' });
    expect(ok.sent).toHaveLength(4);
  });

  it('sends over implicit TLS with the config sender and honours `max`', async () => {
    const smtp = await startSmtpServer({ mode: 'tls', user: 'u', pass: 'p' });
    servers.push(smtp);
    const root = mkdtempSync(join(tmpdir(), 'mpv2-send-'));
    writeFileSync(join(root, 'ca.pem'), smtp.cert);
    const ctx = makeTestContext({ namespace, root, config: { smtp: { host: '127.0.0.1', port: smtp.port, security: 'tls', user: 'u', password: 'p', fromAddress: 'me@mpv2.test', ca: 'ca.pem' } } });
    const out = await send.run(ctx, { campaign: 'tls', leads: ['a@a.test', 'b@b.test'], subject: 'Hi', body: 'Hello', footer: 'Bye: {{ unsubscribeUrl }}', attachments: [], max: 1, dryRun: false, retryFailed: false, suppressBounces: true }) as SendOutput;
    expect(out.sent.map((s) => s.email)).toEqual(['a@a.test']);
    expect(out.skipped).toEqual([{ email: 'b@b.test', reason: expect.stringContaining('max 1 message(s) per run') }]);
    const m = await parse(smtp.received[0]!.raw);
    expect(header(m, 'list-unsubscribe')).toBe('<mailto:me@mpv2.test?subject=unsubscribe>');
    expect(header(m, 'list-unsubscribe-post')).toBeUndefined();
    expect(m.text).toContain('Bye: mailto:me@mpv2.test?subject=unsubscribe');
  });

  it('personalises each message through the LLM layer', async () => {
    const llm: LlmServer = await startLlmServer({ responder: (req) => {
      const user = (req.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === 'user')!.content;
      return { text: `"Loved what ${/about (.+?)\./.exec(user)?.[1]} does."` };
    } });
    servers.push(llm);
    const { smtp, run } = await setup({ configs: { llm: { defaultProvider: 'local', providers: { local: { type: 'openai', baseUrl: `${llm.url}/v1`, model: 'm', apiKey: 'k' } } } } });
    const out = await run({ body: '{{ personal }}\n\nBest', personalise: { prompt: 'Write about {{ company }}.', system: 'Be brief.', maxTokens: 50 } });
    expect(out.sent).toHaveLength(3);
    const cem = await parse(smtp.received.find((m) => m.to[0] === 'cem@kaya.test')!.raw);
    expect(cem.text).toContain('Loved what Kaya Bikes does.');
    expect(cem.text).not.toContain('"');
    expect(llm.count('/chat/completions')).toBe(3);
  });
});

export type { TestContext, TestSmtpServer };
