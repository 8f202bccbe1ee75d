/** The compose-flow selectors: the shipped JSON file, or the user's copy (`twitter.selectorsFile`). */
import { readFileSync } from 'node:fs';
import { mpv2Error } from 'mpv2/plugin';
import shipped from './selectors.json' with { type: 'json' };

export interface Selectors {
  composeUrl: string;
  replyUrl: string;
  textbox: string;
  fileInput: string;
  attachment: string;
  postButton: string;
  postedLink: string;
}

export const SELECTOR_NAMES = ['composeUrl', 'replyUrl', 'textbox', 'fileInput', 'attachment', 'postButton', 'postedLink'] as const;

export function loadSelectors(file?: string): Selectors {
  if (!file) return shipped as Selectors;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw mpv2Error('E_CONFIG_INVALID', `twitter.selectorsFile ${file} cannot be read as JSON: ${(e as Error).message}`, { cause: e });
  }
  const merged = { ...shipped, ...data } as Record<string, unknown>;
  for (const k of SELECTOR_NAMES) {
    if (typeof merged[k] !== 'string') throw mpv2Error('E_CONFIG_INVALID', `twitter.selectorsFile ${file}: \`${k}\` must be a string`);
  }
  return merged as unknown as Selectors;
}
