// End-to-end test of managing objects (issue 14) in the real OSS Lite window, against the local
// OSS-compatible sandbox (`osslite-cli sandbox --restore-seconds 2`):
//   → rename the folder `reports/` (three objects) to `archive-2026/` with F2: one move job in the
//     transfer panel, the three objects under the new name and none under the old
//   → change the Content-Type of two objects through Properties, after its preview
//   → an archived object: its download is refused with an explanation and the restore dialog;
//     restored (the sandbox completes it after 2 s), then downloaded, bytes as uploaded
//   → the size of a folder in the details panel, by storage class.
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  CLI,
  answerFileDialog,
  dismissWindows,
  goToBucketRoot,
  openProfileBucket,
  patternBytes,
  run,
  sandboxAppSession,
  waitFor,
} from './support.mjs';

const BUCKET = 'manage-bucket';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E manage';
const ACCESS_KEY_ID = 'LTAI5tE2eManageKey01';
const ACCESS_KEY_SECRET = `e2e-${crypto.randomBytes(12).toString('hex')}`;
const KEYS = { id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET };
const FOLDER_DIALOG = 'Choose a folder';

const REPORTS = ['reports/q1.csv', 'reports/q2.csv', 'reports/q3.csv'];
const TYPED = ['pages/index.txt', 'pages/about.txt'];
const FROZEN = { key: 'cold/frozen.bin', body: patternBytes(300_000, 41) };
const SEEDED = [
  ...REPORTS.map((key, i) => ({ key, body: patternBytes(10_000 + i, 20 + i, true) })),
  ...TYPED.map((key, i) => ({ key, body: patternBytes(2_000 + i, 30 + i, true) })),
  { key: 'cold/warm.bin', body: patternBytes(50_000, 40) },
  FROZEN,
];

let endpoint; // known once the sandbox serves: `prepare` runs the CLI on it before the app starts
const env = () => ({ ...process.env, OSS_ACCESS_KEY_ID: ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET });
const target = ['--endpoint', () => endpoint, '--addressing', 'path', '--region', REGION];
const cliArgs = () => target.map((a) => (typeof a === 'function' ? a() : a));

/** `osslite-cli stat --json` of a key. */
async function stat(key) {
  const { stdout } = await run(CLI, ['stat', '--json', `oss://${BUCKET}/${key}`, ...cliArgs()], { env: env() });
  return JSON.parse(stdout.toString());
}

/** Keys under `prefix`, from the server (`osslite-cli ls`). */
async function serverKeys(prefix) {
  const { stdout } = await run(CLI, ['ls', `oss://${BUCKET}/${prefix}`, ...cliArgs()], { env: env() });
  return stdout
    .toString()
    .split('\n')
    .map((line) => /oss:\/\/[^/]+\/(\S+)/.exec(line)?.[1])
    .filter(Boolean);
}

/** Waits until the transfer panel shows a management job in `state`; returns how many. */
async function waitForJobs(count, state = 'done') {
  return waitFor(
    async () => {
      const states = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid="transfer-row"]')].map((row) => row.dataset.state),
      );
      if (states.includes('failed')) {
        const reason = await browser.execute(() => document.querySelector('[data-testid="transfer-row"][data-state="failed"] [data-testid="transfer-reason"]')?.textContent);
        throw new Error(`a job failed: ${reason}`);
      }
      return states.filter((s) => s === state).length >= count ? states.length : null;
    },
    { timeout: 20_000, interval: 200, what: `${count} job(s) ${state}` },
  );
}

let browser;
let work;
const session = sandboxAppSession(
  {
    name: 'manage',
    buckets: [BUCKET],
    region: REGION,
    keys: KEYS,
    sandboxArgs: ['--restore-seconds', '2'],
    seed: SEEDED,
    profile: PROFILE,
    prepare: async ({ endpoint: served }) => {
      endpoint = served;
      await run(CLI, ['set-class', `oss://${BUCKET}/${FROZEN.key}`, 'Archive', ...cliArgs()], { env: env() });
    },
  },
  { started: (setup) => ({ browser, work } = setup), beforeStop: () => dismissWindows(FOLDER_DIALOG) },
);
const { byTestId, screenshot, objectRow, shownKeys, doubleClickRow, waitForText, step } = session;

