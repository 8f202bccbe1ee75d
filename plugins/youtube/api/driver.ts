/**
 * The `api` driver: YouTube Data API v3 with OAuth refresh tokens. Uploads resumably (and
 * resumes a session a crashed run left behind), then reports the video; reconciliation asks
 * the stored session first, then the channel's recent uploads.
 */
import { mayBeDone, mpv2Error, notDone } from 'mpv2/plugin';
import type { Account, StepContext } from 'mpv2/plugin';
import type { YoutubeConfig } from '../config.js';
import { QuotaTracker, type QuotaMethod } from '../quota.js';
import type { SessionRecord } from '../session-record.js';
import { videoUrl, type UploadedVideo, type UploadRequest } from '../types.js';
import { YoutubeApi } from './client.js';
import { addToPlaylist, findCaptions, findPlaylistItem, insertCaptions, setThumbnail } from './extras.js';
import { TokenSource } from './oauth.js';
import { findUploaded } from './reconcile.js';
import { initiateUpload, querySession, sendFile, videoMime, type VideoResource } from './resumable.js';

export class ApiDriver {
  private constructor(private readonly ctx: StepContext, private readonly cfg: YoutubeConfig, private readonly account: Account, readonly api: YoutubeApi) {}

  static async create(ctx: StepContext, cfg: YoutubeConfig, account: Account): Promise<ApiDriver> {
    const creds = await ctx.accounts.credentials(account.name);
    const perDay = Number(account.settings.quotaPerDay);
    const quota = new QuotaTracker(ctx.store, creds.clientId ?? account.name, {
      unitsPerDay: Number.isFinite(perDay) && perDay > 0 ? perDay : cfg.quotaPerDay,
      uploadsPerDay: cfg.uploadsPerDay,
      legacy: cfg.legacyQuota,
    });
    const tokens = new TokenSource({ http: ctx.http, tokenUrl: cfg.oauthTokenUrl, account: account.name, accounts: ctx.accounts, signal: ctx.signal });
    return new ApiDriver(ctx, cfg, account, new YoutubeApi({ http: ctx.http, tokens, quota, account: account.name, signal: ctx.signal }));
  }

  /** Every call an upload of `req` will make, so a short quota is refused before any byte is sent. */
  static plannedCalls(req: UploadRequest): QuotaMethod[] {
    return ['videos.insert', ...(req.thumbnail ? ['thumbnails.set' as const] : []), ...(req.captions ? ['captions.insert' as const] : []), ...(req.playlist ? ['playlistItems.insert' as const] : [])];
  }

  /**
   * A video exists only once its last byte is accepted, so a failure before any byte was sent
   * (the quota check, opening a session) is marked `notDone`; one after may have completed it
   * and is left in doubt for `reconcile`, which asks the session or the channel.
   */
  async upload(req: UploadRequest, record: SessionRecord): Promise<UploadedVideo> {
    await this.api.quota.check(ApiDriver.plannedCalls(req)).catch((e: unknown) => { throw notDone(e); });
    const opts = {
      chunkSize: this.cfg.chunkSize, maxResumeAttempts: this.cfg.maxResumeAttempts, backoffMs: this.cfg.resumeBackoffMs, signal: this.ctx.signal,
      onProgress: (sent: number, size: number) => this.ctx.progress({ fraction: sent / size, message: `uploaded ${(sent / 1048576).toFixed(1)} of ${(size / 1048576).toFixed(1)} MB` }),
    };
    let start = 0;
    let session = await record.liveSession(req.videoBytes);
    if (session) {
      const state = await querySession(this.api, session, req.videoBytes).catch((e: unknown) => { throw mayBeDone(e); });
      if (state.done) return this.result(state.video, req);
      if ('gone' in state) session = undefined;
      else {
        start = state.next;
        this.ctx.log.info(`resuming the upload session of an earlier attempt at byte ${start} of ${req.videoBytes}`);
      }
    }
    for (let fresh = 0; fresh < 2; fresh++) {
      if (!session) {
        // a new session holds no bytes: whatever this request did, no video came of it
        session = await initiateUpload(this.api, this.cfg.uploadBaseUrl, this.metadata(req), req.videoBytes, videoMime(req.video)).catch((e: unknown) => { throw notDone(e); });
        await record.set({ account: this.account.name, driver: 'api', sessionUrl: session, size: req.videoBytes });
        start = 0;
      }
      const video = await sendFile(this.api, session, req.video, req.videoBytes, start, opts).catch((e: unknown) => { throw mayBeDone(e); });
      if (video) return this.result(video, req);
      this.ctx.log.warn('the upload session expired on the server; starting a new one');
      session = undefined;
    }
    throw mpv2Error('E_HTTP', 'YouTube dropped the upload session twice in a row', { retryable: true });
  }

  /** The earlier attempt's video, if it reached YouTube. */
  async reconcile(req: UploadRequest, record: SessionRecord): Promise<UploadedVideo | undefined> {
    const session = await record.liveSession(req.videoBytes);
    if (session) {
      const state = await querySession(this.api, session, req.videoBytes);
      if (state.done) return this.result(state.video, req);
      // a live, incomplete session: the video does not exist yet and `upload` resumes it
      if (!('gone' in state)) return undefined;
    }
    const found = await findUploaded(this.api, this.cfg.apiBaseUrl, { title: req.title, hashTag: req.hashTag, durationSec: req.durationSec });
    return found ? this.result(found, req) : undefined;
  }

  async setThumbnail(videoId: string, file: string): Promise<void> {
    await setThumbnail(this.api, this.cfg.uploadBaseUrl, videoId, file);
  }

  async insertCaptions(videoId: string, file: string, language: string): Promise<string> {
    return insertCaptions(this.api, this.cfg.uploadBaseUrl, videoId, file, language);
  }

  async addToPlaylist(videoId: string, playlistId: string): Promise<string> {
    return addToPlaylist(this.api, this.cfg.apiBaseUrl, videoId, playlistId);
  }

  async findCaptions(videoId: string, language: string): Promise<string | undefined> {
    return findCaptions(this.api, this.cfg.apiBaseUrl, videoId, language);
  }

  async findPlaylistItem(videoId: string, playlistId: string): Promise<string | undefined> {
    return findPlaylistItem(this.api, this.cfg.apiBaseUrl, videoId, playlistId);
  }

  metadata(req: UploadRequest): unknown {
    return {
      snippet: {
        title: req.title,
        description: req.description,
        tags: req.hashTag ? [...req.tags, req.hashTag] : req.tags,
        categoryId: req.categoryId,
        ...(req.language ? { defaultLanguage: req.language, defaultAudioLanguage: req.language } : {}),
      },
      status: {
        privacyStatus: req.visibility,
        ...(req.publishAt ? { publishAt: req.publishAt } : {}),
        selfDeclaredMadeForKids: req.madeForKids,
        containsSyntheticMedia: req.syntheticMedia,
      },
    };
  }

  private result(v: VideoResource, req: UploadRequest): UploadedVideo {
    return {
      videoId: v.id,
      url: videoUrl(v.id),
      status: v.status?.uploadStatus ?? 'uploaded',
      account: this.account.name,
      driver: 'api',
      visibility: (v.status?.privacyStatus as UploadedVideo['visibility'] | undefined) ?? req.visibility,
      ...((v.status?.publishAt ?? req.publishAt) ? { publishAt: v.status?.publishAt ?? req.publishAt } : {}),
    };
  }
}
