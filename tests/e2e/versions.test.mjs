// End-to-end test of object versions (issue 15) in the real OSS Lite window, against the local
// OSS-compatible sandbox:
//   → enable versioning in the bucket details
//   → write doc.txt twice (presigned PUTs, outside the app), then overwrite it through the app's
//     Upload: the conflict dialog says it creates a new version and asks no overwrite question
//   → open Versions from the context menu: three versions, the newest marked latest; the first
//     downloaded (a transfer) as "doc (version …).txt" with the first content
//   → restore the first as the latest: the object's content is the first content again (read
//     through a link the CLI signs), and the dialog lists a fourth version.
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, answerFileDialog, dismissWindows, openProfileBucket, putObject, run, sandboxAppSession, waitFor, withTimeout } from './support.mjs';

const BUCKET = 'versions-bucket';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E versions';
const ACCESS_KEY_ID = 'LTAI5tE2eVersionsKey1';
const ACCESS_KEY_SECRET = `e2e-${crypto.randomBytes(12).toString('hex')}`;
const KEYS = { id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET };
const UPLOAD_DIALOG = 'Upload files';
const KEY = 'doc.txt';
const CONTENTS = ['first content\n', 'second content, a little longer\n', 'third content, written by the app\n'];

let browser;
let work;
let endpoint;
const session = sandboxAppSession(
  {
    name: 'versions',
    buckets: [BUCKET],
    region: REGION,
    keys: KEYS,
    profile: PROFILE,
    prepare: ({ work, appHome }) => {
      fs.mkdirSync(path.join(work, 'local'));
      fs.writeFileSync(path.join(work, 'local', KEY), CONTENTS[2]);
      // The OS Downloads folder the app downloads into, as the XDG user dirs name it.
      fs.mkdirSync(path.join(appHome, 'config'), { recursive: true });
      fs.writeFileSync(path.join(appHome, 'config', 'user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${path.join(work, 'downloads')}"\n`);
    },
  },
  { started: (setup) => ({ browser, work, endpoint } = setup), beforeStop: () => dismissWindows(UPLOAD_DIALOG) },
);
const { byTestId, screenshot, objectRow, waitForText, step } = session;
const env = () => ({ ...process.env, OSS_ACCESS_KEY_ID: ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET });
const cliArgs = () => ['--endpoint', endpoint, '--addressing', 'path', '--region', REGION];
const versionRows = () => browser.$$('[data-testid="version-row"]');

/** The latest content of `key`, through a link the CLI signs. */
async function latestContent(key) {
  const { stdout } = await run(CLI, ['presign', `oss://${BUCKET}/${key}`, ...cliArgs()], { env: env() });
  const response = await fetch(stdout.toString().trim(), { signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200);
  return response.text();
}

step('versioning: enabled in the bucket details, with what it means', 45_000, async () => {
  await openProfileBucket(browser, PROFILE, BUCKET);
  await (await byTestId('object-table')).waitForDisplayed({ timeout: 10_000 });
  await (await byTestId('bucket-info')).click();
  await waitForText('versioning-status', /^Off$/);
  assert.match(await (await byTestId('versioning-explain')).getText(), /cannot be turned off, only suspended/);
  await (await byTestId('versioning-enable')).click();
  await waitForText('versioning-status', /^Enabled$/);
  const { stdout } = await run(CLI, ['versioning', `oss://${BUCKET}`, ...cliArgs()], { env: env() });
  assert.match(stdout.toString(), /Enabled/);
  await browser.keys(['Escape']);
  await (await byTestId('bucket-info-dialog')).waitForExist({ reverse: true, timeout: 5_000 });
});

step('upload: the third write, through the app, creates a new version', 45_000, async () => {
  for (const body of CONTENTS.slice(0, 2)) await putObject({ endpoint, region: REGION, bucket: BUCKET, key: KEY, body: Buffer.from(body), keys: KEYS });
  await (await byTestId('refresh')).click();
  await (await objectRow(KEY)).waitForDisplayed({ timeout: 10_000 });

  await (await byTestId('upload')).click();
  const clicking = byTestId('upload-files').then((item) => item.click());
  clicking.catch(() => {});
  await answerFileDialog(UPLOAD_DIALOG, path.join(work, 'local', KEY));
  await withTimeout(clicking, 10_000, 'the Files… click');
  await waitForText('conflict-name', /creates a new version/);
  assert.equal(await (await byTestId('conflict-overwrite')).isExisting(), false, 'no overwrite question');
  await (await byTestId('conflict-new-version')).click();
  await waitFor(async () => (await latestContent(KEY)) === CONTENTS[2], { timeout: 20_000, interval: 300, what: 'the upload as the latest version' });
});

step('versions: three listed; the first restored as the latest brings its content back', 45_000, async () => {
  const row = await objectRow(KEY);
  await row.click({ button: 'right' });
  await (await byTestId('menu-versions')).click();
  await (await byTestId('versions-dialog')).waitForDisplayed({ timeout: 5_000 });
  await waitFor(async () => (await versionRows()).length === 3, { timeout: 10_000, what: 'three versions listed' });
  const rows = await versionRows();
  assert.equal(await rows[0].getAttribute('data-latest'), 'true');
  assert.equal(await rows[2].getAttribute('data-latest'), 'false');
  await screenshot('versions.png');

  await (await rows[2].$('[data-testid="version-download"]')).click();
  const downloaded = await waitFor(
    () => {
      const folder = path.join(work, 'downloads');
      const names = fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => /^doc \(version \w{8}\)\.txt$/.test(n)) : [];
      return names.length === 1 ? path.join(folder, names[0]) : null;
    },
    { timeout: 15_000, interval: 200, what: 'the first version downloaded as "doc (version …).txt"' },
  );
  assert.equal(fs.readFileSync(downloaded, 'utf8'), CONTENTS[0]);

  await (await rows[2].$('[data-testid="version-restore"]')).click();
  await waitFor(async () => (await versionRows()).length === 4, { timeout: 10_000, what: 'the restored copy listed as a fourth version' });
  assert.equal(await latestContent(KEY), CONTENTS[0]);
  await (await byTestId('versions-close')).click();
});
