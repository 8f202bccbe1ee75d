/** `mpv2 doctor` for video: which ffmpeg, and whether it has what rendering needs. */
import type { CheckResult } from 'mpv2/plugin';
import { findFfmpeg } from 'mpv2/plugin';
import { isMpv2Error } from 'mpv2/plugin';
import type { VideoConfig } from './config.js';
import { SCRIPT_FONTS, familyFiles } from './scripts.js';

export async function checkVideoTools(cfg: VideoConfig): Promise<CheckResult[]> {
  try {
    const info = await findFfmpeg({ path: cfg.ffmpeg?.path, ffprobePath: cfg.ffmpeg?.ffprobePath });
    const results: CheckResult[] = [{ name: 'ffmpeg', ok: true, level: 'ok', message: `ffmpeg ${info.version} (${info.source}: ${info.ffmpeg})` }];
    const need = ['ass', 'sidechaincompress', 'amerge', 'drawtext', 'tile'];
    const missing = need.filter((f) => !info.filters.has(f));
    if (!info.encoders.has('libx264')) missing.push('libx264 encoder');
    results.push(missing.length
      ? { name: 'ffmpeg features', ok: false, level: 'error', message: `missing: ${missing.join(', ')}`, hint: 'install an ffmpeg built with libass, libfreetype and libx264 (Debian: apt-get install ffmpeg)' }
      : { name: 'ffmpeg features', ok: true, level: 'ok', message: 'libass, sidechaincompress, drawtext, libx264 present' });
    if (!info.filters.has('xfade')) results.push({ name: 'ffmpeg xfade', ok: true, level: 'warn', message: 'no xfade filter (old build): crossfades use an overlay blend, a little slower' });
    if (!info.ffprobe) results.push({ name: 'ffprobe', ok: false, level: 'error', message: 'ffprobe not found', hint: 'install ffmpeg (it includes ffprobe) or set video.ffmpeg.ffprobePath' });
    results.push(await scriptFontsCheck());
    return results;
  } catch (e) {
    return [{ name: 'ffmpeg', ok: false, level: 'error', message: isMpv2Error(e) ? e.message : String(e), hint: isMpv2Error(e) ? e.hint : undefined }];
  }
}

/** Which scripts captions can draw: the Noto families fontconfig finds (Debian fonts-noto-*). */
async function scriptFontsCheck(): Promise<CheckResult> {
  try {
    const missing: typeof SCRIPT_FONTS[number][] = [];
    for (const s of SCRIPT_FONTS) if ((await familyFiles(s.family)).length === 0) missing.push(s);
    if (missing.length === 0) return { name: 'caption fonts', ok: true, level: 'ok', message: `fonts for ${SCRIPT_FONTS.map((s) => s.script).join(', ')}` };
    const pkgs = [...new Set(missing.map((s) => s.debian))].join(' ');
    return {
      name: 'caption fonts', ok: true, level: 'warn',
      message: `no font for ${missing.map((s) => `${s.script} ("${s.family}")`).join(', ')}: captions in these scripts fail before rendering`,
      hint: `install ${pkgs} (Debian: apt-get install ${pkgs}), or give captionStyle.fontFile a font with the script`,
    };
  } catch (e) {
    return { name: 'caption fonts', ok: true, level: 'warn', message: isMpv2Error(e) ? e.message : String(e), hint: isMpv2Error(e) ? e.hint : undefined };
  }
}
