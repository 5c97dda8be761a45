// End-to-end test of previews (issue 15) in the real OSS Lite window (WebKitGTK), against the
// local OSS-compatible sandbox:
//   → quick look with Space on a picture, then → through PNG, JPEG, GIF, WebP and SVG (each drawn
//     by the web view), a GBK text (decoded as GB18030), a PDF, and an unsupported type (details
//     and a Download button); Esc closes it
//   → a 3 MB WAV plays through ranges of the preview scheme: the audio element reads its duration
//     and seeks past the first chunk.
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, openProfileBucket, sandboxAppSession, waitFor } from './support.mjs';

const BUCKET = 'preview-bucket';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E preview';
const KEYS = { id: 'LTAI5tE2ePreviewKey01', secret: `e2e-${crypto.randomBytes(12).toString('hex')}` };
// 8×6 pictures written by src-tauri/sandbox/examples/make_image.rs.
const PICTURES = {
  'look/1-picture.png': 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAAoUlEQVR4AQGWAGn/AAMLrTo9nW0VvmMHi60Hn6UKi8Yyq/kyoQA1KoAmQpJyL6CUP6ePT7XOaKfCQ4kEPYUAE4uDQWO8Y4mLcZKYiYKE13+Sy2Ow4nepAC61oVSMv1yNt32as56alqR/vsuphQOyngAH459WyphbyJp2rqeq3qfC0JDitaMZypcAFtq/SQuRWOa+jPWrjfS/od69yeiIFRCfSxxLzsW5qwcAAAAASUVORK5CYII=',
  'look/2-picture.jpg': '/9j/4AAQSkZJRgABAgAAAQABAAD/wAARCAAGAAgDAREAAhEBAxEB/9sAQwABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB/9sAQwEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDsfhb+xP8As9+FP2WfjN+0Np+k3a+GfhL4Z+Pwlh+xzxePJYP2eZ/H+leJbTQ9WsPE2nz6Nm78A6hb+Eb/AEnxFo1/eaJqZiun8KX11NcWv9CcfeL/AIoY7xJ4I4AxWYxrZjxBnPhjlkpYjNvreTPFeJWZZBl2W5hinV4cWPxKr4jiHGY7PsvrrEYPDZhip4yEeIMFhVkmM/Evo0/TI8Y8g4LxHB2ExdGnxXn/AIQZbxDw3GnmOaZdwvg+IOPPDXJvETh3FZhmXCE+DeLcF9VxfGGEo4zGcP4nB5hw3/wpT4RrUa0MDij/2Q==',
  'look/3-picture.gif': 'R0lGODlhCAAGAIAAAAAAAAAAACH5BAgAAAAALAAAAAAIAAYAhQMLrQOyngQ9hQfjnxOLgxUQnxbavxnKlyZCki61oTUqgDo9nUFjvEkLkVSMv1bKmFjmvlvImlyNt2MHi2OJi20VvnGSmHIvoHaup32as4mChIz1q430v49PtZQ/p56alqHevaR/vqUKi6rep60Hn8JDicLQkMYyq8noiMtjsMuphc5op9d/kuJ3qeK1o/kyoQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAYsQMCiMiGJTi8F4uLprEoCAoNi0bBSrYRDkvmEVIHBI4IZmVwHQwOy4YBQhSAAOw==',
  'look/4-picture.webp': 'UklGRgwBAABXRUJQVlA4TP8AAAAvB0ABAM1VICICHgiADQIAAIDR4/wi7l3oHfiP44d0TuQPIAEhAgAAAAAAAAAAAAAAAAAADgAAIAgAAADAAwGwQQAAADj/4wcBDgEAABAAABAAQAAAAAAOAAeACEBAwOU4gPNzkwBAoO4/KE6PzgMBAEEAAAA4f8YboAYggCYAAAAYAAAAAAAAEADYAF4IDGAjUxgELQw9PEGDkS0QSV7uiapD8+ET+qrJQZcfuk/SufXvmPRS/DFtj1N9MgS5l3H1lffYXZwFMwzPPodinR97RxMPlDHGUPwJgGTVxmtxi026j3pk57VbcwKlDRD1/tt6E2I68rJJDlm3o7BOWa4A',
};
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="6"><rect width="8" height="6" fill="#0f8f9a"/></svg>';
// "中文 你好" in GBK.
const GBK = Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x20, 0xc4, 0xe3, 0xba, 0xc3, 0x0a]);
const PDF = pdf('Hello PDF');
const WAV_SECONDS = 200;

