/** Accounts, schedules, effects and the cache. */
import type { EffectStatus } from '../../infra/store/types.js';
import { accountSummaries, addSchedule, cache, changeSchedule, effects, schedules, settleEffect, type NewScheduleRequest } from '../admin.js';
import { ACCOUNT, arrayOf, CACHE_STATS, EFFECT, EFFECT_RESOLVED, NEW_SCHEDULE, RESOLVE_EFFECT, SCHEDULE } from '../schemas.js';
import type { ServeContext } from '../server.js';

const NAME_PARAMS = { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] };

export function registerAdminRoutes({ route, project, shared }: ServeContext): void {
  route({ method: 'GET', url: '/api/accounts', summary: 'Accounts: platform, health, today\'s acts vs the daily cap (never a secret)', tags: ['accounts'], response: { 200: arrayOf(ACCOUNT) } }, async () => accountSummaries(project));

  route({ method: 'GET', url: '/api/schedules', summary: 'Cron schedules with their next fire times', tags: ['schedules'], response: { 200: arrayOf(SCHEDULE) } }, async () => schedules(project));
  route({ method: 'POST', url: '/api/schedules', summary: 'Add a schedule (as `mpv2 schedule add`)', tags: ['schedules'], body: NEW_SCHEDULE, response: { 201: SCHEDULE } }, async (req, reply) => {
    reply.code(201);
    return addSchedule(project, req.body as NewScheduleRequest);
  });
  for (const change of ['pause', 'resume'] as const) {
    route({ method: 'POST', url: `/api/schedules/:name/${change}`, summary: `${change === 'pause' ? 'Pause' : 'Resume'} a schedule`, tags: ['schedules'], params: NAME_PARAMS, response: { 200: SCHEDULE } }, async (req) => changeSchedule(project, (req.params as { name: string }).name, change));
  }
  route({ method: 'DELETE', url: '/api/schedules/:name', summary: 'Remove a schedule', tags: ['schedules'], params: NAME_PARAMS, response: { 204: {} } }, async (req, reply) => {
    await changeSchedule(project, (req.params as { name: string }).name, 'remove');
    return reply.code(204).send();
  });

  route({
    method: 'GET', url: '/api/effects', summary: 'Recorded effects (uploads, posts, emails, POSTs)', tags: ['effects'],
    querystring: { type: 'object', properties: { status: { enum: ['pending', 'done', 'failed'] }, run: { type: 'string' } } }, response: { 200: arrayOf(EFFECT) },
  }, async (req) => {
    const q = req.query as { status?: EffectStatus; run?: string };
    return effects(project, { ...(q.status && { status: q.status }), ...(q.run && { runId: q.run }) }, shared);
  });
  route({ method: 'POST', url: '/api/effects/resolve', summary: 'Settle a pending effect (as `mpv2 effects resolve`)', tags: ['effects'], body: RESOLVE_EFFECT, response: { 200: EFFECT_RESOLVED } }, async (req) => {
    const b = req.body as { key: string; resolution: 'done' | 'retry' };
    return settleEffect(project, b.key, b.resolution, shared);
  });

  route({ method: 'GET', url: '/api/cache', summary: 'Step and call cache size (as `mpv2 cache stats`)', tags: ['cache'], response: { 200: CACHE_STATS } }, async () => cache(project, shared));
}
