/**
 * One post through the Content Posting API: init (direct or inbox) → the publish_id saved at
 * once → the chunks, in order, each sent again whole when it breaks and resumed at the next one
 * TikTok has not acknowledged → status/fetch until PUBLISH_COMPLETE (SEND_TO_USER_INBOX for a
 * draft) or FAILED. Reconciliation asks status/fetch through the saved publish_id.
 *
 * The point of no return is the last chunk (or the init of PULL_FROM_URL): before it TikTok
 * holds an incomplete upload that can never be posted, so failures are marked `notDone`; after
 * it they may have posted and are left in doubt.
 */
import { createReadStream } from 'node:fs';
import { abortableSleep, classifyHttpError, isMpv2Error, mayBeDone, mpv2Error, notDone, pluginError, type StepContext } from 'mpv2/plugin';
import { chunkRange, type ChunkPlan } from './chunks.js';
import type { TiktokApi } from './client.js';
import type { TiktokConfig } from './config.js';
import type { Prepared } from './prepare.js';
import type { UploadRecord, UploadState } from './record.js';
import type { Posted, UploadInput } from './schema.js';

interface StatusData { status?: string; fail_reason?: string; publicaly_available_post_id?: Array<string | number>; uploaded_bytes?: number }
interface InitData { publish_id: string; upload_url?: string }

const DONE = new Set(['PUBLISH_COMPLETE', 'SEND_TO_USER_INBOX']);

export class Poster {
  constructor(
    private readonly ctx: StepContext,
    private readonly cfg: TiktokConfig,
    private readonly api: TiktokApi,
    private readonly input: UploadInput,
    private readonly prep: Prepared,
    private readonly record: UploadRecord,
  ) {}

  private initBody(): unknown {
    const s = this.prep.source;
    const source_info = s.kind === 'file'
      ? { source: 'FILE_UPLOAD', video_size: s.plan.videoSize, chunk_size: s.plan.chunkSize, total_chunk_count: s.plan.totalChunkCount }
      : { source: 'PULL_FROM_URL', video_url: s.url };
    if (this.input.mode === 'draft') return { source_info };
    const i = this.input;
    return {
      post_info: {
        title: this.prep.title, privacy_level: i.privacyLevel, disable_comment: i.disableComment, disable_duet: i.disableDuet, disable_stitch: i.disableStitch,
        brand_content_toggle: i.brandContentToggle, brand_organic_toggle: i.brandOrganicToggle, is_aigc: i.isAigc,
        ...(i.videoCoverTimestampMs !== undefined ? { video_cover_timestamp_ms: i.videoCoverTimestampMs } : {}),
      },
      source_info,
    };
  }

  /** The act: everything from init to a final status. */
  async post(username: string | undefined): Promise<Posted> {
    const prev = await this.record.get();
    let state: UploadState;
    if (prev?.publishId && prev.uploadUrl && this.record.live(prev) && this.samePlan(prev.plan)) {
      state = prev;
      this.ctx.log.info(`resuming the upload of an earlier attempt (publish_id ${prev.publishId}) at chunk ${prev.acked + 1}`);
    } else {
      const path = this.input.mode === 'draft' ? '/v2/post/publish/inbox/video/init/' : '/v2/post/publish/video/init/';
      const init = await this.api.post<InitData>(path, this.initBody(), 'video init').catch((e: unknown) => {
        // a pulled video is posted by the init itself; an uploaded one needs its bytes first
        throw this.prep.source.kind === 'file' ? notDone(e) : e;
      });
      state = { account: this.api.account, username, publishId: init.publish_id, uploadUrl: init.upload_url, acked: 0, startedAt: new Date().toISOString(), ...(this.prep.source.kind === 'file' && { plan: this.prep.source.plan }) };
      await this.record.set(state);
    }
    if (this.prep.source.kind === 'file') await this.sendChunks(state);
    return this.waitForFinal(state).catch(async (e: unknown) => {
      // FAILED: that publish is over; the next attempt starts a new one
      if (isFailed(e)) { await this.record.clear(); throw e; }
      // every byte was sent: whatever failed now, the post may exist
      throw mayBeDone(e);
    });
  }

  private samePlan(p: ChunkPlan | undefined): boolean {
    const s = this.prep.source;
    return s.kind === 'url' || (p?.videoSize === s.plan.videoSize && p.chunkSize === s.plan.chunkSize);
  }

  private async sendChunks(state: UploadState): Promise<void> {
    const s = this.prep.source;
    if (s.kind !== 'file' || !state.uploadUrl) throw notDone(mpv2Error('E_HTTP', 'TikTok answered the init without an upload_url', { retryable: true }));
    const { plan } = s;
    for (let i = state.acked; i < plan.totalChunkCount; i++) {
      const last = i === plan.totalChunkCount - 1;
      try {
        await this.sendChunk(state.uploadUrl, plan, i, s.path, s.mime);
      } catch (e) {
        // TikTok refused the chunk itself (a range it does not expect): this upload cannot go on,
        // so the next attempt starts a new one instead of resuming it
        const status = isMpv2Error(e) ? e.status ?? 0 : 0;
        if (status >= 400 && status < 500 && !last) await this.record.clear();
        // before the last chunk nothing can have been posted
        throw last ? mayBeDone(e) : notDone(e);
      }
      state.acked = i + 1;
      await this.record.set(state);
      const { end } = chunkRange(plan, i);
      this.ctx.progress({ fraction: (end + 1) / plan.videoSize, message: `uploaded chunk ${i + 1} of ${plan.totalChunkCount}` });
    }
  }

