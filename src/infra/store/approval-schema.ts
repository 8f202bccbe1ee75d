/**
 * The approval record as a JSON Schema: the store's type comes from it, and the REST API's
 * OpenAPI document and the `--json` listing describe approvals with the same schema.
 */
import type { FromSchema } from 'json-schema-to-ts';

export const approvalPreviewSchema = {
  type: 'object',
  description: 'What a person sees before deciding: what the effect\'s dry run would write, and its files',
  additionalProperties: false,
  required: ['key', 'wouldDo', 'files'],
  properties: {
    key: { type: 'string', description: 'The effect key that waits (`<plugin>:<key>`)' },
    wouldDo: { description: 'The effect\'s `describe` (secrets redacted), exactly what `--dry-run` writes as `wouldDo`' },
    files: { type: 'array', items: { type: 'string' }, description: 'Files the description names that sit in the run\'s folder (the video, the thumbnail), relative to that folder' },
    postAt: { type: 'string', format: 'date-time', description: 'When the post goes out once approved: the posting slot reserved for it (held while the approval waits), or the step\'s `publishAt`. Approved after that time, it posts at once' },
  },
} as const;

export const approvalRecordSchema = {
  type: 'object',
  description: 'One step (or `foreach` item) of a run that may act only once a person approves it',
  additionalProperties: false,
  required: ['id', 'runId', 'stepId', 'index', 'plugin', 'preview', 'status', 'createdAt'],
  properties: {
    id: { type: 'string', description: 'Derived from run, step and item (`ap-` and 12 hex digits), so a resume while pending finds the same record' },
    runId: { type: 'string' },
    stepId: { type: 'string' },
    index: { type: 'integer', minimum: -1, description: '-1 for the step as a whole; the item index inside `foreach`' },
    plugin: { type: 'string', description: 'The plugin id' },
    preview: approvalPreviewSchema,
    status: { enum: ['pending', 'approved', 'rejected'] },
    createdAt: { type: 'string', format: 'date-time' },
    decidedAt: { type: 'string', format: 'date-time' },
    note: { type: 'string', description: 'The note given with the decision (a rejection\'s reason)' },
    inputHash: { type: 'string', description: 'sha256 of the step\'s inputs (secrets redacted) the preview was made from: an approval lets the step act only on those inputs' },
  },
} as const;

export type ApprovalPreview = FromSchema<typeof approvalPreviewSchema>;
export type ApprovalRecord = FromSchema<typeof approvalRecordSchema>;
export type ApprovalStatus = ApprovalRecord['status'];
