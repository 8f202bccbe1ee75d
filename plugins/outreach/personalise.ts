/**
 * Optional per-lead personalisation through the LLM layer: the prompt (a Liquid template
 * over the lead's fields) asks for one short passage, which the body template uses as
 * `{{ personal }}`. Answers are cached per prompt (llm call cache), so a re-run asks nothing.
 * The LLM is the llm namespace's service (`uses: ['llm']` on outreach.send): its keys stay with it.
 */
import type { StepContext } from 'mpv2/plugin';
import type { SendInput } from './send-schema.js';
import { compileTemplate, renderText, type CompiledTemplate } from './template.js';

/** `with.personalise` of outreach.send (validated, defaults filled). */
export type PersonaliseInput = NonNullable<SendInput['personalise']>;

export const DEFAULT_SYSTEM = 'You write one or two friendly, specific sentences that open a short business email. No greeting, no sign-off, no placeholders, no quotes around the text.';

export interface Personaliser {
  prompt: CompiledTemplate;
  run(vars: Record<string, unknown>): Promise<string>;
}

export function makePersonaliser(ctx: StepContext, p: PersonaliseInput): Personaliser {
  const prompt = compileTemplate('personalise.prompt', p.prompt);
  return {
    prompt,
    async run(vars) {
      const user = await renderText(prompt, vars);
      // the engine loads the llm namespace on the first call: most campaigns do without it
      const r: { text: string } = await ctx.services.llm.complete({
        messages: [{ role: 'system', content: p.system }, { role: 'user', content: user }],
        maxTokens: p.maxTokens,
        stream: false,
        ...(p.provider !== undefined && { provider: p.provider }),
        ...(p.model !== undefined && { model: p.model }),
        ...(p.temperature !== undefined && { temperature: p.temperature }),
        ...(p.limit !== undefined && { limit: p.limit }),
      });
      return r.text.trim().replace(/^["“](.*)["”]$/s, '$1');
    },
  };
}
