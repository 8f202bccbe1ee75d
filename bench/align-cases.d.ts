/** Types of bench/align-cases.js (plain ESM, shared by the benchmark and the tests). */
export interface CaseWord { text: string; start: number; end: number }
export interface CaseSpeech { pcm: Buffer; sampleRate: number; words: CaseWord[] }
export type Variant = 'voice' | 'slower' | 'faster' | 'stretched' | 'repitched' | 'padded' | 'noise' | 'music' | 'all';
export const VARIANTS: Record<Variant, { about: string; rate?: number; filter?: string; mix?: string; scale: number; shift: number; needs?: string }>;
export function hasFilter(ffmpeg: string, name: string): boolean;
export function makeCase(ffmpeg: string, speech: CaseSpeech, variant: Variant, dir: string, name: string): { file: string; words: CaseWord[] };
export function startErrors(aligned: CaseWord[], truth: CaseWord[]): { median: number; p95: number; max: number };
export const TEXTS: Record<'en' | 'es' | 'de' | 'fr', string>;
