// End-to-end test of search (issue 15) in the real OSS Lite window, against the local
// OSS-compatible sandbox: from the bucket root, Ctrl+Shift+F and `*.csv` find the nested
// a/b/c/report-2026.csv among other objects, with its path; it is shared, and the link (curl,
// outside the app) gives exactly its bytes; Esc goes back to the folder.
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
  makeTempDir,
  openProfileBucket,
  putObject,
  removeTempDir,
  run,
  scenario,
  screenshot as screenshotOf,
  screenshotDisplay,
  startApp,
  startSandbox,
  stopGroup,
  waitForText as waitForTextIn,
} from './support.mjs';

const BUCKET = 'search-bucket';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E search';
const KEYS = { id: 'LTAI5tE2eSearchKey01', secret: `e2e-${crypto.randomBytes(12).toString('hex')}` };
const REPORT = 'a/b/c/report-2026.csv';
const REPORT_BODY = Buffer.from(`year,total\n2026,${crypto.randomBytes(8).toString('hex')}\n`);
const SEEDED = [
  { key: REPORT, body: REPORT_BODY },
  { key: 'a/b/notes.txt', body: Buffer.from('notes\n') },
  { key: 'a/summary.md', body: Buffer.from('# summary\n') },
  { key: 'x/report-2026.txt', body: Buffer.from('not a csv\n') },
  { key: 'top.json', body: Buffer.from('{}\n') },
];

let work;
let sandbox;
let app;
let browser;

const byTestId = (id) => byTestIdIn(browser, id);
const screenshot = (name) => screenshotOf(browser, name);
const hitRow = (key) => browser.$(`[data-testid="search-row"][data-key="${key}"]`);

before(
  async () => {
    assertPrerequisites([['the CLI binary, which serves the sandbox (set OSSLITE_CLI or run `cargo build -p osslite-cli`)', CLI]]);
    work = makeTempDir('osslite-e2e-search-');
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

step('search finds a nested match and shares it', 60_000, async () => {
  await openProfileBucket(browser, PROFILE, BUCKET);
  const top = await browser.$('[data-testid="object-row"][data-key="a/"]');
  await top.waitForDisplayed({ timeout: 15_000 });
  await top.click();
  await browser.keys(['Control', 'Shift', 'f']);
  await (await byTestId('search-view')).waitForDisplayed({ timeout: 5_000 });
  await (await byTestId('search-names')).setValue('*.csv');
  await browser.keys(['Enter']);

  const hit = await hitRow(REPORT);
  await hit.waitForDisplayed({ timeout: 15_000 });
  await waitForTextIn(browser, 'search-count', /^1 found, 5 scanned$/);
  assert.equal(await (await hit.$('[data-testid="object-name"]')).getAttribute('title'), REPORT, 'the row shows the path below the bucket root');
  const rows = await browser.execute(() => [...document.querySelectorAll('[data-testid="search-row"]')].map((row) => row.dataset.key));
  assert.deepEqual(rows, [REPORT], 'x/report-2026.txt is no CSV');
  await screenshot('search.png');

  await hit.click();
  await (await byTestId('search-share')).click();
  await (await byTestId('share-dialog')).waitForDisplayed({ timeout: 5_000 });
  // The sandbox speaks plain HTTP.
  const https = await byTestId('share-https');
  if (await https.isSelected()) await https.click();
  const shareUrl = await byTestId('share-url');
  await browser.waitUntil(async () => (await shareUrl.isExisting()) && /^http:.*report-2026\.csv\?/.test(await shareUrl.getValue()), {
    timeout: 10_000,
    timeoutMsg: 'no link for the hit',
  });
  const link = await shareUrl.getValue();
  const { stdout } = await run('curl', ['--silent', '--show-error', '--fail', '--max-time', '15', link], { timeout: 20_000 });
  assert.ok(stdout.equals(REPORT_BODY), `the link ${link} gives other bytes than the object's`);
  await (await byTestId('share-close')).click();
  await (await byTestId('share-dialog')).waitForExist({ timeout: 5_000, reverse: true });

  await browser.keys(['Escape']);
  await browser.keys(['Escape']);
  await (await byTestId('search-view')).waitForExist({ timeout: 5_000, reverse: true });
  await (await browser.$('[data-testid="object-row"][data-key="a/"]')).waitForDisplayed({ timeout: 5_000 });
});
