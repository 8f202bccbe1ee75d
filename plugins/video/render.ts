/**
 * video.render: stills or clips + narration + word timings + music → a captioned vertical
 * (or 16:9 / 1:1) H.264 video in ONE ffmpeg pass, with a thumbnail, a contact sheet and
 * .srt/.vtt sidecars taken from the same pass.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePlugin } from 'mpv2/plugin';
import { filterTakesCommands, findFfmpeg, ffprobe, runFfmpeg, supportsFilter, type FfmpegInfo } from 'mpv2/plugin';
import { hashValue } from 'mpv2/plugin';
import { isMpv2Error, mpv2Error } from 'mpv2/plugin';
import type { VideoConfig } from './config.js';
import { renderInput, renderOutput, type RenderInput, type RenderOutput } from './render-schema.js';
import { resolveCaptionStyle } from './caption-style.js';
import { buildAss, buildTitleAss } from './ass.js';
import { toSrt, toVtt } from './sidecars.js';
import { cleanWords } from './words.js';
import { prepareFonts } from './fonts.js';
import { planCaptionFonts, withoutEmoji } from './scripts.js';
import { prepareVisuals, toRawYuv, zoomedSize } from './visuals.js';
import { buildTimeline, frameCount, sampleFrames } from './timeline.js';
import { pickMusic } from './music.js';
import { analyseMusic, loudnessGainDb } from './music-analysis.js';
import { loopedOnsets, snapBoundsToBeats } from './beats.js';
import { checkNarration } from './narration.js';
import { planEncoder, type EncoderChoice } from './encoder.js';
import { mixSoundtrack } from './audio-graph.js';
import { allOrNone } from 'mpv2/plugin';
import { buildGraph } from './graph.js';
import { sceneTitleLines, sceneTitleTimes, withSceneTitles } from './scene-titles.js';
import { makeContactSheet, makeThumbnail } from './preview.js';
import { brandedCaptionStyle, checkTemplate, mergeBrand, prepareLogo } from './brand.js';
import { bumperLines, prepareBumper } from './brand-bumpers.js';
import { assColor } from './caption-style.js';

/** The longest a YouTube Short may be, seconds. */
const SHORT_MAX_SEC = 180;
/** The scene and thumbnail titles' font when the brand names none. */
const TITLE_FONT = 'Montserrat Black';
const SIZES = { '9:16': [1080, 1920], '16:9': [1920, 1080], '1:1': [1080, 1080] } as const;

