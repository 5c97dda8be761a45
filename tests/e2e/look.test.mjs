// End-to-end test of looking around (issue 15) in the real OSS Lite window, against the local
// OSS-compatible sandbox:
//   → preview an image (its bytes through the osslite-preview:// scheme, drawn by the web view) and
//     a Markdown file (rendered, its HTML as text)
//   → paste an oss:// address and land there
//   → back and forward (buttons and Alt+←/→).
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import {
  CLI,
  addSandboxProfile,
  assertPrerequisites,
  byTestId as byTestIdIn,
  doubleClickRow as doubleClickRowIn,
  makeTempDir,
  putObject,
  removeTempDir,
  scenario,
  screenshot as screenshotOf,
  screenshotDisplay,
  startApp,
  startSandbox,
  stopGroup,
  waitFor,
  waitForText as waitForTextIn,
} from './support.mjs';

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

let work;
let sandbox;
let app;
let browser;

const byTestId = (id) => byTestIdIn(browser, id);
const screenshot = (name) => screenshotOf(browser, name);
const objectRow = (key) => browser.$(`[data-testid="object-row"][data-key="${key}"]`);
const doubleClickRow = (key) => doubleClickRowIn(browser, key);
const waitForText = (id, pattern, timeout) => waitForTextIn(browser, id, pattern, timeout);
const address = () => browser.execute(() => document.querySelector('[data-testid="address-input"]').value);

async function waitForAddress(expected) {
  await waitFor(async () => (await address()) === expected, { timeout: 10_000, what: `the address ${expected}` });
}

before(
  async () => {
    assertPrerequisites([['the CLI binary, which serves the sandbox (set OSSLITE_CLI or run `cargo build -p osslite-cli`)', CLI]]);
    work = makeTempDir('osslite-e2e-look-');
    let endpoint;
    ({ server: sandbox, endpoint } = await startSandbox([
      '--root', path.join(work, 'sandbox'),
      '--bucket', BUCKET,
      '--region', REGION,
      '--access-key-id', KEYS.id,
      '--access-key-secret', KEYS.secret,
    ]));
    for (const { key, body } of SEEDED) await putObject({ endpoint, region: REGION, bucket: BUCKET, key, body, keys: KEYS });
    const appHome = makeTempDir('osslite-e2e-app-');
    await addSandboxProfile(appHome, { name: PROFILE, region: REGION, endpoint, keys: KEYS });
    app = await startApp({ reuse: appHome });
    browser = app.browser;
  },
  { timeout: 60_000 },
);

after(
  async () => {
    await app?.stop();
    await stopGroup(sandbox);
    removeTempDir(app?.dataHome ?? '');
    removeTempDir(work);
  },
  { timeout: 30_000 },
);

const step = scenario(async (slug) => {
  await screenshot(`e2e-failure-${slug}.png`).catch(() => {});
  await screenshotDisplay(`e2e-failure-${slug}-display.png`).catch(() => {});
  console.error(`[e2e] tauri-driver output:\n${app?.log() ?? ''}\n[e2e] sandbox output:\n${sandbox?.log() ?? ''}`);
});

step('preview: an image through the preview scheme, a Markdown file rendered', 60_000, async () => {
  const item = await browser.$(`[data-testid="profile-item"][data-name="${PROFILE}"]`);
  await item.waitForDisplayed({ timeout: 20_000 });
  await (await item.$('[data-testid="profile-open"]')).click();
  const bucket = await browser.$(`[data-testid="bucket-row"][data-name="${BUCKET}"] button`);
  await bucket.waitForDisplayed({ timeout: 15_000 });
  await bucket.click();
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
