/** The outreach namespace: lead discovery and email campaigns. */
import leads from './leads.js';
import send from './send.js';

export default [leads, send];
