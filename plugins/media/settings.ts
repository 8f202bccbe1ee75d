/** Reads the `media` config section and the provider keys once, with their defaults. */
import type { StepContext } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';

export interface MediaSettings {
  maxInputPixels: number;
  minInputSide: number;
  tries: number;
  maxRetryDelayMs: number;
  pexels: { apiKey?: string; baseUrl: string };
  pixabay: { apiKey?: string; baseUrl: string; safesearch: boolean };
  openai: { apiKey?: string; baseUrl: string; model: string; size?: string; quality?: string; responseFormat?: 'b64_json' | 'url'; promptSuffix: string };
}

type Section = Record<string, unknown>;
const obj = (v: unknown): Section => (v && typeof v === 'object' ? (v as Section) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const trimSlash = (u: string): string => u.replace(/\/+$/, '');

export function readSettings(ctx: Pick<StepContext, 'config' | 'secrets'>): MediaSettings {
  const c = obj(ctx.config);
  const px = obj(c.pexels);
  const pb = obj(c.pixabay);
  const oa = obj(c.openai);
  const rf = str(oa.responseFormat);
  return {
    maxInputPixels: num(c.maxInputPixels, 500_000_000),
    minInputSide: num(c.minInputSide, 64),
    tries: Math.max(1, num(c.tries, 3)),
    maxRetryDelayMs: num(c.maxRetryDelayMs, 30_000),
    pexels: { apiKey: str(ctx.secrets.PEXELS_API_KEY) ?? str(px.apiKey), baseUrl: trimSlash(str(px.baseUrl) ?? 'https://api.pexels.com') },
    pixabay: {
      apiKey: str(ctx.secrets.PIXABAY_API_KEY) ?? str(pb.apiKey),
      baseUrl: trimSlash(str(pb.baseUrl) ?? 'https://pixabay.com'),
      safesearch: pb.safesearch !== false,
    },
    openai: {
      apiKey: str(ctx.secrets.OPENAI_API_KEY) ?? str(oa.apiKey),
      baseUrl: trimSlash(str(oa.baseUrl) ?? 'https://api.openai.com/v1'),
      model: str(oa.model) ?? 'gpt-image-1',
      size: str(oa.size),
      quality: str(oa.quality),
      responseFormat: rf === 'b64_json' || rf === 'url' ? rf : undefined,
      promptSuffix: typeof oa.promptSuffix === 'string' ? oa.promptSuffix : 'Photorealistic, cinematic lighting, no text, no watermark.',
    },
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
