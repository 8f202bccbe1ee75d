/** The TLS hint of an SMTP failure follows nodemailer's error code, not the words of the message. */
import { describe, expect, it } from 'vitest';
import { classifySmtp, smtpError } from '../../../plugins/outreach/smtp-errors.js';

const hintOf = (err: object) => smtpError(classifySmtp(err), 'smtp.x.test:465', err).hint;

describe('SMTP TLS hint', () => {
  it('ETLS and EREQUIRETLS get the TLS hint', () => {
    expect(hintOf({ code: 'ETLS', message: 'Error initiating TLS - wrong version number' })).toMatch(/TLS problem/);
    expect(hintOf({ code: 'EREQUIRETLS', message: 'REQUIRETLS not supported by server' })).toMatch(/TLS problem/);
  });

  it('a message that merely mentions TLS or SSL does not', () => {
    expect(hintOf({ code: 'EMESSAGE', command: 'API', message: 'attachment ssl-guide.pdf could not be read' })).toBeUndefined();
  });
});
