/**
 * Fills every slot, in parallel up to `concurrency`: each slot takes candidates from its
 * provider stream (then from the other kind of the same query for `mixed`, then from the
 * other queries) until one loads and decodes. A failed image is replaced by the next result,
 * so the list never has a hole; the same photo id or the same bytes are never used twice.
 */
import pLimit from 'p-limit';
import { mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { hashFile, sha256 } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { materialize, type MaterializeOptions } from './materialize.js';
import { broaderQueries, contentWords, relevance } from './relevance.js';
import { asMpv2Error, withTries } from './tries.js';
import type { Candidate, CandidateStream, MediaFile, Provider, ProviderName, Slot } from './types.js';

/** Failures that end the step: trying another image would fail the same way. */
const FATAL = new Set(['E_ABORTED', 'E_AUTH', 'E_MISSING_KEY', 'E_DEPENDENCY_MISSING', 'E_PATH_OUTSIDE_ROOT']);

export interface CollectOptions extends MaterializeOptions {
  provider: ProviderName;
  concurrency: number;
  tries: number;
  maxRetryDelayMs: number;
  mixed: boolean;
  /** Described candidates scoring below this against their sentence (or query) are skipped; 0: no check. */
  minRelevance: number;
  /** The user's library, searched first: only files that match (score above 0 and at least minRelevance). */
  library: Candidate[];
  /** Online providers can be asked again with a broader query; local and generated ones cannot. */
  requery: boolean;
}

/** How many poor matches one query may offer before the slot moves on to a broader query. */
const POOR_PER_QUERY = 5;
/** How many looked-at candidates a file's `match.considered` keeps. */
const MAX_CONSIDERED = 20;

type Considered = NonNullable<MediaFile['match']>['considered'][number];
interface Offer { c: Candidate; query: string; score: number | null }

export async function collect(ctx: StepContext, slots: Slot[], provider: Provider, opts: CollectOptions): Promise<MediaFile[]> {
  const seenKeys = new Set<string>();
  const seenHashes = new Set<string>();
  const skipped: string[] = [];
  let done = 0;
  const underLimit = <T>(fn: () => Promise<T>): Promise<T> => (provider.limit ? ctx.limit(provider.limit, fn) : fn());

  const streamsFor = (slot: Slot): Array<{ query: string; stream: CandidateStream }> => {
    const out = [{ query: slot.query, stream: provider.open(slot) }];
    if (opts.mixed) out.push({ query: slot.query, stream: provider.open({ ...slot, want: slot.want === 'video' ? 'photo' : 'video' }) });
    if (opts.requery && opts.minRelevance > 0) for (const query of broaderQueries(slot.query)) out.push({ query, stream: provider.open({ ...slot, query }) });
    for (const other of slots) if (other.query !== slot.query) out.push({ query: other.query, stream: provider.open({ ...other, want: slot.want }) });
    return out;
  };

  const tryCandidate = async (slot: Slot, c: Candidate): Promise<MediaFile | undefined> => {
    if (!c.reuse) {
      if (seenKeys.has(c.key)) return undefined;
      seenKeys.add(c.key);
    }
    const what = `${c.source} ${c.kind} ${c.id ?? c.key}`;
    try {
      const streamed = c.kind === 'video' && c.localFile !== undefined;
      const buf = streamed ? undefined : await withTries(ctx, { tries: opts.tries, maxDelayMs: opts.maxRetryDelayMs, what: `download of ${what}` }, () => underLimit(() => c.load(ctx.signal)));
      const hash = buf ? sha256(buf) : await hashFile(c.localFile!).catch((e: NodeJS.ErrnoException) => {
        throw mpv2Error('E_FILE', `${c.localFile} cannot be read: ${e.code ?? e.message}`, { cause: e });
      });
      if (!c.reuse) {
        if (seenHashes.has(hash)) {
          ctx.log.debug(`dropped ${what}: same bytes as an image already used`);
          return undefined;
        }
        seenHashes.add(hash);
      }
      const file = await materialize(ctx, slot, c, buf, opts);
      if (c.reuse) ctx.log.warn(`reused ${what} for "${slot.query}": no unused file is left`);
      return file;
    } catch (e) {
      const err = asMpv2Error(e, what);
      if (FATAL.has(err.code)) throw err;
      skipped.push(err.message);
      ctx.log.warn(`skipped ${what} for "${slot.query}": ${err.message}`, { code: err.code });
      return undefined;
    }
  };

  const fill = async (slot: Slot): Promise<MediaFile> => {
    const wanted = contentWords(slot.sentence ?? slot.query);
    const scoreOf = (c: Candidate): number | null => (c.describedBy === undefined ? null : relevance(wanted, contentWords(c.describedBy)));
    const considered: Considered[] = [];
    const note = (o: Offer, verdict: Considered['verdict'], reason: string) => {
      if (considered.length < MAX_CONSIDERED) considered.push({ source: o.c.source, id: o.c.id ?? o.c.key, query: o.query, score: o.score, verdict, reason });
    };
    const attempt = async (o: Offer, reason: string): Promise<MediaFile | undefined> => {
      if (ctx.signal.aborted) throw mpv2Error('E_ABORTED', 'media.fetchImages was stopped: the step was aborted');
      const file = await tryCandidate(slot, o.c);
      if (!file) {
        note(o, 'skipped', 'unusable or already used');
        return undefined;
      }
      note(o, 'chosen', reason);
      done++;
      ctx.progress({ fraction: done / slots.length, message: `${done}/${slots.length} ${file.kind === 'video' ? 'clips' : 'images'}` });
      return { ...file, ...(slot.sentence !== undefined && { sentence: slot.sentence }), match: { score: o.score, reason, considered } };
    };

    // the library first: only a file that matches beats the providers; best score first, ties by path
    const ownKind = opts.library.filter((c) => (c.kind === 'video') === (slot.want === 'video'));
    const mine = ownKind.map((c) => ({ c, query: 'library', score: scoreOf(c) ?? 0 })).filter((o) => o.score > 0 && o.score >= opts.minRelevance);
    for (const o of mine.sort((a, b) => b.score - a.score)) {
      const file = await attempt(o, `library match (score ${o.score})`);
      if (file) return file;
    }

    const poor: Offer[] = [];
    for (const { query, stream } of streamsFor(slot)) {
      let poorHere = 0;
      for (let c = await stream.next(); c; c = await stream.next()) {
        if (!c.reuse && seenKeys.has(c.key)) continue;
        const o: Offer = { c, query, score: scoreOf(c) };
        if (o.score !== null && o.score < opts.minRelevance) {
          note(o, 'skipped', `poor match (score ${o.score} < ${opts.minRelevance})`);
          poor.push(o);
          if (++poorHere >= POOR_PER_QUERY) break; // then a broader query
          continue;
        }
        const why = o.score === null ? 'the provider describes nothing to check' : opts.minRelevance > 0 ? `relevant (score ${o.score} ≥ ${opts.minRelevance})` : 'first usable result';
        const file = await attempt(o, query === slot.query ? why : `${why}, from the query "${query}"`);
        if (file) return file;
      }
    }
    // nothing matched well: the best of the poor matches rather than a hole in the video
    for (const o of poor.sort((a, b) => (b.score ?? 0) - (a.score ?? 0))) {
      if (!o.c.reuse && seenKeys.has(o.c.key)) continue;
      ctx.log.warn(`no candidate for "${slot.sentence ?? slot.query}" scored ${opts.minRelevance} or more: using ${o.c.source} ${o.c.id ?? o.c.key} (score ${o.score})`);
      const file = await attempt(o, `best of the poor matches (score ${o.score})`);
      if (file) return file;
    }
    throw noneLeft(slot, opts.provider, skipped);
  };

  // matching by relevance or from the library decides between slots that may share candidates
  // (a broader query, a borrowed one, one library file): slots choose one after another, in
  // order, so the same script always gets the same pictures
  const limit = pLimit(opts.minRelevance > 0 || opts.library.length > 0 ? 1 : Math.max(1, opts.concurrency));
  return Promise.all(slots.map((slot) => limit(() => fill(slot))));
}

function noneLeft(slot: Slot, provider: ProviderName, skipped: string[]): Mpv2Error {
  const why = skipped.length > 0 ? `; skipped: ${skipped.slice(0, 5).join('; ')}${skipped.length > 5 ? `; and ${skipped.length - 5} more` : ''}` : '';
  if (provider === 'local') {
    return mpv2Error('E_INPUT_INVALID', `no usable image is left for "${slot.query}" (image ${slot.index + 1})${why}`, {
      hint: 'add readable images (jpg, png, webp, avif, gif, tiff) to the folder, or use provider: generate',
      details: { skipped },
    });
  }
  return mpv2Error('E_NOT_FOUND', `${provider} gave no usable ${slot.want === 'video' ? 'clip' : 'image'} for "${slot.query}" (item ${slot.index + 1})${why}`, {
    hint: 'try broader queries, a smaller `count`, or provider: generate',
    details: { skipped },
  });
}
