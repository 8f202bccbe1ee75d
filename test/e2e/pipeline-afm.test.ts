/**
 * pipelines/afm-campaign.yaml through the CLI: local product pages → pitches from the local
 * LLM server → posts on the local X API server (OAuth 1.0a checked). A re-run posts nothing
 * new; `mpv2 afm report` lists the posts.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmServer, type LlmServer, type RecordedRequest } from '../servers/llm.js';
import { SHOP_PATHS, startShopServer, type ShopServer } from '../servers/shop-pages.js';
import { startXApiServer, TEST_KEYS, type XApiServer } from '../servers/x-api.js';
import { events, REPO, tempProject, type TempProject } from './engine-helpers.js';

function pitchResponder(req: RecordedRequest) {
  const messages = req.body.messages as Array<{ role: string; content: string }>;
  const title = /Product: (.+)/.exec(messages.at(-1)!.content)?.[1] ?? 'this';
  return { json: { hook: `Meet the ${title.split(',')[0]}.`, body: 'Honest pick, does the job well.', hashtags: ['deals'] } };
}

describe('pipelines/afm-campaign.yaml end to end', () => {
  let x: XApiServer;
  let shop: ShopServer;
  let llm: LlmServer;
  let project: TempProject;
  const env = () => ({ X_API_KEY: TEST_KEYS.apiKey, X_API_SECRET: TEST_KEYS.apiSecret, X_ACCESS_TOKEN: TEST_KEYS.accessToken, X_ACCESS_SECRET: TEST_KEYS.accessSecret });

  beforeAll(async () => {
    [x, shop, llm] = await Promise.all([startXApiServer(), startShopServer(), startLlmServer({ responder: pitchResponder })]);
    project = tempProject({
      '.mpv2rc.yaml': [
        'llm:', '  defaultProvider: local', '  providers:', '    local:', '      type: openai', `      baseUrl: ${llm.url}/v1`, '      model: test-model',
        'twitter:', `  apiBaseUrl: ${x.url}`, `  uploadBaseUrl: ${x.url}`, '',
      ].join('\n'),
    });
    cpSync(join(REPO, 'pipelines'), join(project.root, 'pipelines'), { recursive: true });
    project.write('pipelines/products.yaml', [`- ${shop.url}${SHOP_PATHS.amazon}`, `- ${shop.url}${SHOP_PATHS.jsonld}`, `- ${shop.url}${SHOP_PATHS.nothing}`, ''].join('\n'));
  });
  afterAll(async () => {
    await Promise.all([x?.close(), shop?.close(), llm?.close()]);
    project?.remove();
  });

  it('posts one pitch per product, a re-run posts nothing new, and the report lists the posts', async () => {
    const args = ['run', 'pipelines/afm-campaign.yaml', '--input', 'tag=mystore-20', '--input', 'productsFile=products.yaml', '--input', 'campaign=spring', '--json'];
    // a dry run writes pitches but posts nothing and records no history
    const dry = await project.cli([...args, '--dry-run'], env());
    expect(dry.code, dry.stderr).toBe(0);
    expect(x.posts).toHaveLength(0);
    expect(JSON.parse((await project.cli(['afm', 'report', '--json'])).stdout)).toEqual({ campaigns: [], rows: [] });

    const first = await project.cli(args, env());
    expect(first.code, first.stderr).toBe(0);
    const done = events(first.stdout).find((e) => e.event === 'run.finished') as unknown as { status: string; outputs: { posts: string[][]; skipped: Array<{ url: string; reason: string }> } };
    expect(done.status).toBe('succeeded');
    expect(x.posts).toHaveLength(2);
    expect(x.requests.filter((r) => r.path === '/2/tweets').every((r) => r.auth === 'oauth1' && r.status === 201)).toBe(true);
    expect(x.posts[0]!.text).toContain(`${shop.url}/dp/B0TESTASN1?tag=mystore-20`);
    expect(x.posts[1]!.text).toContain(`${shop.url}/products/copper-kettle?tag=mystore-20`);
    expect(done.outputs.posts.flat()).toEqual(x.posts.map((p) => `https://x.com/i/status/${p.id}`));
    expect(done.outputs.skipped).toEqual([{ url: `${shop.url}${SHOP_PATHS.nothing}`, reason: expect.stringMatching(/no product data/) }]);
    const llmCalls = llm.count('/chat/completions');
    expect(llmCalls).toBe(2);
    // the keys never reach the output
    expect(first.stdout + first.stderr).not.toContain(TEST_KEYS.accessSecret);

    const second = await project.cli(args, env());
    expect(second.code, second.stderr).toBe(0);
    expect(x.posts).toHaveLength(2);
    expect(llm.count('/chat/completions')).toBe(llmCalls);
    const items = events(second.stdout).filter((e) => e.event === 'step.finished' && e.stepId === 'post' && e.index !== undefined) as unknown as Array<{ outputs: { posted: number } }>;
    expect(items.map((e) => e.outputs.posted)).toEqual([0, 0]);

    const report = await project.cli(['afm', 'report', '--json']);
    expect(report.code, report.stderr).toBe(0);
    const r = JSON.parse(report.stdout) as { campaigns: Array<{ name: string; runs: number }>; rows: Array<{ status: string; postUrl?: string; link: string }> };
    expect(r.campaigns).toEqual([expect.objectContaining({ name: 'spring', runs: 2 })]);
    expect(r.rows.map((row) => row.status)).toEqual(['posted', 'posted']);
    expect(r.rows.map((row) => row.postUrl).sort()).toEqual(x.posts.map((p) => `https://x.com/i/status/${p.id}`).sort());
    const text = await project.cli(['afm', 'report']);
    expect(text.stdout).toContain('2 pitch(es), 2 posted.');
  }, 120_000);

  it('posts as a named account added with `mpv2 accounts add twitter`', async () => {
    const add = await project.cli(['accounts', 'add', 'twitter', '-n', 'brand', '--set', 'handle=brandhandle',
      '--secret', `apiKey=${TEST_KEYS.apiKey}`, '--secret', `apiSecret=${TEST_KEYS.apiSecret}`, '--secret', `accessToken=${TEST_KEYS.accessToken}`, '--secret', `accessSecret=${TEST_KEYS.accessSecret}`]);
    expect(add.code, add.stderr).toBe(0);
    const before = x.posts.length;
    const args = ['run', 'pipelines/afm-campaign.yaml', '--input', 'tag=brand-20', '--input', 'productsFile=products.yaml', '--input', 'campaign=summer', '--input', 'account=brand', '--json'];
    const run = await project.cli(args);
    expect(run.code, run.stderr).toBe(0);
    const made = x.posts.slice(before);
    expect(made).toHaveLength(2);
    const done = events(run.stdout).find((e) => e.event === 'run.finished') as unknown as { outputs: { posts: string[][] } };
    expect(done.outputs.posts.flat()).toEqual(made.map((p) => `https://x.com/brandhandle/status/${p.id}`));
    expect(made.every((p) => p.text.includes('tag=brand-20'))).toBe(true);
    const report = JSON.parse((await project.cli(['afm', 'report', '--campaign', 'summer', '--json'])).stdout) as { rows: Array<{ account: string; status: string }> };
    expect(report.rows.map((r) => [r.account, r.status])).toEqual([['brand', 'posted'], ['brand', 'posted']]);
  }, 120_000);
});