/** A one-page PDF showing `text`, with its cross-reference table. */
function pdf(text) {
  const stream = `BT /F1 18 Tf 20 40 Td (${text}) Tj ET`;
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    `<</Length ${stream.length}>>\nstream\n${stream}\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out);
}

/** A mono 16-bit 8 kHz WAV of a quiet tone, 16 KB a second: over one 2 MiB chunk of the scheme. */
function wav(seconds) {
  const rate = 8000;
  const samples = rate * seconds;
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(800 * Math.sin((i * 2 * Math.PI * 440) / rate)), 44 + i * 2);
  return out;
}

const SEEDED = [
  { key: 'look/0-sunset.jpg', body: fs.readFileSync(path.join(REPO, 'src-tauri', 'demo-samples', 'sunset.jpg')) },
  ...Object.entries(PICTURES).map(([key, base64]) => ({ key, body: Buffer.from(base64, 'base64') })),
  { key: 'look/5-picture.svg', body: Buffer.from(SVG) },
  { key: 'look/6-chinese.txt', body: GBK },
  { key: 'look/7-doc.pdf', body: PDF },
  { key: 'look/8-tools.bin', body: crypto.randomBytes(3000) },
  { key: 'media/tone.wav', body: wav(WAV_SECONDS) },
];

let browser;
let endpoint;
const session = sandboxAppSession(
  { name: 'preview', buckets: [BUCKET], region: REGION, keys: KEYS, seed: SEEDED, profile: PROFILE },
  { started: (setup) => ({ browser, endpoint } = setup) },
);
const { byTestId, screenshot, objectRow, doubleClickRow, step } = session;
const quickLookKey = () => browser.execute(() => document.querySelector('[data-testid="quick-look"] .stage')?.dataset.key ?? null);

async function waitForQuickLook(key) {
  await waitFor(async () => (await quickLookKey()) === key, { timeout: 10_000, what: `quick look on ${key}` });
}

/** Waits for the quick look's picture to be drawn by the web view (decoded, with a size). */
async function waitForPicture(key) {
  await waitForQuickLook(key);
  await waitFor(
    () =>
      browser.execute(() => {
        const image = document.querySelector('[data-testid="quick-look"] [data-testid="preview-image"]');
        return image?.complete === true && image.naturalWidth > 0;
      }),
    { timeout: 10_000, what: `the picture ${key} drawn` },
  );
}

step('quick look: Space opens it, → walks through every kind of file, Esc closes it', 60_000, async () => {
  await openProfileBucket(browser, PROFILE, BUCKET);
  await doubleClickRow('look/');
  await (await objectRow('look/0-sunset.jpg')).click();
  await browser.keys([' ']);
  await (await byTestId('quick-look')).waitForDisplayed({ timeout: 10_000 });
  await waitForPicture('look/0-sunset.jpg');
  await screenshot('quicklook.png');

  for (const key of ['look/1-picture.png', 'look/2-picture.jpg', 'look/3-picture.gif', 'look/4-picture.webp', 'look/5-picture.svg']) {
    await browser.keys(['ArrowRight']);
    await waitForPicture(key);
  }

  await browser.keys(['ArrowDown']);
  await waitForQuickLook('look/6-chinese.txt');
  await waitFor(
    async () => (await browser.execute(() => document.querySelector('[data-testid="quick-look"] [data-testid="preview-text"]')?.textContent ?? '')).includes('中文 你好'),
    { timeout: 10_000, what: 'the GBK text decoded' },
  );
  assert.equal(await browser.execute(() => document.querySelector('[data-testid="quick-look"] [data-testid="preview-text-note"]').textContent.trim()), 'GB18030');

  await browser.keys(['ArrowRight']);
  await waitForQuickLook('look/7-doc.pdf');
  await (await browser.$('[data-testid="quick-look"] [data-testid="preview-pdf"]')).waitForDisplayed({ timeout: 10_000 });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await screenshot('e2e-preview-pdf.png');

  await browser.keys(['ArrowRight']);
  await waitForQuickLook('look/8-tools.bin');
  await (await browser.$('[data-testid="quick-look"] [data-testid="preview-download"]')).waitForDisplayed({ timeout: 10_000 });

  await browser.keys(['ArrowLeft']);
  await waitForQuickLook('look/7-doc.pdf');
  await browser.keys(['Escape']);
  await waitFor(async () => (await quickLookKey()) === null, { what: 'quick look closed' });
  const cursor = await browser.execute(() => document.querySelector('[data-testid="object-row"].cursor')?.dataset.key);
  assert.equal(cursor, 'look/7-doc.pdf', 'the list cursor followed quick look');
});

step('audio plays through ranges: the player reads the duration and seeks past the first chunk', 45_000, async () => {
  await (await byTestId('crumb-bucket')).click();
  await doubleClickRow('media/');
  await (await objectRow('media/tone.wav')).click();
  const audio = await byTestId('preview-audio');
  await audio.waitForExist({ timeout: 10_000 });
  await waitFor(() => browser.execute(() => Number.isFinite(document.querySelector('[data-testid="preview-audio"]')?.duration)), {
    timeout: 15_000,
    what: 'the audio metadata',
  });
  const duration = await browser.execute(() => document.querySelector('[data-testid="preview-audio"]').duration);
  assert.ok(Math.abs(duration - WAV_SECONDS) < 1, `duration ${duration}`);
  await browser.execute(() => {
    const player = document.querySelector('[data-testid="preview-audio"]');
    window.__seeked = false;
    player.addEventListener('seeked', () => (window.__seeked = true), { once: true });
    player.currentTime = 180;
  });
  await waitFor(() => browser.execute(() => window.__seeked), { timeout: 15_000, what: 'the seek to 180 s' });
  const seekable = await browser.execute(() => {
    const ranges = document.querySelector('[data-testid="preview-audio"]').seekable;
    return ranges.length > 0 ? ranges.end(ranges.length - 1) : 0;
  });
  assert.ok(seekable > 190, `seekable to ${seekable}`);
  await screenshot('e2e-preview-audio.png');
});

step('the CSP lets media come from the preview server port only, not from another loopback port', 20_000, async () => {
  const previewOrigin = await browser.execute(() => new URL(document.querySelector('[data-testid="preview-audio"]').src).origin);
  assert.match(previewOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
  // The sandbox listens on another loopback port: the old wildcard `http://127.0.0.1:*` would allow it.
  const otherOrigin = `http://127.0.0.1:${new URL(endpoint).port}`;
  assert.notEqual(otherOrigin, previewOrigin);
  const violation = await browser.executeAsync((src, done) => {
    document.addEventListener('securitypolicyviolation', (event) => done({ directive: event.violatedDirective, blocked: event.blockedURI }), { once: true });
    const probe = document.createElement('audio');
    probe.src = src;
    document.body.append(probe);
    setTimeout(() => done(null), 5000);
  }, `${otherOrigin}/probe.wav`);
  assert.ok(violation, 'a media request to another loopback port is refused by the CSP');
  assert.match(violation.directive, /^media-src/);
  assert.ok(violation.blocked.startsWith(otherOrigin), violation.blocked);
});
