/**
 * pipelines/outreach.yaml through the CLI: a dry run writes .eml files and sends nothing; a
 * real run is killed (SIGKILL) while the SMTP server holds the third message; the re-run
 * mails only those not yet mailed, leaves the message in doubt alone until it is resolved,
 * and never mails anyone twice. A suppressed address never reaches the server.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../servers/smtp.js';
import { startSites, type SitesServer } from '../servers/sites.js';
import { events, REPO, tempProject, type TempProject } from './engine-helpers.js';

const PEOPLE = ['ana', 'ben', 'cai', 'dee', 'eve'];

describe('pipelines/outreach.yaml end to end', () => {
  let smtp: TestSmtpServer;
  let sites: SitesServer;
  let project: TempProject;
  let holdThird: (() => void) | undefined;
  const held = new Promise<void>((resolve) => { holdThird = resolve; });
  const env = { MPV2_OUTREACH__SMTP__PASSWORD: 'smtp-secret-pw' };

  beforeAll(async () => {
    smtp = await startSmtpServer({
      user: 'me@agency.test', pass: 'smtp-secret-pw',
      // the third message of the real run is never answered: the CLI is killed meanwhile
      onMessage: (_m, i) => {
        if (i !== 2 || !holdThird) return undefined;
        holdThird();
        holdThird = undefined;
        return new Promise<void>(() => {});
      },
    });
    sites = await startSites({ 'shop.test': { pages: { '/': '<a href="/team">Team</a>', '/team': '<p>Write to fay [at] shop [dot] test</p>' } } });
    project = tempProject({
      '.mpv2rc.yaml': [
        'outreach:',
        '  smtp: { host: 127.0.0.1, port: ' + smtp.port + ', security: starttls, user: me@agency.test, fromAddress: me@agency.test, fromName: Mo Agency, ca: ca.pem }',
        '  crawl: { hosts: { shop.test: 127.0.0.1 }, timeout: 2s }',
        '',
      ].join('\n'),
      'ca.pem': smtp.cert,
      'leads.csv': `name,company,city,website,email\n${PEOPLE.map((p) => `${p},${p} Ltd,Bergen,,${p}@${p}.test`).join('\n')}\nFay,Shop,Oslo,${sites.url('shop.test')},\n`,
    });
    cpSync(join(REPO, 'pipelines'), join(project.root, 'pipelines'), { recursive: true });
  });
  afterAll(async () => {
    await smtp?.close();
    await sites?.close();
    project?.remove();
  });

  const args = (extra: string[] = []) => ['run', 'pipelines/outreach.yaml', '--input', 'campaign=e2e', '--input', 'leads=../leads.csv', '--input', 'rate=100/second', '--input', 'checkMx=false', '--json', ...extra];

  it('dry run, crash mid-campaign, re-run: everyone mailed exactly once, never twice', async () => {
    const sup = await project.cli(['outreach', 'suppress', 'DEE@dee.test', '--reason', 'asked to stop']);
    expect(sup.code, sup.stderr).toBe(0);

    const dry = await project.cli(args(['--dry-run']), env);
    expect(dry.code, dry.stderr).toBe(0);
    const dryOut = events(dry.stdout).find((e) => e.event === 'run.finished')!.outputs as { drafts: Array<{ email: string; file: string }> };
    expect(dryOut.drafts.map((d) => d.email)).toEqual(['ana@ana.test', 'ben@ben.test', 'cai@cai.test', 'eve@eve.test', 'fay@shop.test']);
    const eml = readFileSync(dryOut.drafts[4]!.file, 'utf8');
    expect(eml).toContain('To: Fay <fay@shop.test>');
    expect(eml).toContain('Subject: A quick question for Shop');
    expect(smtp.rcptSeen).toEqual([]);

    const first = project.start(args(), env);
    const endedEarly = first.done.then((r) => { throw new Error(`the run ended before the third message (code ${r.code}):\n${r.stdout}\n${r.stderr}`); });
    await Promise.race([held, endedEarly]);
    void endedEarly.catch(() => {});
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(smtp.received.map((m) => m.to[0])).toEqual(['ana@ana.test', 'ben@ben.test']);

    const report = await project.cli(['outreach', 'report', 'e2e', '--json']);
    expect(report.code, report.stderr).toBe(0);
    const r1 = JSON.parse(report.stdout) as { sent: Array<{ email: string }>; inDoubt: Array<{ email: string; key: string }> };
    expect(r1.sent.map((s) => s.email).sort()).toEqual(['ana@ana.test', 'ben@ben.test']);
    expect(r1.inDoubt.map((s) => s.email)).toEqual(['cai@cai.test']);

    const second = await project.cli(args(), env);
    expect(second.code, second.stderr).toBe(0);
    const out2 = events(second.stdout).find((e) => e.event === 'run.finished')!.outputs as { sent: Array<{ email: string }>; skipped: Array<{ email: string; reason: string }>; inDoubt: Array<{ email: string; reason: string; settle: string }> };
    expect(out2.sent.map((s) => s.email)).toEqual(['eve@eve.test', 'fay@shop.test']);
    const why = Object.fromEntries(out2.skipped.map((s) => [s.email, s.reason]));
    expect(why['ana@ana.test']).toMatch(/^already mailed/);
    // in doubt is listed apart, with the command that settles it, never among the skips
    expect(why['cai@cai.test']).toBeUndefined();
    expect(out2.inDoubt).toEqual([expect.objectContaining({ email: 'cai@cai.test', reason: expect.stringMatching(/^in doubt/), settle: expect.stringContaining(`mpv2 effects resolve '${r1.inDoubt[0]!.key}' --done`) })]);
    expect(why['dee@dee.test']).toMatch(/asked to stop/);

    // the user checked: the held message never arrived; let the next run send it
    const resolved = await project.cli(['effects', 'resolve', r1.inDoubt[0]!.key, '--retry']);
    expect(resolved.code, resolved.stderr).toBe(0);
    const third = await project.cli(args(), env);
    expect(third.code, third.stderr).toBe(0);
    const out3 = events(third.stdout).find((e) => e.event === 'run.finished')!.outputs as { sent: Array<{ email: string }> };
    expect(out3.sent.map((s) => s.email)).toEqual(['cai@cai.test']);

    const mailed = smtp.received.map((m) => m.to[0]).sort();
    expect(mailed).toEqual(['ana@ana.test', 'ben@ben.test', 'cai@cai.test', 'eve@eve.test', 'fay@shop.test']);
    expect(smtp.rcptSeen).not.toContain('dee@dee.test');
    // the SMTP password never reaches the events or the state
    for (const o of [dry, second, third]) expect(o.stdout).not.toContain('smtp-secret-pw');
    expect(existsSync(join(project.root, '.mpv2', 'state.db'))).toBe(true);
    expect(readFileSync(join(project.root, '.mpv2', 'state.db')).includes('smtp-secret-pw')).toBe(false);
  }, 120_000);
});
