/** What each platform allows: the longest post and how a link counts. */
import twitterText from 'twitter-text';

export interface Platform {
  name: string;
  maxLength: number;
  /** What a link counts for. */
  linkLength: number;
  measure(text: string): number;
  maxHashtags: number;
}

export const PLATFORMS: Record<string, Platform> = {
  twitter: { name: 'X (Twitter)', maxLength: 280, linkLength: 23, measure: (t) => twitterText.parseTweet(t).weightedLength, maxHashtags: 3 },
};

export const PLATFORM_NAMES = Object.keys(PLATFORMS);
