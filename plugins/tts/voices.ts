/**
 * The voice for a language: the step's `voice`, else the provider's `voices` map in the config
 * (`tts.<provider>.voices: { ja: …, pt-BR: … }`, by full tag, then by language subtag), else the
 * provider's own rule. A language nothing maps is a clear error naming the config key to set.
 */
import { mpv2Error } from 'mpv2/plugin';

/** The mapped voice for `language` (`pt-BR`, then `pt`), if the map names one. */
export function mappedVoice(voices: Readonly<Record<string, string>>, language: string | undefined): string | undefined {
  if (!language) return undefined;
  const byLower = new Map(Object.entries(voices).map(([k, v]) => [k.toLowerCase(), v]));
  const tag = language.toLowerCase();
  return byLower.get(tag) ?? byLower.get(tag.split(/[-_]/)[0]!);
}

export function noVoiceFor(provider: string, section: string, language: string, example: string) {
  return mpv2Error('E_INPUT_INVALID', `tts provider ${provider} has no voice for language "${language}"`, {
    hint: `name one in the config under \`tts.${section}.voices\` (e.g. \`${language}: ${example}\`), or give the step \`voice:\``,
  });
}
