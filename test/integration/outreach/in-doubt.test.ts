/**
 * Only the SMTP send is inside a recipient's effect. A run stopped during the pacing wait
 * leaves the next recipient simply not mailed (the next run mails them exactly once); a run
 * stopped while the server holds a message leaves that recipient in doubt, and every later run
 * lists them, with the command that settles them, instead of skipping them silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEffect } from '../../../src/engine/admin/effects-admin.js';
import { campaignReport } from '../../../plugins/outreach/report.js';
import type { TestProject } from '../engine/harness.js';
import { campaignProject } from './campaign-project.js';
import { startSmtpServer, type SmtpServerOptions, type TestSmtpServer } from '../../servers/smtp.js';
import type { State } from '../../../src/infra/state.js';
import type { KeyValueStore } from '../../../src/plugin/types.js';
import { namespaceKv } from '../../../src/infra/store/types.js';

const LEADS = ['ana', 'ben', 'cai'].map((n) => `${n}@shop.test`);

let smtp: TestSmtpServer | undefined;
let project: TestProject | undefined;
afterEach(async () => {
  project?.close();
  await smtp?.close();
});

async function setup(o: SmtpServerOptions, leads: string[], rate?: string): Promise<TestProject> {
  smtp = await startSmtpServer({ user: 'u@shop.test', pass: 'pw', ...o });
  return campaignProject(smtp, leads, rate);
}

/** How many times a message to `email` reached the server (RCPT TO seen). */
const tries = (email: string) => smtp!.rcptSeen.filter((a) => a === email).length;

interface SendOut { sent: Array<{ email: string }>; skipped: Array<{ email: string; reason: string }>; inDoubt: Array<{ email: string; key: string; settle: string }> }

