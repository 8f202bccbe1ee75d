import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { brandedCaptionStyle, mergeBrand, prepareLogo } from '../../../plugins/video/brand.js';
import { resolveCaptionStyle } from '../../../plugins/video/caption-style.js';
import { sceneTitleLines } from '../../../plugins/video/scene-titles.js';

const FONT = 'Montserrat ExtraBold';

describe('brand kit', () => {
  it('merges the step\'s brand over the config\'s field by field', () => {
    const merged = mergeBrand(
      { logo: { file: 'logo.png', size: 0.1 }, captionFont: 'DejaVu Sans', colors: { text: '#111111', title: '#222222' } },
      { logo: { position: 'bottom-right' }, colors: { text: '#333333' } },
    );
    expect(merged).toEqual({ logo: { file: 'logo.png', size: 0.1, position: 'bottom-right' }, captionFont: 'DejaVu Sans', colors: { text: '#333333', title: '#222222' } });
    expect(mergeBrand(undefined, undefined)).toBeUndefined();
  });

  it('gives captions the brand\'s font and colours, but the step\'s own values win', () => {
    const brand = { captionFont: 'DejaVu Sans', colors: { text: '#00FF00' } };
    const plain = brandedCaptionStyle({ style: 'karaoke', font: FONT }, brand, FONT);
    expect(plain.font).toBe('DejaVu Sans');
    expect(plain.colors).toEqual({ text: '#00FF00', highlight: '#FFD400', outline: '#000000', shadow: '#00000090' });
    const own = brandedCaptionStyle({ style: 'karaoke', font: 'Montserrat', colors: { text: '#FFFFFF', highlight: '#FF0000', outline: '#000000', shadow: '#000000' } }, brand, FONT);
    expect(own.font).toBe('Montserrat');
    expect(own.colors?.text).toBe('#FFFFFF');
  });

  it('draws scene titles in the brand\'s title font and colour', () => {
    const { style } = sceneTitleLines([{ text: 'x', start: 0, end: 1 }], resolveCaptionStyle({ style: 'karaoke', font: FONT }, 1080, 1920), 1080, 1920, { font: 'DejaVu Sans', color: '&H0000FF00' });
    expect(style).toMatch(/^Style: SceneTitle,DejaVu Sans,\d+,&H0000FF00,/);
  });

  it('places a bottom logo above the Shorts bar and the captions, and names a bad logo file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpv2-brand-'));
    await sharp({ create: { width: 100, height: 50, channels: 4, background: '#FF00FF' } }).png().toFile(join(dir, 'logo.png'));
    const caption = resolveCaptionStyle({ style: 'karaoke', font: FONT }, 540, 960);
    const at = await prepareLogo({ file: 'logo.png', position: 'bottom-left', size: 0.2 }, (f) => join(dir, f), join(dir, 'out.png'), 540, 960, { ...caption, burned: true });
    expect(at).toMatchObject({ x: 32, w: 108, h: 54 });
    // bottom edge above the captions' margin plus two caption lines
    expect(at.y + at.h).toBeLessThanOrEqual(960 - caption.marginV - 2 * caption.size);
    const without = await prepareLogo({ file: 'logo.png', position: 'bottom-left', size: 0.2 }, (f) => join(dir, f), join(dir, 'out.png'), 540, 960, { ...caption, burned: false });
    expect(without.y + without.h).toBe(960 - Math.round(960 * 0.22));
    writeFileSync(join(dir, 'bad.png'), 'not an image');
    await expect(prepareLogo({ file: 'bad.png' }, (f) => join(dir, f), join(dir, 'o.png'), 540, 960, { ...caption, burned: true }))
      .rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringContaining('bad.png') });
    await expect(prepareLogo({ position: 'top-left' }, (f) => join(dir, f), join(dir, 'o.png'), 540, 960, { ...caption, burned: true }))
      .rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringContaining('no `file`') });
  });
});