step('rename: F2 on a folder of three objects moves them all to the new name', 60_000, async () => {
  await openProfileBucket(browser, PROFILE, BUCKET);
  const reports = await objectRow('reports/');
  await reports.waitForDisplayed({ timeout: 10_000 });
  await reports.click();
  await browser.keys(['F2']);
  const name = await byTestId('rename-name');
  await name.waitForDisplayed({ timeout: 5_000 });
  await name.clearValue();
  await name.setValue('archive-2026');
  await screenshot('e2e-manage-rename.png');
  await (await byTestId('rename-confirm')).click();
  await waitForJobs(1);
  await (await objectRow('archive-2026/')).waitForDisplayed({ timeout: 10_000 });
  assert.deepEqual(await serverKeys('reports/'), []);
  assert.deepEqual((await serverKeys('archive-2026/')).sort(), ['archive-2026/q1.csv', 'archive-2026/q2.csv', 'archive-2026/q3.csv']);
  assert.ok(!(await shownKeys()).includes('reports/'), 'the list follows the rename');
});

step('properties: the Content-Type of two objects, previewed, then changed', 45_000, async () => {
  await doubleClickRow('pages/');
  await (await objectRow('pages/about.txt')).waitForDisplayed({ timeout: 10_000 });
  await (await objectRow('pages/about.txt')).click();
  await browser.keys(['Shift', 'ArrowDown']);
  await waitForText('selection-count', /^2 selected/);
  await (await byTestId('manage-menu')).click();
  await (await byTestId('manage-properties')).click();
  const type = await byTestId('header-Content-Type');
  await type.waitForDisplayed({ timeout: 5_000 });
  await type.setValue('text/markdown; charset=utf-8');
  await (await byTestId('meta-preview-button')).click();
  const preview = await waitForText('meta-preview', /2 objects/);
  assert.match(preview, /Content-Type: .* → text\/markdown; charset=utf-8/);
  await screenshot('e2e-manage-properties.png');
  await (await byTestId('meta-apply')).click();
  await waitForJobs(2);
  for (const key of TYPED) assert.equal((await stat(key)).contentType, 'text/markdown; charset=utf-8', key);
});

step('restore: an archived object is explained, restored, then downloaded', 60_000, async () => {
  await goToBucketRoot(browser);
  await doubleClickRow('cold/');
  const frozen = await objectRow(FROZEN.key);
  await frozen.waitForDisplayed({ timeout: 10_000 });
  await frozen.click();
  await (await byTestId('download')).click();
  const why = await waitForText('restore-why', /cannot be downloaded until they are restored/);
  assert.ok(why);
  await screenshot('e2e-manage-restore.png');
  await (await byTestId('restore-confirm')).click();
  await waitForJobs(3);
  // The sandbox completes the restore after 2 s; a download started after that is allowed.
  await waitFor(async () => ((await stat(FROZEN.key)).restore !== 'ongoing' ? true : null), {
    timeout: 15_000,
    interval: 300,
    what: 'the sandbox completing the restore',
  });
  const downloads = path.join(work, 'downloads');
  fs.mkdirSync(downloads);
  // The list reloaded when the job ended; select the object again.
  await (await objectRow(FROZEN.key)).click();
  await waitForText('selection-count', /^1 selected/);
  // Asked where to save, not into the default download folder: the test chooses its own.
  await browser.execute(() => localStorage.setItem('osslite.askDownloadFolder.v1', 'ask'));
  await (await byTestId('download')).click();
  await answerFileDialog(FOLDER_DIALOG, downloads);
  const file = path.join(downloads, 'frozen.bin');
  await waitFor(() => (fs.existsSync(file) && fs.statSync(file).size === FROZEN.body.length ? true : null), {
    timeout: 20_000,
    what: 'the restored object downloaded',
  });
  assert.ok(fs.readFileSync(file).equals(FROZEN.body), 'the downloaded bytes are the object’s');
});

step('size: a folder’s objects and bytes by storage class in the details panel', 30_000, async () => {
  await goToBucketRoot(browser);
  const cold = await objectRow('cold/');
  await cold.waitForDisplayed({ timeout: 10_000 });
  await cold.click();
  if (!(await (await byTestId('details-panel')).isExisting())) await (await byTestId('toggle-details')).click();
  await (await byTestId('folder-size-count')).click();
  const total = await waitForText('folder-size-total', /2 objects/);
  assert.match(total, /2 objects/);
  const classes = await waitForText('folder-size-classes', /Archive/);
  assert.match(classes, /Standard/);
  await screenshot('e2e-manage-folder-size.png');
});
