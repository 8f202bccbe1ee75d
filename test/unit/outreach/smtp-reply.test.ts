/** SMTP failures are told by nodemailer's codes and the reply's status codes at their place, not by words anywhere in the text. */
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

describe('SMTP enhanced status codes', () => {
  it('are read where the reply puts them, not anywhere in its text', () => {
    expect(classifySmtp({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <bo@lind.test>: Recipient address rejected: User unknown' }).enhanced).toBe('5.1.1');
    // a spam refusal whose text happens to hold "5.1.2" is not a bad address
    const spam = classifySmtp({ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 refused, see https://mx.test/help/5.1.2 and 10.5.1.20' });
    expect(spam.enhanced).toBe('5.7.1');
    expect(smtpError(spam, '10.5.1.20:25', new Error('x')).details).toMatchObject({ enhancedCode: '5.7.1' });
    expect(classifySmtp({ code: 'EENVELOPE', responseCode: 550, response: '550 mailbox unavailable' }).enhanced).toBeUndefined();
  });
});
