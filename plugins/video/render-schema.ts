/** Input and output JSON Schemas of video.render. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { brandSchema } from './brand-schema.js';

// generic in the default so each colour keeps its literal in the derived type
const color = <D extends string>(d: string, def: D) => ({ type: 'string', pattern: '^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$', description: d, default: def }) as const;

/** An `images` entry given as an object (a media.fetchImages `files` entry, or a path with options). */
export const visualObject = {
  type: 'object',
  required: ['path'],
  properties: {
    path: { type: 'string', format: 'path', description: 'Path of the image or clip' },
    width: { type: 'number', description: 'Pixel width (informative)' },
    height: { type: 'number', description: 'Pixel height (informative)' },
    kind: { type: 'string', enum: ['image', 'video'], description: 'Still or clip (default: from the file extension)' },
    duration: { type: 'number', description: 'Clip length in seconds (informative)' },
    weight: { type: 'number', exclusiveMinimum: 0, description: 'Relative share of the timeline', default: 1 },
    title: { type: 'string', description: 'Scene title drawn over this visual while it is alone on screen (faded out before each crossfade); media.fetchImages gives generated visuals their keywords' },
  },
} as const satisfies JSONSchema;

export const renderInput = {
  type: 'object',
  additionalProperties: false,
  required: ['images'],
  properties: {
    images: {
      type: 'array',
      minItems: 1,
      description: 'Visuals in order: paths, or `files` objects from media.fetchImages. Stills get Ken Burns motion; video clips are trimmed or looped to their slot',
      items: {
        oneOf: [
          { type: 'string', format: 'path', description: 'Path of an image or video clip' },
          visualObject,
        ],
      },
    },
    audio: { type: 'string', format: 'path', description: 'Narration (WAV, M4A, MP3); sets the video length' },
    durationSec: { type: 'number', exclusiveMinimum: 0, description: 'Video length when there is no narration (default: 3 s per visual); with narration, pads or cuts it' },
    captions: {
      type: 'array',
      description: 'Word timings (tts.speak `words`), burned in and written as .srt/.vtt',
      items: {
        type: 'object',
        required: ['text', 'start', 'end'],
        properties: {
          text: { type: 'string', description: 'The word' },
          start: { type: 'number', description: 'Start, seconds' },
          end: { type: 'number', description: 'End, seconds' },
        },
      },
    },
    captionStyle: {
      type: 'object',
      additionalProperties: false,
      description: 'How burned-in captions look',
      default: {},
      properties: {
        style: { type: 'string', enum: ['karaoke', 'pop', 'classic', 'none'], default: 'karaoke', description: 'karaoke: short lines, spoken word highlighted; pop: 1–3 big words at a time; classic: plain short lines; none: sidecars only' },
        font: { type: 'string', default: 'Montserrat ExtraBold', description: 'Font family: Montserrat ExtraBold, Montserrat Black, Montserrat, DejaVu Sans, or the family of `fontFile`' },
        fontFile: { type: 'string', format: 'path', description: 'A .ttf/.otf to use (give its family in `font`)' },
        size: { type: 'number', exclusiveMinimum: 0, description: 'Font size in pixels for a 1080-pixel short side (default: karaoke 96, pop 116, classic 64)' },
        uppercase: { type: 'boolean', description: 'Upper-case the text (default: true for karaoke and pop)' },
        outline: { type: 'number', minimum: 0, description: 'Outline width in pixels at 1080 (default: 7 karaoke, 8 pop, 4 classic)' },
        position: { type: 'string', enum: ['top', 'center', 'bottom'], description: 'Where captions sit, inside the Shorts safe area (default: bottom; pop: center)' },
        colors: {
          type: 'object',
          additionalProperties: false,
          description: 'CSS hex colours (#RRGGBB or #RRGGBBAA)',
          properties: {
            text: color('Text colour', '#FFFFFF'),
            highlight: color('The spoken word (karaoke)', '#FFD400'),
            outline: color('Outline colour', '#000000'),
            shadow: color('Shadow colour', '#00000090'),
          },
        },
      },
    },
    brand: brandSchema,
    music: {
      type: 'object',
      additionalProperties: false,
      description: 'A music bed: a file, or a seeded pick from a folder; looped, faded, ducked under the voice',
      properties: {
        file: { type: 'string', format: 'path', description: 'A music file' },
        dir: { type: 'string', format: 'path', description: 'A folder to pick a track from (e.g. assets/music)' },
        mood: { type: 'string', minLength: 1, description: 'Pick from `<dir>/<mood>/` (a library by mood; tracks need licence sidecars). An upstream step may give it: `${{ steps.script.outputs.mood }}`' },
        normalize: { type: 'boolean', default: true, description: 'Bring the track to -14 LUFS (EBU R128) before `volume`, so quiet and loud tracks sit at one level under the voice' },
        onBeats: { type: 'boolean', default: true, description: 'Move scene changes onto the music\'s onsets (within `beatToleranceSec`)' },
        beatToleranceSec: { type: 'number', minimum: 0, maximum: 1, default: 0.25, description: 'How far a scene change may move to land on an onset, seconds' },
        volume: { type: 'number', minimum: 0, maximum: 4, default: 0.12, description: 'Linear gain of the music' },
        duck: { type: 'boolean', default: true, description: 'Lower the music while the narration speaks (sidechain compression)' },
        seed: { type: ['string', 'number'], description: 'Seed for the pick from `dir` (default: derived from the inputs, so a re-run picks the same track)' },
        fadeIn: { type: 'number', minimum: 0, default: 1.5, description: 'Fade-in, seconds' },
        fadeOut: { type: 'number', minimum: 0, default: 2.5, description: 'Fade-out, seconds' },
      },
    },
    title: { type: 'string', description: 'Drawn on the thumbnail' },
    aspect: { type: 'string', enum: ['9:16', '16:9', '1:1'], default: '9:16', description: 'Frame shape: 1080x1920, 1920x1080 or 1080x1080' },
    quality: { type: 'string', enum: ['final', 'draft'], description: 'draft: half size (540x960), fastest settings, for iteration (default: config `video.quality`, else final)' },
    fps: { type: 'integer', minimum: 1, maximum: 120, default: 30, description: 'Frames per second' },
    crf: { type: 'integer', minimum: 0, maximum: 51, default: 24, description: 'x264 constant rate factor (lower = better, bigger)' },
    preset: { type: 'string', enum: ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'], default: 'superfast', description: 'x264 preset (superfast + crf 24: SSIM 0.978 against slow/crf 16, a third of the CPU of the naive zoompan render; see docs/plugins/video.md)' },
    encoder: { type: 'string', enum: ['libx264', 'auto-hw', 'h264_nvenc', 'h264_qsv', 'h264_vaapi'], description: 'Video encoder; a hardware one is used when present and falls back to libx264 (default: config `video.encoder`, else libx264)' },
    kenBurns: { type: 'number', minimum: 1, maximum: 1.5, default: 1.12, description: 'Ken Burns zoom factor for stills (1 = no motion)' },
    transition: { type: 'string', enum: ['crossfade', 'cut'], default: 'crossfade', description: 'Transition between visuals' },
    transitionSec: { type: 'number', minimum: 0, maximum: 3, default: 0.5, description: 'Crossfade length, seconds' },
    thumbnail: { type: 'boolean', default: true, description: 'Write thumbnail.jpg (a frame with the title)' },
    contactSheet: { type: 'boolean', default: true, description: 'Write contact-sheet.png (a 3x3 grid of frames)' },
    // a leading `-` would make ffmpeg read the name as an option (`-y.mp4`), a leading `.` hides the file
    output: { type: 'string', pattern: '^\\w[\\w.-]*\\.mp4$', default: 'video.mp4', description: 'File name of the video in the step folder: letters, digits, `_`, `.`, `-`, beginning with a letter, digit or `_`, ending in .mp4' },
  },
} as const satisfies JSONSchema;

export const renderOutput = {
  type: 'object',
  required: ['file', 'durationSec', 'width', 'height'],
  properties: {
    file: { type: 'string', format: 'path', description: 'The MP4 (H.264 yuv420p + AAC, faststart)' },
    durationSec: { type: 'number', description: 'Length in seconds (the brand\'s intro and outro included)' },
    width: { type: 'integer', description: 'Frame width' },
    height: { type: 'integer', description: 'Frame height' },
    thumbnail: { type: 'string', format: 'path', description: 'JPEG frame with the title drawn on it' },
    contactSheet: { type: 'string', format: 'path', description: 'PNG grid of frames' },
    srt: { type: 'string', format: 'path', description: 'SubRip captions' },
    vtt: { type: 'string', format: 'path', description: 'WebVTT captions' },
    ass: { type: 'string', format: 'path', description: 'The ASS script that was burned in' },
    music: { type: ['string', 'null'], description: 'The music file used' },
    attribution: { type: ['string', 'null'], description: "The music's licence sidecar text (title, author, licence, url), for the description; null without music or sidecar" },
    encoder: { type: 'string', description: 'The video encoder used' },
    introSec: { type: 'number', description: 'Length of the brand\'s intro at the start of the video (the narration and captions start after it); absent without one' },
    outroSec: { type: 'number', description: 'Length of the brand\'s outro at the end; absent without one' },
  },
} as const satisfies JSONSchema;

/**
 * An `images` entry. ajv applies no default inside a `oneOf` branch, so `weight` may be absent
 * from an object entry (and a path string has none): the defaulted fields stay optional here.
 */
export type VisualInput = string | FromSchema<typeof visualObject, { keepDefaultedPropertiesOptional: true }>;

/** `with` as `run` gets it: validated, defaults filled (`images` entries as above). */
export type RenderInput = Omit<FromSchema<typeof renderInput>, 'images'> & { images: VisualInput[] };
export type RenderOutput = FromSchema<typeof renderOutput>;
/** `captionStyle` as `run` gets it (its own `default: {}` makes it always present). */
export type CaptionStyleInput = RenderInput['captionStyle'];
