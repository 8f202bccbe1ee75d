/** What each platform allows: the longest post and how a link counts. */
import { createRequire } from 'node:module';
import type TwitterText from 'twitter-text';

// loaded on first use (with its core-js polyfills it is ~0.1 s of every start-up otherwise)
const requireLazy = createRequire(import.meta.url);
let twitterTextLib: typeof TwitterText | undefined;
const twitterText = (): typeof TwitterText => (twitterTextLib ??= requireLazy('twitter-text') as typeof TwitterText);

export interface Platform {
  name: string;
  maxLength: number;
  /** What a link counts for. */
  linkLength: number;
  measure(text: string): number;
  maxHashtags: number;
}

export const PLATFORMS: Record<string, Platform> = {
  twitter: { name: 'X (Twitter)', maxLength: 280, linkLength: 23, measure: (t) => twitterText().parseTweet(t).weightedLength, maxHashtags: 3 },
};

export const PLATFORM_NAMES = Object.keys(PLATFORMS);