  /** PUT one chunk with Content-Range; a broken one is sent again whole. */
  private async sendChunk(url: string, plan: ChunkPlan, i: number, path: string, mime: string): Promise<void> {
    const { start, end } = chunkRange(plan, i);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ctx.http.put(url, createReadStream(path, { start, end }), {
          headers: { 'Content-Type': mime, 'Content-Length': String(end - start + 1), 'Content-Range': `bytes ${start}-${end}/${plan.videoSize}` },
          maxBodyLength: Infinity, maxContentLength: Infinity, signal: this.ctx.signal,
        });
        return;
      } catch (e) {
        const err = classifyHttpError(e, `TikTok chunk ${i + 1} of ${plan.totalChunkCount}`);
        if (!err.retryable || attempt >= this.cfg.maxChunkAttempts || this.ctx.signal.aborted) throw err;
        this.ctx.log.warn(`${err.message}; sending chunk ${i + 1} again (try ${attempt + 1} of ${this.cfg.maxChunkAttempts})`);
      }
    }
  }

  async status(publishId: string): Promise<StatusData> {
    return this.api.post<StatusData>('/v2/post/publish/status/fetch/', { publish_id: publishId }, 'status/fetch');
  }

  /** Polls until a final status; FAILED throws tiktok/PUBLISH_FAILED (nothing was posted). */
  async waitForFinal(state: UploadState): Promise<Posted> {
    for (let n = 1; ; n++) {
      const st = await this.status(state.publishId!);
      if (st.status && DONE.has(st.status)) return this.result(state, st);
      if (st.status === 'FAILED') {
        throw pluginError('tiktok/PUBLISH_FAILED', `TikTok could not post the video (publish_id ${state.publishId}): ${st.fail_reason ?? 'no reason given'}`, {
          hint: failHint(st.fail_reason), notDone: true, details: { failReason: st.fail_reason, publishId: state.publishId },
        });
      }
      if (n >= this.cfg.maxPolls) {
        throw pluginError('tiktok/STILL_PROCESSING', `TikTok is still processing publish_id ${state.publishId} (${st.status ?? 'no status'}) after ${n} looks`, { hint: 'run again later: the next run asks TikTok through the saved publish_id and posts nothing twice', retryable: true, retryAfterMs: 60_000 });
      }
      await abortableSleep(this.cfg.pollIntervalMs, this.ctx.signal);
    }
  }

  /**
   * After a crash: the saved publish_id's status. Done → the post; FAILED, unknown, or an upload
   * missing bytes → undefined (the act runs again, resuming a live upload URL).
   */
  async reconcile(): Promise<Posted | undefined> {
    const state = await this.record.get();
    if (!state?.publishId) {
      if (this.prep.source.kind === 'file') return undefined; // no publish_id: no bytes were ever sent
      throw mpv2Error('E_EFFECT_IN_DOUBT', 'an earlier attempt asked TikTok to pull the video and stopped before TikTok answered with a publish_id, so mpv2 cannot ask about it', {
        hint: 'look in the TikTok app; then `mpv2 effects resolve <key> --done` or `--retry` (the key is in `mpv2 effects list`)',
      });
    }
    let st: StatusData;
    try {
      st = await this.status(state.publishId);
    } catch (e) {
      if (isMpv2Error(e) && e.details?.tiktokCode === 'invalid_publish_id') return undefined;
      throw e;
    }
    if (st.status === 'FAILED') { await this.record.clear(); return undefined; }
    const s = this.prep.source;
    if (s.kind === 'file' && (state.acked < (state.plan?.totalChunkCount ?? 1)) && (st.uploaded_bytes ?? 0) < s.bytes) return undefined;
    return this.waitForFinal(state).catch(async (e: unknown) => {
      if (isFailed(e)) { await this.record.clear(); return undefined; }
      throw e;
    });
  }

  private result(state: UploadState, st: StatusData): Posted {
    const postIds = (st.publicaly_available_post_id ?? []).map(String);
    const draft = this.input.mode === 'draft';
    const url = postIds[0] && state.username ? `https://www.tiktok.com/@${state.username}/video/${postIds[0]}` : '';
    const note = url ? ''
      : draft ? 'sent to the creator\'s TikTok inbox as a draft: the creator finishes the post in the app, so there is no URL yet'
        : postIds[0] ? `TikTok gave post id ${postIds[0]} but not the creator's username, so no URL`
          : `posted ${this.input.privacyLevel}: TikTok gives no public id for a post only some people can see (and none before moderation ends), so there is no URL; publish_id ${state.publishId}`;
    return { publishId: state.publishId!, status: st.status!, postIds, url, account: state.account, mode: this.input.mode, privacyLevel: draft ? '' : this.input.privacyLevel, note };
  }
}

const isFailed = (e: unknown) => isMpv2Error(e) && (e as { pluginCode?: string }).pluginCode === 'tiktok/PUBLISH_FAILED';

function failHint(reason: string | undefined): string {
  switch (reason) {
    case 'file_format_check_failed': return 'TikTok takes MP4 (recommended), WebM or MOV with H.264/H.265/VP8/VP9';
    case 'duration_check_failed': return 'the video is too long or too short for this creator';
    case 'frame_rate_check_failed': return 'use a frame rate between 23 and 60 fps';
    case 'picture_size_check_failed': return 'the sides must be 360–4096 px';
    case 'spam_risk_too_many_posts': return 'the creator reached today\'s post limit: try tomorrow or rotate accounts';
    case 'video_pull_failed': return 'TikTok could not download videoUrl: check it is reachable and under a verified prefix';
    default: return 'fix what the reason names and run again; see docs/plugins/tiktok.md';
  }
}
