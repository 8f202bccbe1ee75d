/** Input and output JSON Schemas of youtube.upload. */
import { accountInputSchema, type FromSchema, type JSONSchema } from 'mpv2/plugin';

export const uploadInputSchema = {
  type: 'object',
  required: ['video', 'title'],
  additionalProperties: false,
  properties: {
    account: accountInputSchema('youtube', 'The account: a name from `mpv2 accounts list`, or a rotation `{ platform: youtube, pick: round-robin | least-recent | random, niche, language, names }`. Empty: any youtube account (round-robin); with none configured the step is skipped.'),
    driver: { enum: ['api', 'browser'], description: 'Override the account\'s driver: `api` (YouTube Data API v3, OAuth) or `browser` (YouTube Studio in the account\'s Chromium profile).' },
    video: { type: 'string', format: 'path', description: 'The video file (MP4, MOV, WebM …).' },
    title: { type: 'string', description: 'Title: at most 100 characters, no "<" or ">".' },
    description: { type: 'string', default: '', description: 'Description: at most 5000 bytes (UTF-8), no "<" or ">".' },
    tags: { type: 'array', items: { type: 'string' }, default: [], description: 'Tags (a leading # is dropped): at most 500 characters in total, counting commas and quotes around tags with spaces.' },
    categoryId: { type: 'string', default: '22', description: 'YouTube category id (22 People & Blogs, 27 Education, 28 Science & Technology, 24 Entertainment …).' },
    language: { type: 'string', description: 'Language of title, description and audio (BCP 47, e.g. `en`, `fr`).' },
    visibility: { enum: ['private', 'unlisted', 'public'], default: 'private', description: 'Who can watch it. With `publishAt` it must be `private`.' },
    publishAt: { type: 'string', description: 'Schedule: ISO 8601 time in the future (e.g. `2030-01-31T18:00:00Z`) when YouTube makes the private video public, or `next-slot`: the account\'s next free posting slot (`mpv2 accounts add … --slots`), reserved so no other run takes it.' },
    madeForKids: { type: 'boolean', default: false, description: 'The audience declaration: made for kids (COPPA).' },
    syntheticMedia: { type: 'boolean', default: false, description: 'The altered or synthetic content disclosure (realistic AI-made people, places or events).' },
    thumbnail: { type: 'string', format: 'path', description: 'Custom thumbnail (PNG or JPEG, at most 2 MB; the channel must be verified).' },
    captions: { type: 'string', format: 'path', description: 'Caption track (.srt or .vtt, e.g. `steps.video.outputs.srt`); api driver only.' },
    captionsLanguage: { type: 'string', description: 'Language of the captions; `language` or `en` when not set.' },
    playlist: { type: 'string', description: 'Playlist id (`PL…`) to add the video to; api driver only.' },
  },
} as const satisfies JSONSchema;

export const uploadOutputSchema = {
  type: 'object',
  required: ['videoId', 'url', 'status'],
  properties: {
    videoId: { type: 'string', description: 'The YouTube video id (empty in a dry run).' },
    url: { type: 'string', description: 'https://www.youtube.com/watch?v=<id>.' },
    status: { type: 'string', description: 'Upload status reported by YouTube (`uploaded`, `processed` …); `dry-run` in a dry run; `resolved-by-hand` after `mpv2 effects resolve --done` when the video was not found.' },
    account: { type: 'string', description: 'The account the video went to.' },
    driver: { enum: ['api', 'browser'], description: 'The driver used.' },
    visibility: { enum: ['private', 'unlisted', 'public'], description: 'Visibility set on the video.' },
    publishAt: { type: 'string', description: 'Scheduled publication time, when set.' },
    uploaded: { type: 'boolean', description: 'True when this run uploaded; false when an earlier run had (recorded or reconciled).' },
    thumbnail: { enum: ['set', 'skipped', 'none'], description: 'Whether the custom thumbnail was set.' },
    captions: { enum: ['inserted', 'skipped', 'none'], description: 'Whether the caption track was inserted.' },
    playlistItemId: { type: 'string', description: 'The playlist item, when added to a playlist.' },
  },
} as const satisfies JSONSchema;

/** `with` of youtube.upload, after the engine filled the defaults. */
export type UploadInput = FromSchema<typeof uploadInputSchema>;
export type UploadOutput = FromSchema<typeof uploadOutputSchema>;
