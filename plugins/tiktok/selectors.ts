/** TikTok Studio selectors: the shipped JSON file, or the user's copy (`tiktok.selectorsFile`) over it. */
import { readFileSync } from 'node:fs';
import { mpv2Error } from 'mpv2/plugin';
import shipped from './selectors.json' with { type: 'json' };

export const SELECTOR_NAMES = ['uploadUrl', 'contentUrl', 'fileInput', 'uploaded', 'caption', 'privacyButton', 'privacyOption', 'postButton', 'postedDone', 'contentRow', 'contentCaption', 'contentLink'] as const;
export type Selectors = Record<(typeof SELECTOR_NAMES)[number], string>;

export function loadSelectors(file?: string): Selectors {
  if (!file) return shipped as Selectors;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw mpv2Error('E_CONFIG_INVALID', `tiktok.selectorsFile ${file} cannot be read as JSON: ${(e as Error).message}`, { cause: e });
  }
  const merged = { ...shipped, ...data } as Record<string, unknown>;
  for (const k of SELECTOR_NAMES) {
    if (typeof merged[k] !== 'string') throw mpv2Error('E_CONFIG_INVALID', `tiktok.selectorsFile ${file}: \`${k}\` must be a string`);
  }
  return merged as Selectors;
}
