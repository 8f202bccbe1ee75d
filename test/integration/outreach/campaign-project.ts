/** A project with one outreach campaign (leads.csv → outreach.send) against a local SMTP server. */
import { makeProject, type TestProject } from '../engine/harness.js';
import type { TestSmtpServer } from '../../servers/smtp.js';

export function campaignProject(smtp: TestSmtpServer, leads: string[], rate?: string): Promise<TestProject> {
  return makeProject({
    '.mpv2rc.yaml': `outreach:\n  smtp:\n    host: 127.0.0.1\n    port: ${smtp.port}\n    security: starttls\n    user: u@shop.test\n    fromAddress: u@shop.test\n    ca: ca.pem\n`,
    'ca.pem': smtp.cert,
    'leads.csv': `name,email\n${leads.map((e) => `${e.split('@')[0]},${e}`).join('\n')}\n`,
    'campaign.yaml': [
      'name: campaign',
      'steps:',
      '  - id: leads',
      '    uses: outreach.leads',
      '    with: { source: leads.csv }',
      '  - id: send',
      '    uses: outreach.send',
      '    with:',
      '      campaign: launch',
      '      leads: ${{ steps.leads.outputs.leads }}',
      '      subject: "Hello {{ name }}"',
      '      body: "Hi {{ name }}, a short note."',
      ...(rate ? [`      rate: ${rate}`] : []),
      '',
    ].join('\n'),
  }, { MPV2_OUTREACH__SMTP__PASSWORD: 'pw' });
}
