/** Input and output JSON Schemas of media.fetchImages. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { MAX_COUNT } from './plan.js';

export const fetchImagesInput = {
  type: 'object',
  additionalProperties: false,
  properties: {
    queries: {
      description: 'What to show: a list of queries (one image each by default), or one query with `count`. With `script`: one query per sentence. `queries` or `script` is required.',
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1, items: { type: 'string' } },
      ],
    },
    script: { type: 'string', minLength: 1, description: 'The narration: one image per sentence, found with the sentence\'s keywords (or with `queries`, one per sentence) and checked against the sentence.' },
    minRelevance: {
      type: 'number', minimum: 0, maximum: 1,
      description: 'Candidates that describe themselves (tags, alt text, URL slug, sidecar tags) and score below this against their sentence or query are skipped: the next one is tried, then a broader query. Default: 0.3 with `script`, else 0 (no check).',
    },
    library: { type: 'string', format: 'path', description: 'A folder (or glob) of your own images and clips inside the project, searched first by file name and sidecar tags. Default: `media.library`.' },
    count: { type: 'integer', minimum: 1, maximum: MAX_COUNT, description: 'Total number of files; spread over the queries in order. Default: one per query.' },
    aspect: { type: 'string', enum: ['9:16', '16:9', '1:1'], default: '9:16', description: 'Target aspect: 9:16 → 1080x1920, 16:9 → 1920x1080, 1:1 → 1080x1080.' },
    provider: {
      type: 'string',
      enum: ['generate', 'local', 'pexels', 'pixabay', 'openai-images'],
      default: 'generate',
      description: 'Where images come from: `generate` (offline, sharp), `local` (a folder or glob), `pexels`, `pixabay`, `openai-images`.',
    },
    seed: { oneOf: [{ type: 'string' }, { type: 'integer' }], description: 'Makes `generate` and `local` deterministic. Default: derived from the queries.' },
    type: { type: 'string', enum: ['photo', 'video', 'mixed'], default: 'photo', description: 'Photos, short video clips (pexels, pixabay, local), or both alternating (clip first).' },
    fit: { type: 'string', enum: ['cover', 'contain'], default: 'cover', description: '`cover` fills the frame with a smart crop; `contain` shows the whole picture on `background`.' },
    position: { type: 'string', enum: ['attention', 'entropy', 'center'], default: 'attention', description: 'What a `cover` crop keeps: the most salient part (`attention`), the busiest (`entropy`), or the centre.' },
    background: {
      type: 'string',
      default: 'blur',
      pattern: '^(blur|#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|rgba?\\([0-9.,%\\s]+\\))$',
      description: 'Behind a `contain` image: `blur` (a blurred, darkened copy of it), or a colour as `#rrggbb`, `#rgb`, `#rrggbbaa` or `rgb(…)`.',
    },
    format: { type: 'string', enum: ['jpeg', 'png'], default: 'jpeg', description: 'File format of the images written.' },
    path: { type: 'string', format: 'path', description: 'For `provider: local`: a folder or a glob (`photos/**/*.jpg`) inside the project.' },
    concurrency: { type: 'integer', minimum: 1, maximum: 16, default: 4, description: 'Images fetched and processed at the same time (requests are further bounded by the provider\'s limit).' },
    text: { type: 'boolean', default: true, description: 'For `provider: generate`: give each file a `title` (the query\'s keywords) that video.render draws over its scene. The stills themselves never carry text.' },
  },
} as const satisfies JSONSchema;

const fileSchema = {
  type: 'object',
  required: ['path', 'kind', 'width', 'height', 'source', 'author', 'url', 'license', 'query'],
  properties: {
    path: { type: 'string', description: 'Absolute path of the file in the step folder.' },
    kind: { type: 'string', enum: ['image', 'video'], description: '`image`, or `video` for clips.' },
    width: { type: 'integer', description: 'Width in pixels.' },
    height: { type: 'integer', description: 'Height in pixels.' },
    duration: { type: 'number', description: 'Length in seconds (clips only).' },
    source: { type: 'string', description: 'The provider it came from.' },
    id: { type: 'string', description: 'The provider\'s id (or the file\'s path for `local`).' },
    author: { type: 'string', description: 'Photographer or uploader (empty when unknown).' },
    authorUrl: { type: 'string', description: 'The author\'s page.' },
    url: { type: 'string', description: 'The page of the photo or clip.' },
    license: { type: 'string', description: 'Licence it is used under.' },
    query: { type: 'string', description: 'The query it answers.' },
    title: { type: 'string', description: 'Scene title for video.render to draw over this visual (`provider: generate` with `text: true`): the query\'s keywords.' },
    sentence: { type: 'string', description: 'The script sentence it illustrates (with `script`).' },
    match: {
      type: 'object',
      required: ['score', 'reason', 'considered'],
      description: 'How it was chosen: its relevance score, why, and every candidate looked at for this slot.',
      properties: {
        score: { type: ['number', 'null'], description: '0..1 against the sentence (or query); null when the provider describes nothing (generated images).' },
        reason: { type: 'string', description: 'Why it was chosen.' },
        considered: {
          type: 'array',
          items: {
            type: 'object',
            required: ['source', 'id', 'query', 'score', 'verdict'],
            properties: {
              source: { type: 'string', description: 'The provider, or `local` for a library file.' },
              id: { type: 'string', description: 'The provider\'s id, or the file\'s path.' },
              query: { type: 'string', description: 'The query (or `library`) that offered it.' },
              score: { type: ['number', 'null'], description: '0..1 against the sentence (or query); null when it describes nothing.' },
              verdict: { type: 'string', enum: ['chosen', 'skipped'], description: 'Whether this candidate became the file.' },
              reason: { type: 'string', description: 'Why it was chosen or skipped.' },
            },
          },
        },
      },
    },
  },
} as const satisfies JSONSchema;

export const fetchImagesOutput = {
  type: 'object',
  required: ['files', 'attribution'],
  properties: {
    files: { type: 'array', items: fileSchema, description: 'The files, in query order; never shorter than `count`.' },
    attribution: { type: 'string', description: 'Credits to paste in a video description: one line per author.' },
  },
} as const satisfies JSONSchema;

/** `with` of media.fetchImages as `run` gets it: ajv has filled in the defaults. */
export type FetchImagesInput = FromSchema<typeof fetchImagesInput>;
export type FetchImagesOutput = FromSchema<typeof fetchImagesOutput>;
/** One fetched file, as the step outputs it. */
export type MediaFile = FetchImagesOutput['files'][number];