describe('outreach.send: only the send is inside the effect', () => {
  it('a run stopped during the pacing wait leaves the next recipient not mailed, not in doubt; the next run mails them once', async () => {
    const stop = new AbortController();
    project = await setup({}, LEADS.slice(0, 2), '1/hour');
    // the pace holds ben for an hour: stop the run the moment the wait begins
    const first = await project.run('campaign.yaml', {
      signal: stop.signal,
      sink: (e) => { if (e.event === 'step.log' && /pacing/.test(e.message)) stop.abort(); },
    });
    expect(first.result.status).not.toBe('succeeded');
    expect(tries('ana@shop.test')).toBe(1);
    expect(tries('ben@shop.test')).toBe(0);
    const effects = await project.project.state().effects.list({});
    expect(effects.filter((e) => e.status === 'pending')).toEqual([]);

    const resumed = await project.run('campaign.yaml', { resume: first.runId });
    expect(resumed.result.status).toBe('succeeded');
    const out = resumed.of('step.finished', 'send')[0]!.outputs as SendOut;
    expect(out.sent.map((s) => s.email)).toEqual(['ben@shop.test']);
    expect(out.inDoubt).toEqual([]);
    expect(tries('ana@shop.test')).toBe(1);
    expect(tries('ben@shop.test')).toBe(1);
    expect(smtp!.received.map((m) => m.to[0])).toEqual(['ana@shop.test', 'ben@shop.test']);
  }, 30_000);

  it('a run stopped while the server holds a message: that recipient is listed in doubt with the command that settles it, never mailed again until settled', async () => {
    const stop = new AbortController();
    let held = false;
    project = await setup({
      // ben's first message arrives and the server never answers: then the run is stopped
      onMessage: (m) => {
        if (held || !m.to.includes('ben@shop.test')) return;
        held = true;
        stop.abort();
        return new Promise<void>(() => {});
      },
    }, LEADS);
    const first = await project.run('campaign.yaml', { signal: stop.signal });
    expect(first.result.status).not.toBe('succeeded');
    expect(tries('ben@shop.test')).toBe(1);

    const key = "outreach.send:campaign:launch:ben@shop.test";
    for (const again of [await project.run('campaign.yaml', { resume: first.runId }), await project.run('campaign.yaml')]) {
      expect(again.result.status).toBe('succeeded');
      const out = again.of('step.finished', 'send')[0]!.outputs as SendOut;
      expect(out.inDoubt).toEqual([expect.objectContaining({ email: 'ben@shop.test', key, settle: expect.stringContaining(`mpv2 effects resolve '${key}' --done`) })]);
      expect(out.skipped.map((s) => s.email)).not.toContain('ben@shop.test');
      const warned = again.of('step.log', 'send').filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warned.some((w) => w.includes('ben@shop.test') && w.includes(`mpv2 effects resolve '${key}'`))).toBe(true);
    }
    expect(tries('ben@shop.test')).toBe(1);
    expect(tries('cai@shop.test')).toBe(1);

    const state = project.project.state();
    const report = await campaignReport(namespaceStore(state.kv, 'outreach'), await state.effects.list({}), 'launch');
    expect(report.inDoubt).toEqual([expect.objectContaining({ email: 'ben@shop.test', key, settle: expect.stringContaining('--retry') })]);

    // the user checked the mailbox and it did not arrive: the next run sends it, once
    await resolveEffect(state, key, 'retry');
    const settled = await project.run('campaign.yaml');
    const out = settled.of('step.finished', 'send')[0]!.outputs as SendOut;
    expect(out.sent.map((s) => s.email)).toEqual(['ben@shop.test']);
    expect(out.inDoubt).toEqual([]);
    expect(tries('ben@shop.test')).toBe(2);
  }, 30_000);

  it('a connection cut after the message was sent leaves that recipient in doubt (not retried, not failed); the campaign goes on', async () => {
    project = await setup({ dropAfterData: ['ben@shop.test'] }, LEADS);
    const key = 'outreach.send:campaign:launch:ben@shop.test';
    for (const run of [await project.run('campaign.yaml'), await project.run('campaign.yaml')]) {
      expect(run.result.status).toBe('succeeded');
      const out = run.of('step.finished', 'send')[0]!.outputs as SendOut;
      expect(out.inDoubt).toEqual([expect.objectContaining({ email: 'ben@shop.test', key, settle: expect.stringContaining(`mpv2 effects resolve '${key}' --done`) })]);
    }
    expect(tries('ben@shop.test')).toBe(1);
    expect(smtp!.received.map((m) => m.to[0])).toEqual(['ana@shop.test', 'cai@shop.test']);
    const effects = await project.project.state().effects.list({});
    expect(effects.find((e) => e.key === key)?.status).toBe('pending');
  }, 30_000);

  it('a recipient in doubt costs no pacing slot and no render: the next recipient due goes at once', async () => {
    project = await setup({}, ['ben@shop.test', 'cai@shop.test'], '1/hour');
    // an earlier run was cut off while sending to ben
    const key = 'outreach.send:campaign:launch:ben@shop.test';
    await project.project.state().effects.claim({ key, runId: 'earlier', stepId: 'send', plugin: 'outreach.send' }, { takeOver: false });
    const r = await project.run('campaign.yaml');
    expect(r.result.status).toBe('succeeded');
    const out = r.of('step.finished', 'send')[0]!.outputs as SendOut;
    expect(out.inDoubt.map((d) => d.email)).toEqual(['ben@shop.test']);
    expect(out.sent.map((d) => d.email)).toEqual(['cai@shop.test']);
    // cai was the first message this run: no wait for the pace
    expect(r.of('step.log', 'send').some((l) => /pacing/.test(l.message))).toBe(false);
    expect(tries('ben@shop.test')).toBe(0);
  }, 30_000);
});

/** The project's key-value store seen as the outreach namespace (what `ctx.store` is for its steps and commands). */
function namespaceStore(kv: State['kv'], ns: string): KeyValueStore {
  return namespaceKv(kv, ns);
}
