// End-to-end test of search (issue 15) in the real OSS Lite window, against the local
// OSS-compatible sandbox: from the bucket root, Ctrl+Shift+F and `*.csv` find the nested
// a/b/c/report-2026.csv among other objects, with its path; it is shared, and the link (curl,
// outside the app) gives exactly its bytes; Esc goes back to the folder.
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { openProfileBucket, run, sandboxAppSession } from './support.mjs';

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

let browser;
const session = sandboxAppSession(
  { name: 'search', buckets: [BUCKET], region: REGION, keys: KEYS, seed: SEEDED, profile: PROFILE },
  { started: (setup) => ({ browser } = setup) },
);
const { byTestId, screenshot, objectRow, waitForText, step } = session;
const hitRow = (key) => browser.$(`[data-testid="search-row"][data-key="${key}"]`);

step('search finds a nested match and shares it', 60_000, async () => {
  await openProfileBucket(browser, PROFILE, BUCKET);
  const top = await objectRow('a/');
  await top.waitForDisplayed({ timeout: 15_000 });
  await top.click();
  await browser.keys(['Control', 'Shift', 'f']);
  await (await byTestId('search-view')).waitForDisplayed({ timeout: 5_000 });
  await (await byTestId('search-names')).setValue('*.csv');
  await browser.keys(['Enter']);

  const hit = await hitRow(REPORT);
  await hit.waitForDisplayed({ timeout: 15_000 });
  await waitForText('search-count', /^1 found, 5 scanned$/);
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
  await (await objectRow('a/')).waitForDisplayed({ timeout: 5_000 });
});
