/**
 * Drivers step down (json_schema → json_object, schema → plain JSON) only on what the provider
 * said, never on our message around it, which names the provider and its URL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { complete } from '../../../plugins/llm/complete.js';
import { makeTestContext } from '../../helpers/context.js';
import { llmConfigSchema } from '../../../plugins/llm/config.js';
import { startLlmServer, type LlmServer } from '../../servers/llm.js';

let s: LlmServer;
beforeAll(async () => { s = await startLlmServer(); });
afterAll(async () => { await s.close(); });

const schema = { type: 'object', required: ['title'], properties: { title: { type: 'string' } } };

it('an Ollama provider named "schema" that answers an unrelated 400 is not asked again without its schema', async () => {
  const ctx = makeTestContext({ configSchema: llmConfigSchema, config: { providers: { schema: { type: 'ollama', baseUrl: s.url, model: 'm' } } } });
  s.enqueue({ status: 400, body: { error: 'model requires more system memory than is available' } });
  const before = s.count();
  const e = await complete(ctx, { provider: 'schema', messages: [{ role: 'user', content: 'hi' }], schema }).catch((x: unknown) => x) as { code: string; status: number };
  expect([e.code, e.status]).toEqual(['E_HTTP', 400]);
  expect(s.count() - before).toBe(1);
});
