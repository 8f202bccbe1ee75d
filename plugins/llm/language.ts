/**
 * The step's language (`language:` on the step or the pipeline, `ctx.language`) as a system
 * instruction: the model writes in it unless the prompt itself asks for another language (a
 * translation step names its target languages in the prompt).
 */
import type { LlmMessage } from './types.js';

function nameOf(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function languageInstruction(tag: string): string {
  return `Write your answer in ${nameOf(tag)} (language tag ${tag}), unless the user's message explicitly asks for another language. JSON keys and any fixed values a schema lists stay as given.`;
}

/** `messages` with the language instruction first in the system message. */
export function withLanguage(messages: LlmMessage[], tag: string | undefined): LlmMessage[] {
  if (!tag) return messages;
  const instruction = languageInstruction(tag);
  if (messages[0]?.role === 'system') return [{ role: 'system', content: `${instruction}\n\n${messages[0].content}` }, ...messages.slice(1)];
  return [{ role: 'system', content: instruction }, ...messages];
}