export default definePlugin<RenderInput, RenderOutput>({
  id: 'video.render',
  version: '1.0.0',
  description: 'Render a captioned video from stills/clips, narration, word timings and music in one ffmpeg pass',
  input: renderInput,
  output: renderOutput,
  effect: false,
  pure: true,
  defaults: { retry: { attempts: 1 }, timeout: '30m' },
  async run(ctx, input) {
    const cfg = ctx.config as VideoConfig;
    const info = await findFfmpeg({ path: cfg.ffmpeg?.path, ffprobePath: cfg.ffmpeg?.ffprobePath });
    const draft = (input.quality ?? cfg.quality) === 'draft';
    const [fw, fh] = SIZES[input.aspect];
    const width = draft ? fw / 2 : fw;
    const height = draft ? fh / 2 : fh;
    const fps = input.fps;
    const words = input.captions ?? [];
    const brand = mergeBrand(cfg.brand, input.brand);
    const captionStyle = brandedCaptionStyle(input.captionStyle, brand, renderInput.properties.captionStyle.properties.font.default);
    const style = resolveCaptionStyle(captionStyle, width, height);
    const burn = words.length > 0 && style.style !== 'none';
    if (burn && !info.filters.has('ass')) {
      throw mpv2Error('E_DEPENDENCY_MISSING', `this ffmpeg (${info.ffmpeg}) has no \`ass\` filter (libass), needed to burn captions`, {
        hint: 'install an ffmpeg built with libass (Debian: `apt-get install ffmpeg`), or set captionStyle.style: none',
      });
    }

    ctx.progress({ fraction: 0, message: 'checking inputs' });
    const narration = input.audio ? ctx.resolvePath(input.audio) : undefined;
    const narr = narration ? await checkNarration(info, narration, ctx.signal) : undefined;
    const durationSec = input.durationSec ?? narr?.durationSec ?? 3 * input.images.length;
    const zoom = input.kenBurns;
    // the brand's intro and outro are checked (and cards drawn) before anything long starts
    const bumper = async (which: 'intro' | 'outro') => {
      const spec = brand?.[which];
      return spec ? prepareBumper(which, spec, { info, resolve: (p) => ctx.resolvePath(p), workdir: ctx.workdir, canvas: zoomedSize(width, height, zoom), logo: brand?.logo?.file, signal: ctx.signal }) : undefined;
    };
    const intro = await bumper('intro');
    const outro = await bumper('outro');
    const introFrames = intro ? frameCount(intro.durationSec, fps) : 0;
    const outroFrames = outro ? frameCount(outro.durationSec, fps) : 0;
    const bodyFrames = frameCount(durationSec, fps);
    const introSec = introFrames / fps;
    const outSec = (introFrames + bodyFrames + outroFrames) / fps;
    if (input.aspect === '9:16' && outSec > SHORT_MAX_SEC) {
      const why = bodyFrames / fps <= SHORT_MAX_SEC ? ` (${(bodyFrames / fps).toFixed(1)} s without the brand's intro and outro)` : '';
      ctx.log.warn(`the video lasts ${outSec.toFixed(1)} s${why}: longer than a YouTube Short may be (${SHORT_MAX_SEC} s); it will be a regular video`);
    }
    const fadeSec = input.transition === 'cut' ? 0 : input.transitionSec;
    const template = input.thumbnail && brand?.thumbnail?.template ? await checkTemplate(ctx.resolvePath(brand.thumbnail.template)) : undefined;
    const m = input.music;
    const pick = m && (m.file || m.dir)
      ? pickMusic({ file: m.file && musicPath(ctx, m.file), dir: m.dir && musicPath(ctx, m.dir), mood: m.mood, check: m.dir?.startsWith('builtin:') ? undefined : (f) => ctx.resolvePath(f), seed: m.seed ?? hashValue([input.audio, input.images, input.title]), warn: (w) => ctx.log.warn(w) })
      : undefined;
    const musicFile = pick?.file;

    // the soundtrack is mixed by its own ffmpeg while the stills are prepared (audio-graph.ts says why)
    ctx.progress({ fraction: 0.01, message: 'preparing stills and soundtrack' });
    const soundtrack = join(ctx.workdir, 'soundtrack.m4a');
    // the music's loudness and onsets (one audio decode) come first on this side: the mix needs the gain, the timeline the onsets
    const { prepared, visuals, analysis } = await allOrNone(ctx.signal, (signal) => [
      (async () => {
        const analysis = musicFile && m && (m.normalize || m.onBeats) ? await analyseMusic(info.ffmpeg, musicFile, ctx.workdir, signal) : undefined;
        await mixSoundtrack(info.ffmpeg, {
          narration,
          narrationDelay: introSec,
          clips: [
            ...(intro?.audio ? [{ file: intro.audio, start: 0, duration: introSec, fadeOut: Math.max(fadeSec, 0.05) }] : []),
            ...(outro?.audio ? [{ file: outro.audio, start: (introFrames + bodyFrames) / fps, duration: outroFrames / fps, fadeOut: Math.max(fadeSec, 0.05) }] : []),
          ],
          music: musicFile && m ? { file: musicFile, volume: m.volume, gainDb: m.normalize ? loudnessGainDb(analysis!.lufs) : 0, duck: m.duck, fadeIn: m.fadeIn, fadeOut: m.fadeOut } : undefined,
        }, outSec, soundtrack, { cwd: ctx.workdir, signal });
        return analysis;
      })(),
      (async () => {
        const prepared = await prepareVisuals(input.images, (p) => ctx.resolvePath(p), { info, workdir: ctx.workdir, width, height, zoom, signal, warn: (m) => ctx.log.warn(m) });
        const all = [...(intro ? [intro.visual] : []), ...prepared, ...(outro ? [outro.visual] : [])];
        return { prepared, visuals: await toRawYuv(info, all, zoomedSize(width, height, zoom), ctx.workdir, signal) };
      })(),
    ] as const).then(([analysis, v]) => ({ ...v, analysis }));
    const beats = analysis && m?.onBeats ? loopedOnsets(analysis.onsets, analysis.durationSec, outSec) : [];
    // a scene never gets shorter than its two crossfades or half a second by moving onto a beat
    const snap = beats.length ? (b: number[]) => snapBoundsToBeats(b, beats, fps, { toleranceSec: m!.beatToleranceSec, minFrames: Math.round(Math.max(0.5, 2 * fadeSec) * fps) }) : undefined;
    const timeline = buildTimeline(durationSec, visuals.filter((v) => !v.brand).map((v) => v.weight), fps, fadeSec, snap, { introFrames, outroFrames });

    const fonts = prepareFonts(ctx.root, captionStyle.fontFile ? [ctx.resolvePath(captionStyle.fontFile)] : []);
    // the words are timed on the narration, which starts after the intro
    const clean = cleanWords(words, bodyFrames / fps).map((w) => (introSec ? { ...w, start: w.start + introSec, end: w.end + introSec } : w));
    const out: Partial<RenderOutput> = {};
    if (clean.length > 0) {
      out.srt = join(ctx.workdir, 'captions.srt');
      out.vtt = join(ctx.workdir, 'captions.vtt');
      writeFileSync(out.srt, toSrt(clean));
      writeFileSync(out.vtt, toVtt(clean));
    }
    // every character must have a glyph before the long pass: a missing one renders as an empty box
    const planFonts = (text: string, family: string) => planCaptionFonts(text, { family, mainFile: captionStyle.fontFile ? fonts.files.at(-1)! : fonts.mainFont, ownFiles: fonts.files, signal: ctx.signal });
    let captionsAss: string | undefined;
    if (burn) {
      const plan = await planFonts(clean.map((w) => w.text).join(' '), style.font);
      if (plan.dropped.length) ctx.log.warn(`captions: no font draws ${plan.dropped.join(' ')}; left out of the burned captions (kept in the .srt/.vtt)`);
      const drawable = clean.map((w) => ({ ...w, text: withoutEmoji(w.text, plan.dropped) })).filter((w) => w.text !== '');
      captionsAss = buildAss(drawable, { ...style, font: plan.family }, width, height, outSec, { language: ctx.language, bold: plan.scriptFont });
    }
    // scene titles join the caption script (one `ass` filter draws both); with no captions they get a script of their own
    const titles = sceneTitleTimes(visuals.map((v) => v.title), timeline);
    if (titles.length > 0 && !info.filters.has('ass')) {
      throw mpv2Error('E_DEPENDENCY_MISSING', `this ffmpeg (${info.ffmpeg}) has no \`ass\` filter (libass), needed to draw scene titles`, {
        hint: 'install an ffmpeg built with libass (Debian: `apt-get install ffmpeg`), or give the images no `title` (media.fetchImages `text: false`)',
      });
    }
    const titleColor = brand?.colors?.title && assColor(brand.colors.title, 'brand.colors.title');
    const outlineColor = brand?.colors?.outline && assColor(brand.colors.outline, 'brand.colors.outline');
    let burned = titles.length > 0 ? withSceneTitles(captionsAss, sceneTitleLines(titles, style, width, height, {
      font: brand?.titleFont, color: titleColor, outline: outlineColor,
    }), width, height) : captionsAss;
    // the cards' text joins the same script: drawn by the same `ass` filter, in the brand's title font
    const F = timeline.fadeFrames;
    const cards = [
      ...(intro?.text ? [{ text: intro.text, start: 0, end: (introFrames + F / 2) / fps, fadeIn: 0, fadeOut: F / fps }] : []),
      ...(outro?.text ? [{ text: outro.text, start: (introFrames + bodyFrames - F / 2) / fps, end: outSec, fadeIn: F / fps, fadeOut: 0 }] : []),
    ];
    if (cards.length > 0) {
      if (!info.filters.has('ass')) {
        throw mpv2Error('E_DEPENDENCY_MISSING', `this ffmpeg (${info.ffmpeg}) has no \`ass\` filter (libass), needed to draw the brand's intro and outro text`, {
          hint: 'install an ffmpeg built with libass (Debian: `apt-get install ffmpeg`), or give brand.intro/brand.outro a `file` instead of `text`',
        });
      }
      const plan = await planFonts(cards.map((c) => c.text.value).join(' '), brand?.titleFont ?? TITLE_FONT);
      const drawn = cards.map((c) => ({ ...c, text: { ...c.text, value: withoutEmoji(c.text.value, plan.dropped) } }));
      burned = withSceneTitles(burned, bumperLines(drawn, { font: plan.family, color: titleColor ?? '&H00FFFFFF', outline: outlineColor ?? '&H00000000' }, width, height), width, height);
    }
    const burnedFile = burned === undefined ? undefined : join(ctx.workdir, burn ? 'captions.ass' : 'titles.ass');
    if (burnedFile) writeFileSync(burnedFile, burned!);
    if (burn) out.ass = burnedFile;
    const titleAss = input.title && info.filters.has('ass') ? join(ctx.workdir, 'title.ass') : undefined;
    if (titleAss) {
      const plan = await planFonts(input.title!, brand?.titleFont ?? TITLE_FONT);
      const look = brand?.thumbnail;
      writeFileSync(titleAss, buildTitleAss(withoutEmoji(input.title!, plan.dropped), plan.family, width, height, outSec, plan.scriptFont, {
        position: look?.titlePosition, size: look?.titleSize, band: look?.band && assColor(look.band, 'brand.thumbnail.band'),
        color: look?.titleColor ? assColor(look.titleColor, 'brand.thumbnail.titleColor') : titleColor,
      }));
    }

    // the brand's logo is one more overlay in the same pass, under the captions
    const logo = brand?.logo && await prepareLogo(brand.logo, (f) => ctx.resolvePath(f), join(ctx.workdir, 'brand-logo.png'), width, height, { ...style, burned: burn });
    const file = join(ctx.workdir, input.output);
    const sheetFrames = sampleFrames(timeline.totalFrames, 9);
    const motion = await supportsFilter(info, "scale=w='2*round((32+2*n)/2)':h=-2:eval=frame") ? 'scale' as const : 'zoompan' as const;
    if (motion === 'zoompan') ctx.log.warn(`this ffmpeg (${info.version}) cannot scale per frame; Ken Burns uses zoompan, which moves less smoothly`);
    const rel = (p: string) => relative(ctx.workdir, p) || '.';
    const transitions = await crossfadeMode(info, cfg.crossfade);
    const plan = (choice: EncoderChoice) => buildGraph({
      width, height, fps, zoom, visuals, timeline,
      // measured at 1080x1920: xfade ~20 ms a frame, overlay or blend ~5; one shared blend keeps one set of buffers
      transitions,
      commandFile: 'transitions.cmd',
      scaleFlags: 'bilinear',
      motion,
      soundtrack: rel(soundtrack),
      captionsAss: burnedFile && rel(burnedFile),
      fontsDir: rel(fonts.dir),
      logo: logo && { file: rel(logo.file), x: logo.x, y: logo.y, ...((intro || outro) && { frames: [introFrames, introFrames + bodyFrames] as [number, number] }) },
      keyframes: input.contactSheet ? sheetFrames : [],
      output: rel(file),
      encoder: planEncoder(info, choice, { crf: draft ? input.crf + 2 : input.crf, preset: draft ? 'ultrafast' : input.preset, fps, threads: cfg.threads }),
    });
    const choice = input.encoder ?? cfg.encoder ?? 'libx264';
    const encoder = planEncoder(info, choice, { crf: 0, preset: '', fps }).name;
    if (choice !== 'libx264' && encoder === 'libx264') ctx.log.warn(`encoder ${choice} is not in this ffmpeg; using libx264`);
    const render = (c: EncoderChoice) => runFfmpeg(info.ffmpeg, logged(plan(c)), {
      cwd: ctx.workdir, signal: ctx.signal, durationSec: outSec,
      onProgress: (f) => ctx.progress({ fraction: 0.02 + f * 0.97, message: 'rendering' }),
    });
    const logged = (g: { args: string[]; commands?: string }) => {
      if (g.commands !== undefined) writeFileSync(join(ctx.workdir, 'transitions.cmd'), g.commands);
      ctx.log.debug('ffmpeg', { cwd: ctx.workdir, args: g.args });
      return g.args;
    };
    ctx.progress({ fraction: 0.02, message: 'rendering' });
    let used = encoder;
    try {
      await render(encoder as EncoderChoice);
    } catch (e) {
      if (encoder === 'libx264' || (isMpv2Error(e) && e.code === 'E_ABORTED')) throw e;
      ctx.log.warn(`hardware encoder ${encoder} failed; rendering again with libx264`, { error: (e as Error).message });
      used = 'libx264';
      await render('libx264');
    }
    ctx.progress({ fraction: 0.99, message: 'thumbnail and contact sheet' });
    const thumb = join(ctx.workdir, 'thumbnail.jpg');
    const sheet = join(ctx.workdir, 'contact-sheet.png');
    await Promise.all([
      input.thumbnail && makeThumbnail(info, {
        visual: prepared[0]!, width, height, zoom, titleAss: titleAss && rel(titleAss), fontsDir: rel(fonts.dir), template, logo: logo && { file: rel(logo.file), x: logo.x, y: logo.y }, out: thumb, cwd: ctx.workdir, signal: ctx.signal,
      }),
      input.contactSheet && makeContactSheet(info, {
        video: file, frames: sheetFrames, fps, width, height, columns: 3, fontFile: rel(fonts.mainFont), out: sheet, cwd: ctx.workdir, signal: ctx.signal,
      }),
    ]);
    // the raw and prepared stills were only inputs of this render; keep the step folder small
    for (const v of [...prepared, ...visuals]) if (v.file !== v.source) rmSync(v.file, { force: true });
    rmSync(soundtrack, { force: true });
    if (logo) rmSync(logo.file, { force: true });
    for (const b of [intro, outro]) if (b?.visual.kind === 'image') rmSync(b.visual.file, { force: true });
    const probe = await ffprobe(info, file, ctx.signal);
    const v = probe.streams.find((s) => s.codec_type === 'video');
    ctx.progress({ fraction: 1, message: 'done' });
    return {
      file,
      durationSec: Number(probe.format.duration ?? outSec),
      width: v?.width ?? width,
      height: v?.height ?? height,
      ...(input.thumbnail && { thumbnail: thumb }),
      ...(input.contactSheet && { contactSheet: sheet }),
      ...out,
      music: musicFile ?? null,
      attribution: pick?.attribution ?? null,
      encoder: used,
      ...(intro && { introSec }),
      ...(outro && { outroSec: outroFrames / fps }),
    };
  },
});

