/** `with` and outputs of bluesky.post; the types come from the schemas. */
import { accountInputSchema, postAtSchema, type FromSchema, type JSONSchema } from 'mpv2/plugin';

export const postInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: {
    text: { type: 'string', description: 'The post text (at most 300 graphemes); links, #hashtags and @handle mentions become facets.' },
    video: { type: 'string', format: 'path', description: 'A video (MP4, WebM, MOV, MPEG; at most 100 MB and 3 minutes), uploaded through the video service.' },
    videoAlt: { type: 'string', maxLength: 1000, description: 'Alt text of the video.' },
    images: {
      type: 'array', maxItems: 4, description: 'Up to 4 images (JPEG, PNG, WebP, GIF; at most 1,000,000 bytes each); not with `video`.',
      items: { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', format: 'path' }, alt: { type: 'string', default: '' } } },
    },
    publishAt: postAtSchema,
    replyTo: { type: 'string', pattern: '^at://[^/]+/app\\.bsky\\.feed\\.post/[^/]+$', description: 'The at:// URI of the post this one answers (threads: the root is taken from it).' },
    langs: { type: 'array', maxItems: 3, items: { type: 'string', minLength: 2 }, description: 'Languages of the text (BCP-47, e.g. en, pt-BR).' },
    account: accountInputSchema('bluesky', 'A bluesky account name, or a rotation over the bluesky accounts. Empty: round-robin over all.'),
  },
} as const satisfies JSONSchema;

export type PostInput = FromSchema<typeof postInputSchema>;

export const postOutputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uri', 'cid', 'url', 'account', 'posted'],
  properties: {
    uri: { type: 'string', description: 'The at:// URI of the post (give it as `replyTo` to continue a thread).' },
    cid: { type: 'string', description: 'The CID of the post record.' },
    url: { type: 'string', description: 'The post on the Bluesky app.' },
    account: { type: 'string' },
    posted: { type: 'boolean', description: 'True when this step posted; false when it returned an earlier run\'s post.' },
  },
} as const satisfies JSONSchema;

export type PostOutput = FromSchema<typeof postOutputSchema>;
export type Posted = Omit<PostOutput, 'posted'>;
