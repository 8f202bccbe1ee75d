/** The `media` config section with each provider's key resolved (the environment variable wins over the config). */
import type { StepContext } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';
import type { MediaConfig } from './config.js';

export type MediaSettings = MediaConfig;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const trimSlash = (u: string): string => u.replace(/\/+$/, '');

export function readSettings(ctx: Pick<StepContext, 'config' | 'secrets'>): MediaSettings {
  // the config loader validated the section and filled in its defaults
  const c = ctx.config as MediaConfig;
  return {
    ...c,
    pexels: { ...c.pexels, apiKey: str(ctx.secrets.PEXELS_API_KEY) ?? str(c.pexels.apiKey), baseUrl: trimSlash(c.pexels.baseUrl) },
    pixabay: { ...c.pixabay, apiKey: str(ctx.secrets.PIXABAY_API_KEY) ?? str(c.pixabay.apiKey), baseUrl: trimSlash(c.pixabay.baseUrl) },
    openai: { ...c.openai, apiKey: str(ctx.secrets.OPENAI_API_KEY) ?? str(c.openai.apiKey), baseUrl: trimSlash(c.openai.baseUrl) },
  };
}

const KEY_NAMES = { pexels: 'PEXELS_API_KEY', pixabay: 'PIXABAY_API_KEY', openai: 'OPENAI_API_KEY' } as const;

/** The key of a provider, or E_MISSING_KEY with the hint the issue asks for. */
export function requireKey(settings: MediaSettings, which: keyof typeof KEY_NAMES, provider: string): string {
  const key = settings[which].apiKey;
  if (key) return key;
  const env = KEY_NAMES[which];
  throw mpv2Error('E_MISSING_KEY', `provider "${provider}" needs an API key and none is configured`, {
    hint: `set ${env} or use provider: generate`,
  });
}
