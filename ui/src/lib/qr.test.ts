import { describe, expect, it } from 'vitest';
import { qrSvg } from './qr';

describe('qrSvg', () => {
  it('draws a presigned URL as an SVG data URI', () => {
    const url = `https://bucket.oss-cn-hangzhou.aliyuncs.com/photos/a.jpg?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-signature=${'a'.repeat(64)}`;
    const image = qrSvg(url);
    expect(image).not.toBeNull();
    expect(image?.src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(image?.src.split(',').slice(1).join(',') ?? '');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    expect(image && image.modules >= 21 && (image.modules - 17) % 4 === 0).toBe(true);
  });

  it('gives up on text longer than a QR code holds', () => {
    expect(qrSvg('x'.repeat(3000))).toBeNull();
  });
});
