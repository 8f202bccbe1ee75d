/**
 * A video through Bluesky's video service: the account's upload limits first (getUploadLimits:
 * daily videos and bytes, verified email), then the upload with a short-lived service-auth token
 * for the PDS scoped to com.atproto.repo.uploadBlob, then the job polled until
 * JOB_STATE_COMPLETED gives the blob. The client library neither retries streamed bodies nor
 * knows this service, so the upload is written here: a broken connection sends the file again
 * (the service answers a file it already has with its job), and the job id is saved as soon as it
 * is known, so the next run picks the job up instead of uploading again.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { abortableSleep, classifyHttpError, isMpv2Error, pluginError, type StepContext } from 'mpv2/plugin';
import { trim, type BlueskyConfig } from './config.js';
import type { MediaFile } from './prepare.js';
import { xrpcError, type Session } from './session.js';

export interface BlobJson { $type: 'blob'; ref: { $link: string }; mimeType: string; size: number }
interface JobStatus { jobId: string; did?: string; state: string; progress?: number; blob?: BlobJson; error?: string; message?: string }
interface Limits { canUpload: boolean; remainingDailyVideos?: number; remainingDailyBytes?: number; message?: string; error?: string }

export class VideoUpload {
  constructor(private readonly ctx: StepContext, private readonly cfg: BlueskyConfig, private readonly s: Session, private readonly saveJob: (jobId: string) => Promise<void>) {}

  private get base(): string { return `${trim(this.cfg.videoService)}/xrpc`; }

  private async serviceToken(aud: string, lxm: string): Promise<string> {
    try {
      const res = await this.s.agent.com.atproto.server.getServiceAuth({ aud, lxm, exp: Math.floor(Date.now() / 1000) + 30 * 60 });
      return res.data.token;
    } catch (e) {
      throw xrpcError(e, 'getServiceAuth', this.s.account);
    }
  }

  /** Refuses, before any byte is sent, a video the account may not upload today. */
  async checkLimits(bytes: number): Promise<void> {
    const token = await this.serviceToken(this.cfg.videoServiceDid, 'app.bsky.video.getUploadLimits');
    let l: Limits;
    try {
      l = (await this.ctx.http.get<Limits>(`${this.base}/app.bsky.video.getUploadLimits`, { headers: { Authorization: `Bearer ${token}` }, signal: this.ctx.signal })).data;
    } catch (e) {
      throw classifyHttpError(e, 'app.bsky.video.getUploadLimits');
    }
    const left = `${l.remainingDailyVideos ?? '?'} videos and ${l.remainingDailyBytes ?? '?'} bytes left today`;
    if (!l.canUpload) throw pluginError('bluesky/VIDEO_LIMIT', `account "${this.s.account}" may not upload videos now: ${l.message ?? l.error ?? 'the video service says no'} (${left})`, { hint: 'verify the account\'s email address in Bluesky, or wait until tomorrow / rotate to another account' });
    if (l.remainingDailyBytes !== undefined && l.remainingDailyBytes < bytes) {
      throw pluginError('bluesky/VIDEO_LIMIT', `the video has ${bytes} bytes; account "${this.s.account}" has ${l.remainingDailyBytes} left today`, { hint: 'wait until tomorrow, rotate to another account, or send a smaller video' });
    }
  }

  async status(jobId: string): Promise<JobStatus | undefined> {
    try {
      return (await this.ctx.http.get<{ jobStatus: JobStatus }>(`${this.base}/app.bsky.video.getJobStatus`, { params: { jobId }, signal: this.ctx.signal })).data.jobStatus;
    } catch (e) {
      const status = (e as { response?: { status?: number } }).response?.status;
      if (status === 404 || status === 400) return undefined; // the service no longer knows the job
      throw classifyHttpError(e, 'app.bsky.video.getJobStatus');
    }
  }

  /** The processed video's blob: from the saved job when it is usable, else a new upload. */
  async blob(video: MediaFile, savedJob: string | undefined): Promise<BlobJson> {
    let job = savedJob ? await this.status(savedJob) : undefined;
    if (job && job.state === 'JOB_STATE_FAILED') job = undefined;
    if (job) this.ctx.log.info(`picking up video job ${job.jobId} of an earlier attempt (${job.state})`);
    else {
      await this.checkLimits(video.bytes);
      job = await this.upload(video);
      await this.saveJob(job.jobId);
    }
    return this.wait(job);
  }

  private async upload(video: MediaFile): Promise<JobStatus> {
    for (let attempt = 1; ; attempt++) {
      // short-lived and single-purpose: a fresh one for each try
      const token = await this.serviceToken(this.s.pdsDid, 'com.atproto.repo.uploadBlob');
      try {
        const res = await this.ctx.http.post<JobStatus>(`${this.base}/app.bsky.video.uploadVideo`, createReadStream(video.path), {
          params: { did: this.s.did, name: basename(video.path) },
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': video.mime, 'Content-Length': String(video.bytes) },
          maxBodyLength: Infinity, maxContentLength: Infinity, signal: this.ctx.signal,
          // the service answers a video it already has with 409 and that video's job
          validateStatus: (s) => (s >= 200 && s < 300) || s === 409,
        });
        if (!res.data?.jobId) throw pluginError('bluesky/API', `the video service answered ${res.status} without a job id${res.data?.message ? `: ${res.data.message}` : ''}`);
        return res.data;
      } catch (e) {
        if (isMpv2Error(e)) throw e;
        const err = classifyHttpError(e, 'app.bsky.video.uploadVideo');
        if (!err.retryable || attempt >= this.cfg.maxUploadAttempts || this.ctx.signal.aborted) throw err;
        this.ctx.log.warn(`${err.message}; sending the video again (try ${attempt + 1} of ${this.cfg.maxUploadAttempts})`);
      }
    }
  }

  private async wait(job: JobStatus): Promise<BlobJson> {
    for (let n = 1; ; n++) {
      if (job.state === 'JOB_STATE_COMPLETED' && job.blob) return job.blob;
      if (job.state === 'JOB_STATE_FAILED') {
        throw pluginError('bluesky/VIDEO_FAILED', `the video service could not process the video (job ${job.jobId}): ${job.error ?? ''}${job.message ? ` ${job.message}` : ''}`.trim(), { hint: 're-encode the video as H.264 MP4 (yuv420p) and run again' });
      }
      if (n >= this.cfg.maxPolls) throw pluginError('bluesky/STILL_PROCESSING', `video job ${job.jobId} is still ${job.state} after ${n} looks`, { hint: 'run again later: the next run picks the job up', retryable: true, retryAfterMs: 30_000 });
      await abortableSleep(this.cfg.pollIntervalMs, this.ctx.signal);
      const next = await this.status(job.jobId);
      if (!next) throw pluginError('bluesky/VIDEO_FAILED', `the video service lost job ${job.jobId}`, { hint: 'run again: the video is uploaded anew' });
      job = next;
    }
  }
}
