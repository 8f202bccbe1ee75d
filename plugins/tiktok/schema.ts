/** `with` and outputs of tiktok.upload; the types come from the schemas. */
import { accountInputSchema, postAtSchema, type FromSchema, type JSONSchema } from 'mpv2/plugin';

export const PRIVACY_LEVELS = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'] as const;

export const uploadInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    video: { type: 'string', format: 'path', description: 'The video file (MP4/WebM/MOV), sent with FILE_UPLOAD in TikTok\'s chunks.' },
    videoUrl: { type: 'string', description: 'Instead of `video`: a URL TikTok pulls (PULL_FROM_URL); it must start with a prefix listed in tiktok.verifiedUrlPrefixes.' },
    title: { type: 'string', default: '', description: 'The caption, with #hashtags and @mentions (at most 2200 UTF-16 units). Direct posts only.' },
    publishAt: postAtSchema,
    mode: { enum: ['direct', 'draft'], default: 'direct', description: '`direct`: posted at once (scope video.publish); `draft`: sent to the creator\'s inbox to finish in the app (scope video.upload).' },
    privacyLevel: { enum: PRIVACY_LEVELS, default: 'SELF_ONLY', description: 'Who may see a direct post; must be one creator_info lists. Unaudited apps may only post SELF_ONLY.' },
    disableComment: { type: 'boolean', default: false, description: 'Turn comments off.' },
    disableDuet: { type: 'boolean', default: false, description: 'Turn duets off.' },
    disableStitch: { type: 'boolean', default: false, description: 'Turn stitches off.' },
    videoCoverTimestampMs: { type: 'integer', minimum: 0, description: 'The frame used as cover, in ms from the start.' },
    brandContentToggle: { type: 'boolean', default: false, description: 'A paid partnership promoting a third-party brand.' },
    brandOrganicToggle: { type: 'boolean', default: false, description: 'Promotes the creator\'s own business.' },
    isAigc: { type: 'boolean', default: false, description: 'Label the video as AI-generated content.' },
    account: accountInputSchema('tiktok', 'A tiktok account name, or a rotation over the tiktok accounts (`{ platform: tiktok, pick, niche, language, names }`). Empty: round-robin over all.'),
  },
} as const satisfies JSONSchema;

export type UploadInput = FromSchema<typeof uploadInputSchema>;

export const uploadOutputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['publishId', 'status', 'postIds', 'url', 'account', 'mode', 'privacyLevel', 'uploaded', 'note'],
  properties: {
    publishId: { type: 'string', description: 'TikTok\'s id of this publish action (status/fetch takes it).' },
    status: { type: 'string', description: '`PUBLISH_COMPLETE` (direct), `SEND_TO_USER_INBOX` (draft), or `dry-run`.' },
    postIds: { type: 'array', items: { type: 'string' }, description: 'Public post ids TikTok gave (none for private posts or drafts).' },
    url: { type: 'string', description: 'The post\'s URL, or empty when TikTok gives no public id (see `note`).' },
    account: { type: 'string' },
    mode: { enum: ['direct', 'draft'] },
    privacyLevel: { type: 'string' },
    uploaded: { type: 'boolean', description: 'True when this step posted; false when it returned an earlier run\'s post.' },
    note: { type: 'string', description: 'Why there is no URL, when there is none.' },
  },
} as const satisfies JSONSchema;

export type UploadOutput = FromSchema<typeof uploadOutputSchema>;
/** The effect's result: what the output holds but `uploaded`. */
export type Posted = Omit<UploadOutput, 'uploaded'>;