/** The crossfade method: what was asked for if this ffmpeg can do it, else the best it can. */
async function crossfadeMode(info: FfmpegInfo, asked: VideoConfig['crossfade']): Promise<'blend' | 'overlay' | 'xfade'> {
  const blend = (await filterTakesCommands(info, 'blend')) && info.filters.has('sendcmd') && info.filters.has('segment');
  if (asked === 'xfade' && info.filters.has('xfade')) return 'xfade';
  if (asked === 'overlay') return 'overlay';
  return blend ? 'blend' : 'overlay';
}

/** `builtin:music` (or `builtin:music/calm-pads.m4a`) names the music shipped with mpv2; anything else is a project path. */
function musicPath(ctx: { resolvePath(p: string): string }, p: string): string {
  const m = /^builtin:(.*)$/.exec(p);
  if (!m) return ctx.resolvePath(p);
  const assets = fileURLToPath(new URL('../../assets/', import.meta.url));
  // from dist/plugins/video the package root is one more level up
  const base = existsSync(assets) ? assets : fileURLToPath(new URL('../../../assets/', import.meta.url));
  const rel = normalize(m[1] || 'music');
  if (rel.startsWith('..') || isAbsolute(rel)) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `\`${p}\` must name a file or folder inside mpv2's assets`);
  return join(base, rel);
}
