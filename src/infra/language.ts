/**
 * BCP 47 language tags (`ja`, `pt-BR`, `zh-Hant`) for `language:` on a pipeline or a step.
 * A tag must be well formed and its language subtag one ICU knows by name, so a typo such as
 * `jp` or `english` is caught when the pipeline is checked, not by a voice lookup mid-run.
 */

const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** The canonical form of `tag` (`pt-br` → `pt-BR`), or undefined when it is not a known language. */
export function canonicalLanguage(tag: string): string | undefined {
  let canonical: string;
  try {
    [canonical = ''] = Intl.getCanonicalLocales(tag.trim());
  } catch {
    return undefined;
  }
  const primary = canonical.split('-')[0]!;
  // DisplayNames names any well-formed code it has data for; undetermined `und` is no language
  if (primary === 'und' || names.of(primary) === undefined) return undefined;
  return canonical;
}

export const LANGUAGE_HINT = 'use a BCP 47 language tag such as `en`, `ja`, `ar`, `hi`, `pt-BR` or `zh-Hans`';
