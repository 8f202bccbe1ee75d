/**
 * llm.generate: one prompt (inline, a prompt file, or messages) → text, or JSON that
 * matches `output.schema`. The work happens in `complete()`, which other plugins share.
 */
import { readFile } from 'node:fs/promises';
import { mpv2Error } from 'mpv2/plugin';
import { definePlugin } from 'mpv2/plugin';
import type { JSONSchema, StepContext } from 'mpv2/plugin';
import { complete } from './complete.js';
import { llmServices } from './services.js';
import { generateInput, generateOutput, isStatic, type GenerateInput, type GenerateOutput } from './schemas.js';
import { parsePromptFile, renderTemplate } from './template.js';
import type { LlmMessage, LlmResult } from './types.js';

export type { GenerateInput, GenerateOutput } from './schemas.js';

interface Prepared {
  messages: LlmMessage[];
  temperature?: number;
  maxTokens?: number;
  model?: string;
}

async function prepare(ctx: StepContext, input: GenerateInput): Promise<Prepared> {
  const given = (['prompt', 'promptFile', 'messages'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `llm.generate needs exactly one of \`prompt\`, \`promptFile\`, \`messages\`, got ${given.length ? given.map((k) => `\`${k}\``).join(' and ') : 'none'}`);
  }
  if (input.messages) {
    const messages = input.system ? [{ role: 'system' as const, content: input.system }, ...input.messages] : input.messages;
    return { messages, temperature: input.temperature, maxTokens: input.maxTokens, model: input.model };
  }
  if (input.prompt !== undefined) {
    const messages: LlmMessage[] = [...(input.system ? [{ role: 'system' as const, content: input.system }] : []), { role: 'user', content: input.prompt }];
    return { messages, temperature: input.temperature, maxTokens: input.maxTokens, model: input.model };
  }
  const file = ctx.resolvePath(input.promptFile!);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw mpv2Error('E_FILE', `cannot read prompt file ${input.promptFile}: ${(e as Error).message}`, { cause: e });
  }
  const pf = parsePromptFile(text, input.promptFile!);
  const vars = { ...pf.vars, ...input.vars };
  const where = `prompt file ${input.promptFile}`;
  const system = input.system ?? (pf.system !== undefined ? renderTemplate(pf.system, vars, `${where} (system)`) : undefined);
  const body = renderTemplate(pf.body, vars, where).trim();
  const messages: LlmMessage[] = [...(system ? [{ role: 'system' as const, content: system.trim() }] : []), { role: 'user', content: body }];
  return { messages, temperature: input.temperature ?? pf.temperature, maxTokens: input.maxTokens ?? pf.maxTokens, model: input.model ?? pf.model };
}

export default definePlugin<GenerateInput, GenerateOutput>({
  id: 'llm.generate',
  version: '1.0.0',
  description: 'Generate text or schema-checked JSON with an LLM (Mistral, OpenAI-compatible, Ollama)',
  input: generateInput,
  output: generateOutput(),
  outputSchema(staticWith) {
    const schema = (staticWith.output as { schema?: unknown } | undefined)?.schema;
    if (!schema || typeof schema !== 'object' || !isStatic(schema)) return undefined;
    return generateOutput(schema as JSONSchema);
  },
  services: llmServices,
  effect: false,
  pure: true,
  defaults: { cache: '1d', retry: { attempts: 4, backoff: 'exponential', initial: '2s', max: '60s' } },
  async run(ctx, input) {
    const p = await prepare(ctx, input);
    const r: LlmResult = await complete(ctx, {
      messages: p.messages, provider: input.provider, model: p.model, temperature: p.temperature, maxTokens: p.maxTokens,
      schema: input.output?.schema, stream: input.stream, cacheTtl: input.callCache,
    });
    return { text: r.text, data: r.data ?? null, usage: r.usage, model: r.model, provider: r.provider, calls: r.calls, cached: r.cached };
  },
});
