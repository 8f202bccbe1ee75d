/** The caption rules and the upload host rewrite of instagram.reels, without a server. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../../plugins/meta/graph.js';
import { buildCaption } from '../../../plugins/meta/instagram/validate.js';

const graph = (uploadBaseUrl?: string) => new Graph({
  http: {} as never, token: 't', signal: new AbortController().signal, reloginHint: '',
  settings: { graphBaseUrl: 'https://graph.facebook.com', graphVersion: 'v26.0', uploadBaseUrl },
});

describe('instagram upload URL rewrite', () => {
  const returned = 'https://rupload.facebook.com/ig-api-upload/v26.0/17890000000000001?x=1';
  it('keeps the returned URL without uploadBaseUrl', () => {
    expect(graph().uploadUrl(returned)).toBe(returned);
  });
  it('replaces the origin, and puts a proxy path before the returned path', () => {
    expect(graph('http://127.0.0.1:8080').uploadUrl(returned)).toBe('http://127.0.0.1:8080/ig-api-upload/v26.0/17890000000000001?x=1');
    expect(graph('https://proxy.example/meta-upload/').uploadUrl(returned)).toBe('https://proxy.example/meta-upload/ig-api-upload/v26.0/17890000000000001?x=1');
  });
});

describe('instagram caption', () => {
  it('joins text, hashtags and the marker line; a leading # and duplicates are dropped', () => {
    expect(buildCaption(' Hello ', ['#a', 'b', 'a'], 'mpv2-0123456789')).toBe('Hello\n\n#a #b\n\nmpv2-0123456789');
    expect(buildCaption('', [], undefined)).toBe('');
  });
  it('counts the caption\'s own hashtags with the list against the 30', () => {
    const own = Array.from({ length: 20 }, (_, i) => `#own${i}`).join(' ');
    expect(() => buildCaption(own, Array.from({ length: 10 }, (_, i) => `t${i}`), undefined)).not.toThrow();
    expect(() => buildCaption(own, Array.from({ length: 11 }, (_, i) => `t${i}`), undefined)).toThrow(/31 hashtags/);
  });
  it('counts characters, not UTF-16 units, and includes the marker line', () => {
    expect(() => buildCaption('🐙'.repeat(2200), [], undefined)).not.toThrow();
    expect(() => buildCaption('x'.repeat(2190), [], 'mpv2-0123456789')).toThrow(/with\.caption is 2207 characters/);
  });
});
