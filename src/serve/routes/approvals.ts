/** Approve before publish: the inbox and the decisions. */
import { approval, approvals, decide } from '../approvals.js';
import { APPROVAL, arrayOf, DECIDE, DECIDED } from '../schemas.js';
import type { ServeContext } from '../server.js';

const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] };

export function registerApprovalRoutes({ route, project, runs }: ServeContext): void {
  route({
    method: 'GET', url: '/api/approvals', summary: 'Approvals waiting for a decision (status=decided: the history; all: both), newest first', tags: ['approvals'],
    querystring: { type: 'object', properties: { status: { enum: ['pending', 'decided', 'all'], default: 'pending' }, run: { type: 'string' } } },
    response: { 200: arrayOf(APPROVAL) },
  }, async (req) => {
    const q = req.query as { status: 'pending' | 'decided' | 'all'; run?: string };
    return approvals(project, { status: q.status, ...(q.run && { runId: q.run }) });
  });
  route({ method: 'GET', url: '/api/approvals/:id', summary: 'One approval with its preview', tags: ['approvals'], params: ID_PARAMS, response: { 200: APPROVAL } }, async (req) => approval(project, (req.params as { id: string }).id));
  route({
    method: 'POST', url: '/api/approvals/:id', summary: 'Approve (the effect acts once) or reject (the step is skipped with the note); the run then continues', tags: ['approvals'],
    params: ID_PARAMS, body: DECIDE, response: { 200: DECIDED },
  }, async (req) => {
    const b = req.body as { decision: 'approve' | 'reject'; note?: string };
    return decide(project, runs, (req.params as { id: string }).id, b.decision, b.note);
  });
}
