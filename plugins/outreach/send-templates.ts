/** The subject, body and footer templates of outreach.send, inline or from files. */
import { readFile } from 'node:fs/promises';
import { mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { Templates } from './compose.js';
import { compileTemplate } from './template.js';

export async function loadTemplates(
  ctx: Pick<StepContext, 'resolvePath' | 'signal'>,
  input: { subject?: string; subjectFile?: string; body?: string; bodyFile?: string },
  footer: string,
): Promise<Templates> {
  const subject = await pick(ctx, 'subject', input.subject, input.subjectFile);
  const body = await pick(ctx, 'body', input.body, input.bodyFile);
  return { subject: compileTemplate('subject', subject), body: compileTemplate('body', body), footer: compileTemplate('footer', footer) };
}

async function pick(ctx: Pick<StepContext, 'resolvePath' | 'signal'>, name: string, inline: string | undefined, file: string | undefined): Promise<string> {
  if (inline !== undefined && file !== undefined) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `give \`${name}\` or \`${name}File\`, not both`);
  }
  if (file !== undefined) {
    const abs = ctx.resolvePath(file);
    return readFile(abs, { encoding: 'utf8', signal: ctx.signal }).catch((e: unknown) => {
      throw mpv2Error('E_FILE', `cannot read the ${name} template "${file}": ${(e as Error).message}`, { cause: e, hint: 'the path is relative to the pipeline file' });
    });
  }
  if (inline === undefined || inline.trim() === '') {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `outreach.send needs \`${name}\` (inline) or \`${name}File\``);
  }
  return inline;
}
