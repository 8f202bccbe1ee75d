/**
 * Through the engine: a campaign interrupted half-way (the run's abort signal fires after the
 * second message), then resumed and run again. Every lead is mailed exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TestProject } from '../engine/harness.js';
import { campaignProject } from './campaign-project.js';
import { startSmtpServer, type TestSmtpServer } from '../../servers/smtp.js';

const LEADS = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay'].map((n) => `${n}@shop.test`);

describe('outreach.send in a pipeline', () => {
  let smtp: TestSmtpServer | undefined;
  let project: TestProject | undefined;
  afterEach(async () => {
    project?.close();
    await smtp?.close();
  });

  it('an interrupted campaign resumes where it stopped: every lead mailed exactly once', async () => {
    const controller = new AbortController();
    smtp = await startSmtpServer({ user: 'u@shop.test', pass: 'pw', onMessage: (_m, i) => { if (i === 1) controller.abort(); } });
    project = await campaignProject(smtp, LEADS);

    const first = await project.run('campaign.yaml', { signal: controller.signal });
    expect(first.result.status).not.toBe('succeeded');
    expect(smtp.received).toHaveLength(2);

    const resumed = await project.run('campaign.yaml', { resume: first.runId });
    expect(resumed.result.status).toBe('succeeded');
    const out = resumed.of('step.finished', 'send')[0]!.outputs as { sent: Array<{ email: string }>; skipped: Array<{ email: string; reason: string }> };
    expect(out.sent.map((s) => s.email)).toEqual(LEADS.slice(2));
    expect(out.skipped.map((s) => s.email)).toEqual(LEADS.slice(0, 2));
    expect(out.skipped[0]!.reason).toMatch(/^already mailed in campaign launch/);

    const again = await project.run('campaign.yaml');
    expect(again.result.status).toBe('succeeded');
    const out3 = again.of('step.finished', 'send')[0]!.outputs as { sent: unknown[]; skipped: unknown[] };
    expect(out3.sent).toEqual([]);
    expect(out3.skipped).toHaveLength(6);

    const mailed = smtp.received.map((m) => m.to[0]).sort();
    expect(mailed).toEqual([...LEADS].sort());
    const effects = await project.project.state().effects.list({});
    expect(effects.filter((e) => e.key.startsWith('outreach.send:campaign:launch:') && e.status === 'done')).toHaveLength(6);
  }, 30_000);
});
