// End-to-end test of looking around (issue 15) in the real OSS Lite window, against the local
// OSS-compatible sandbox:
//   → preview an image (its bytes through the osslite-preview:// scheme, drawn by the web view) and
//     a Markdown file (rendered, its HTML as text)
//   → paste an oss:// address and land there
//   → back and forward (buttons and Alt+←/→).
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { openProfileBucket, sandboxAppSession, waitFor } from './support.mjs';

const BUCKET = 'look-bucket';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E look';
const KEYS = { id: 'LTAI5tE2eLookKey0001', secret: `e2e-${crypto.randomBytes(12).toString('hex')}` };
// A 1×1 PNG: small enough to be shown as it is.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SEEDED = [
  { key: 'pics/dot.png', body: PNG },
  { key: 'docs/readme.md', body: Buffer.from('# Hello\n\n<b>plain</b> text, é\n') },
  { key: 'deep/a/b/c/leaf.txt', body: Buffer.from('leaf\n') },
];

let browser;
const session = sandboxAppSession(
  { name: 'look', buckets: [BUCKET], region: REGION, keys: KEYS, seed: SEEDED, profile: PROFILE },
  { started: (setup) => ({ browser } = setup) },
);
const { byTestId, screenshot, objectRow, doubleClickRow, waitForText, step } = session;
const address = () => browser.execute(() => document.querySelector('[data-testid="address-input"]').value);

async function waitForAddress(expected) {
  await waitFor(async () => (await address()) === expected, { timeout: 10_000, what: `the address ${expected}` });
}

step('preview: an image through the preview scheme, a Markdown file rendered', 60_000, async () => {
  await openProfileBucket(browser, PROFILE, BUCKET);
  await doubleClickRow('pics/');
  await (await objectRow('pics/dot.png')).click();
  const image = await byTestId('preview-image');
  await image.waitForDisplayed({ timeout: 10_000 });
  assert.match(await image.getAttribute('src'), /^(osslite-preview:\/\/localhost|http:\/\/osslite-preview\.localhost)\/p\d+$/);
  await waitFor(() => browser.execute(() => document.querySelector('[data-testid="preview-image"]')?.naturalWidth === 1), {
    timeout: 10_000,
    what: 'the image drawn from the preview scheme',
  });
  await screenshot('e2e-look-preview-image.png');

  await (await byTestId('crumb-bucket')).click();
  await doubleClickRow('docs/');
  await (await objectRow('docs/readme.md')).click();
  // Markdown is rendered; its HTML shows as text.
  const text = await waitForText('preview-markdown', /<b>plain<\/b> text, é/);
  assert.match(text, /^Hello/);
  await screenshot('e2e-look-preview-text.png');
});

step('address bar: paste an oss:// address and land there; back and forward', 45_000, async () => {
  const input = await byTestId('address-input');
  await input.click();
  await browser.keys(['Control', 'a']);
  await input.setValue(`oss://${BUCKET}/deep/a/b/`);
  await browser.keys(['Enter']);
  await (await objectRow('deep/a/b/c/')).waitForDisplayed({ timeout: 10_000 });
  await waitForAddress(`oss://${BUCKET}/deep/a/b/`);

  await (await byTestId('nav-back')).click();
  await (await objectRow('docs/readme.md')).waitForDisplayed({ timeout: 10_000 });
  await waitForAddress(`oss://${BUCKET}/docs/`);
  await (await objectRow('docs/readme.md')).click();
  await browser.keys(['Alt', 'ArrowLeft']);
  await (await objectRow('docs/')).waitForDisplayed({ timeout: 10_000 });
  await waitForAddress(`oss://${BUCKET}/`);
  await (await byTestId('nav-forward')).click();
  await waitForAddress(`oss://${BUCKET}/docs/`);
  await (await objectRow('docs/readme.md')).click();
  await browser.keys(['Alt', 'ArrowRight']);
  await (await objectRow('deep/a/b/c/')).waitForDisplayed({ timeout: 10_000 });
  await screenshot('e2e-look-address.png');
});
