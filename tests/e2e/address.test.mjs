// End-to-end test of pasted addresses picking the profile (issue 15) in the real OSS Lite window,
// against the local OSS-compatible sandbox serving two buckets, with two saved profiles:
//   "E2E first"  path-style on http://127.0.0.1:PORT (opened first)
//   "E2E site"   a custom domain: http://addr-site.localhost:PORT bound to bucket addr-site
//                (the sandbox takes BUCKET.localhost as virtual-hosted; the client resolves
//                *.localhost to loopback)
//   → in "E2E first", paste a presigned URL of the custom domain: "E2E site" opens, in the
//     object's folder, the object selected; the signature is kept nowhere
//   → paste a URL of a host no profile uses: the address bar names it and says what to do.
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  CLI,
  addSandboxProfile,
  assertPrerequisites,
  byTestId as byTestIdIn,
  openProfileBucket,
  scenario,
  screenshot as screenshotOf,
  screenshotDisplay,
  startSandboxApp,
  stopSandboxApp,
  waitFor,
  waitForText as waitForTextIn,
} from './support.mjs';

const FIRST = 'addr-first';
const SITE = 'addr-site';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E first';
const SITE_PROFILE = 'E2E site';
const KEYS = { id: 'LTAI5tE2eAddressKey1', secret: `e2e-${crypto.randomBytes(12).toString('hex')}` };
const TARGET = 'reports/2026/q3.txt';
const SIGNATURE = 'c0ffee5e1f';

let setup;
let browser;

const byTestId = (id) => byTestIdIn(browser, id);
const screenshot = (name) => screenshotOf(browser, name);
const objectRow = (key) => browser.$(`[data-testid="object-row"][data-key="${key}"]`);
const waitForText = (id, pattern, timeout) => waitForTextIn(browser, id, pattern, timeout);
const address = () => browser.execute(() => document.querySelector('[data-testid="address-input"]').value);

/** The files below `dir` whose bytes contain `text`. */
function filesHolding(dir, text) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => fs.readFileSync(file).includes(text));
}

async function paste(text) {
  const input = await byTestId('address-input');
  await input.click();
  await browser.keys(['Control', 'a']);
  await input.setValue(text);
  await browser.keys(['Enter']);
}

before(
  async () => {
    assertPrerequisites([['the CLI binary, which serves the sandbox (set OSSLITE_CLI or run `cargo build -p osslite-cli`)', CLI]]);
    const filler = Array.from({ length: 12 }, (_, i) => ({ bucket: SITE, key: `reports/2026/a-${i}.txt`, body: Buffer.from(`${i}\n`) }));
    setup = await startSandboxApp({
      name: 'address',
      buckets: [FIRST, SITE],
      region: REGION,
      keys: KEYS,
      seed: [{ key: 'start/readme.txt', body: Buffer.from('first\n') }, ...filler, { bucket: SITE, key: TARGET, body: Buffer.from('q3\n') }],
      profile: PROFILE,
      prepare: ({ endpoint, appHome }) =>
        addSandboxProfile(appHome, {
          name: SITE_PROFILE,
          region: REGION,
          endpoint: endpoint.replace('127.0.0.1', `${SITE}.localhost`),
          keys: KEYS,
          addressing: 'cname',
          presetPath: `oss://${SITE}/`,
        }),
    });
    ({ browser } = setup);
  },
  { timeout: 60_000 },
);

after(() => stopSandboxApp(setup), { timeout: 30_000 });

const step = scenario(async (slug) => {
  await screenshot(`e2e-failure-${slug}.png`).catch(() => {});
  await screenshotDisplay(`e2e-failure-${slug}-display.png`).catch(() => {});
  console.error(`[e2e] tauri-driver output:\n${setup?.app?.log() ?? ''}\n[e2e] sandbox output:\n${setup?.sandbox?.log() ?? ''}`);
});

step("a presigned custom-domain URL opens that domain's profile on the object, selected", 45_000, async () => {
  await openProfileBucket(browser, PROFILE, FIRST);
  await (await objectRow('start/')).waitForDisplayed({ timeout: 15_000 });
  const host = new URL(setup.endpoint).host.replace('127.0.0.1', `${SITE}.localhost`);
  await paste(`http://${host}/${TARGET}?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-expires=600&x-oss-signature=${SIGNATURE}`);

  const row = await objectRow(TARGET);
  await row.waitForDisplayed({ timeout: 15_000 });
  await waitFor(async () => (await row.getAttribute('aria-selected')) === 'true', { timeout: 10_000, what: `${TARGET} selected` });
  assert.equal(await (await byTestId('profile-switcher')).getValue(), SITE_PROFILE);
  assert.equal(await address(), `oss://${SITE}/reports/2026/`);
  const inView = await browser.execute((key) => {
    const box = document.querySelector(`[data-testid="object-row"][data-key="${key}"]`).getBoundingClientRect();
    const list = document.querySelector('[role="grid"]').getBoundingClientRect();
    return box.top >= list.top && box.bottom <= list.bottom + 1;
  }, TARGET);
  assert.ok(inView, 'the object is scrolled into view');
  const stored = await browser.execute(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(SIGNATURE), 'no signature in the app storage (recent locations)');
  assert.deepEqual(filesHolding(setup.app.dataHome, SIGNATURE), [], 'no signature in any file of the app (logs, settings)');
  await screenshot('e2e-address-custom-domain.png');
});

step('a host no saved profile uses is named, with what to do', 30_000, async () => {
  await paste('https://files.nowhere.example.org/a.txt');
  const message = await waitForText('address-problem', /No saved profile uses files\.nowhere\.example\.org: add one with that endpoint or custom domain/);
  assert.ok(message.length > 0);
  assert.equal(await (await byTestId('profile-switcher')).getValue(), SITE_PROFILE, 'the profile stays');
  await screenshot('e2e-address-unknown-host.png');
});
