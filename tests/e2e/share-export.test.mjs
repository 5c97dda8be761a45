// End-to-end test of sharing and exporting (issue 6) in the real OSS Lite window, against the
// local OSS-compatible sandbox (`osslite-cli sandbox`):
//   add a profile through the form (custom endpoint, path addressing, HTTP; the secret goes to the
//   GNOME keyring) → open it → open the bucket and a nested folder → sort by size → share one
//   object (59 s and 32401 s refused, 120 s accepted) → Copy URL → read the X clipboard with xclip
//   → curl downloads exactly the object → export the folder's CSV through the native GTK save
//   dialog (driven with xdotool) → every URL in the CSV downloads its object.
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  CLI,
  answerFileDialog,
  assertPrerequisites,
  byTestId as byTestIdIn,
  dismissWindows,
  doubleClickRow as doubleClickRowIn,
  patternBytes,
  run,
  scenario,
  screenshot as screenshotOf,
  screenshotDisplay,
  shownKeys as shownKeysIn,
  startSandboxApp,
  stopSandboxApp,
  waitFor,
  waitForText as waitForTextIn,
  withTimeout,
} from './support.mjs';

const BUCKET = 'team-bucket';
const REGION = 'cn-hangzhou';
const FOLDER = 'docs/reports/';
const PROFILE = 'E2E sandbox';
const ACCESS_KEY_ID = 'LTAI5tE2eSandboxKey42';
// Random per run, so finding it anywhere means it leaked from this run.
const ACCESS_KEY_SECRET = `e2e-${crypto.randomBytes(12).toString('hex')}`;
const SAVE_DIALOG_TITLE = 'Export URL list';

// The folder under test: names in one order, sizes in another.
const FOLDER_OBJECTS = [
  { key: `${FOLDER}a.txt`, body: patternBytes(3_000, 1, true), shown: '2.9 KB' },
  { key: `${FOLDER}b.bin`, body: patternBytes(1_500_000, 2), shown: '1.4 MB' },
  { key: `${FOLDER}c.md`, body: Buffer.from('# notes\n\nok\n'), shown: '12 B' },
  { key: `${FOLDER}d.csv`, body: patternBytes(150_000, 4, true), shown: '146 KB' },
];
// Around it, so that listing and export must respect the folder.
const OTHER_OBJECTS = [
  { key: 'docs/readme.md', body: Buffer.from('read me\n') },
  { key: 'index.html', body: Buffer.from('<!doctype html><title>x</title>\n') },
];
const SHARED = FOLDER_OBJECTS[1]; // b.bin: the largest, binary

let work; // temporary folder: the sandbox's root and the exported CSV
let sandbox; // the osslite-cli sandbox process
let endpoint; // http://127.0.0.1:PORT
let app; // { browser, dataHome, log(), stop() } from support.mjs
let browser;
let etags; // key → ETag the sandbox answered the upload with
let setup; // what startSandboxApp started

const byTestId = (id) => byTestIdIn(browser, id);
const screenshot = (name) => screenshotOf(browser, name);
const objectRow = (key) => browser.$(`[data-testid="object-row"][data-key="${key}"]`);
const waitForText = (id, pattern, timeout) => waitForTextIn(browser, id, pattern, timeout);
const shownKeys = () => shownKeysIn(browser);
const doubleClickRow = (key) => doubleClickRowIn(browser, key);
const KEYS = { id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET };

/**
 * A modal dialog shows its content: either all of it fits, or the dialog has grown to its maximum
 * height (the viewport less 40 px) and the body scrolls. Catches a body collapsed to a sliver, as
 * WebKitGTK laid it out with `flex: 1` (a 0% basis).
 */
async function assertDialogLaidOut(id) {
  const m = await browser.execute((testid) => {
    const dialog = document.querySelector(`[data-testid="${testid}"]`);
    const body = dialog.querySelector(':scope > .body');
    return { body: body.clientHeight, content: body.scrollHeight, dialog: dialog.getBoundingClientRect().height, viewport: window.innerHeight };
  }, id);
  assert.ok(m.content <= m.body + 1 || m.dialog >= m.viewport - 42, `the ${id} body is cut short: ${JSON.stringify(m)}`);
}

/** GET with curl (outside the app): the body as a Buffer; fails on any HTTP error. */
async function curl(url) {
  const { stdout } = await run('curl', ['--silent', '--show-error', '--fail', '--max-time', '15', url], { timeout: 20_000 });
  return stdout;
}

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

before(
  async () => {
    assertPrerequisites([
      ['the CLI binary, which serves the sandbox (set OSSLITE_CLI or run `cargo build -p osslite-cli`)', CLI],
      ['secret-tool (libsecret-tools)', '/usr/bin/secret-tool'],
      ['xclip', '/usr/bin/xclip'],
      ['xdotool', '/usr/bin/xdotool'],
      ['curl', '/usr/bin/curl'],
      ['ImageMagick import', '/usr/bin/import'],
    ]);
    setup = await startSandboxApp({
      name: 'share',
      buckets: [BUCKET],
      region: REGION,
      keys: KEYS,
      seed: [...FOLDER_OBJECTS, ...OTHER_OBJECTS],
    });
    ({ work, sandbox, endpoint, etags, app, browser } = setup);
  },
  { timeout: 60_000 },
);

after(
  async () => {
    try {
      // A save dialog left open (a failed step) would block deleting the session.
      await dismissWindows(SAVE_DIALOG_TITLE);
    } finally {
      await stopSandboxApp(setup);
    }
  },
  { timeout: 30_000 },
);

// The steps run in order on one window; after a failed (or timed-out) step the rest are skipped.
const step = scenario(async (slug) => {
  await screenshot(`e2e-failure-${slug}.png`).catch(() => {});
  await screenshotDisplay(`e2e-failure-${slug}-display.png`).catch(() => {});
  console.error(`[e2e] tauri-driver output:\n${app?.log() ?? ''}\n[e2e] sandbox output:\n${sandbox?.log() ?? ''}`);
});

step('profile: add the sandbox through the form; the secret goes to the keyring only', 45_000, async () => {
  await byTestId('profiles-empty').then((e) => e.waitForDisplayed({ timeout: 15_000 }));
  await (await byTestId('profile-add')).click();
  await (await byTestId('profile-form')).waitForDisplayed({ timeout: 5_000 });

  await (await byTestId('profile-name')).setValue(PROFILE);
  await (await byTestId('profile-region')).setValue(REGION);
  // Tab on, as a user would.
  await browser.keys(['Tab']);
  await (await byTestId('profile-endpoint-custom')).click();
  await (await byTestId('profile-custom-url')).setValue(endpoint);
  await (await byTestId('profile-addressing-path')).click();
  assert.equal(await (await byTestId('profile-addressing-path')).getAttribute('aria-pressed'), 'true');
  // The URL says http: the HTTPS switch is off (and follows the URL).
  const https = await byTestId('profile-https');
  if (await https.isSelected()) await https.click();
  assert.equal(await https.isSelected(), false, 'HTTPS is still on');
  await (await byTestId('profile-akid')).setValue(ACCESS_KEY_ID);
  await (await byTestId('profile-secret')).setValue(ACCESS_KEY_SECRET);
  assert.equal(await (await byTestId('profile-secret')).getAttribute('type'), 'password');
  await waitForText('profile-endpoint-preview', new RegExp(`^${endpoint.replace(/[.]/g, '\\.')}/bucket/$`));
  await assertDialogLaidOut('profile-form');
  await screenshot('e2e-profile-form.png');

  // Tested before saving (the sandbox's keys work), so the save does not warn.
  await (await byTestId('profile-test-connection')).click();
  await waitForText('profile-test-ok', /^Connected/, 15_000);
  await (await byTestId('profile-save')).click();
  await (await byTestId('profile-form')).waitForExist({ timeout: 10_000, reverse: true });
  const item = await browser.$(`[data-testid="profile-item"][data-name="${PROFILE}"]`);
  await item.waitForDisplayed({ timeout: 5_000 });
  // Only the last four characters of the AccessKey ID are shown.
  const masked = `${'*'.repeat(ACCESS_KEY_ID.length - 4)}${ACCESS_KEY_ID.slice(-4)}`;
  assert.equal(await (await item.$('[data-testid="profile-item-key"]')).getText(), masked);
  assert.ok(!(await browser.getPageSource()).includes(ACCESS_KEY_SECRET), 'the secret is in the page');

  // The secret is in the keyring (under the profile's name) and in none of the app's files.
  const { stdout: stored } = await run('secret-tool', ['lookup', 'service', 'osslite', 'username', PROFILE], { timeout: 10_000 });
  assert.ok(stored.toString().includes(ACCESS_KEY_SECRET), 'the keyring entry does not hold the secret');
  const leaks = [];
  for (const entry of fs.readdirSync(app.dataHome, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (fs.readFileSync(file).includes(ACCESS_KEY_SECRET)) leaks.push(file);
  }
  assert.deepEqual(leaks, [], 'files holding the secret');

  // "Test" lists the sandbox's one bucket with the keys from the keyring, and says it worked.
  await (await item.$('[data-testid="profile-test"]')).click();
  const result = await item.$('[data-testid="profile-test-result"]');
  await result.waitForDisplayed({ timeout: 10_000 });
  let said = '';
  await browser.waitUntil(async () => !/Testing/.test((said = await result.getText())), {
    timeout: 10_000,
    timeoutMsg: 'the connection test did not finish',
  });
  assert.equal(said.trim(), 'Connected: 1 bucket.');
  assert.match(await (await result.$('.notice')).getAttribute('class'), /\bok\b/);
  await screenshot('e2e-profiles.png');
});

step('browse: open the profile, the bucket and docs/reports/; sort by size', 45_000, async () => {
  const item = await browser.$(`[data-testid="profile-item"][data-name="${PROFILE}"]`);
  await (await item.$('[data-testid="profile-open"]')).click();
  const bucket = await browser.$(`[data-testid="bucket-row"][data-name="${BUCKET}"] button`);
  await bucket.waitForDisplayed({ timeout: 15_000 });
  await bucket.click();

  // Server order at the top: folders first, then files by name.
  await objectRow('docs/').then((row) => row.waitForDisplayed({ timeout: 10_000 }));
  assert.deepEqual(await shownKeys(), ['docs/', 'index.html']);
  await doubleClickRow('docs/');
  await objectRow(FOLDER).then((row) => row.waitForDisplayed({ timeout: 10_000 }));
  assert.deepEqual(await shownKeys(), [FOLDER, 'docs/readme.md']);
  await doubleClickRow(FOLDER);
  await waitForText('status-count', /^4 items$/);
  const crumbs = await browser.execute(() => [...document.querySelectorAll('[data-testid="crumb"]')].map((c) => c.textContent.trim()));
  assert.deepEqual(crumbs, ['docs', 'reports']);
  assert.deepEqual(await shownKeys(), FOLDER_OBJECTS.map((o) => o.key));
  await screenshot('e2e-browser.png');

  // Size: largest first, then smallest first on a second click.
  const bySize = [...FOLDER_OBJECTS].sort((a, b) => b.body.length - a.body.length);
  const sortSize = await byTestId('sort-size');
  await sortSize.click();
  await browser.waitUntil(async () => (await sortSize.parentElement().getAttribute('aria-sort')) === 'descending', {
    timeout: 5_000,
    timeoutMsg: 'the size column is not sorted descending',
  });
  assert.deepEqual(await shownKeys(), bySize.map((o) => o.key));
  const sizes = await browser.execute(() => [...document.querySelectorAll('[data-testid="object-row"] .size')].map((c) => c.textContent.trim()));
  assert.deepEqual(sizes, bySize.map((o) => o.shown));
  await sortSize.click();
  await browser.waitUntil(async () => (await sortSize.parentElement().getAttribute('aria-sort')) === 'ascending', {
    timeout: 5_000,
    timeoutMsg: 'the size column is not sorted ascending',
  });
  assert.deepEqual(await shownKeys(), [...bySize].reverse().map((o) => o.key));
  await sortSize.click();
  await browser.waitUntil(async () => (await sortSize.parentElement().getAttribute('aria-sort')) === 'descending');
  assert.deepEqual(await shownKeys(), bySize.map((o) => o.key));
  await screenshot('e2e-sorted.png');
});

step('share: 59 s and 32401 s refused, 120 s accepted; the copied URL downloads the object', 45_000, async () => {
  await (await objectRow(SHARED.key)).click();
  await (await byTestId('share')).click();
  await (await byTestId('share-dialog')).waitForDisplayed({ timeout: 5_000 });
  await (await byTestId('share-url')).waitForExist({ timeout: 10_000 });

  await (await byTestId('validity-custom-unit')).selectByAttribute('value', 'seconds');
  const amount = await byTestId('validity-custom-amount');
  await amount.setValue('59');
  const short = await waitForText('validity-error-text', /59 s is too short/);
  assert.match(short, /between 60 seconds and 9 hours \(32400 s\); 59 s is too short\./);
  await (await byTestId('share-refused')).waitForDisplayed({ timeout: 5_000 });
  assert.equal(await (await byTestId('share-url')).isExisting(), false, 'a link is shown for 59 s');
  await assertDialogLaidOut('share-dialog');
  await screenshot('e2e-share-refused.png');

  await amount.setValue('32401');
  const long = await waitForText('validity-error-text', /32401 s is too long/);
  assert.match(long, /between 60 seconds and 9 hours \(32400 s\); 32401 s is too long\./);
  await (await byTestId('share-refused')).waitForDisplayed({ timeout: 5_000 });
  assert.equal(await (await byTestId('share-url')).isExisting(), false, 'a link is shown for 32401 s');

  await amount.setValue('120');
  const shareUrl = await byTestId('share-url');
  await browser.waitUntil(async () => (await shareUrl.isExisting()) && /[?&]x-oss-expires=120(&|$)/.test(await shareUrl.getValue()), {
    timeout: 10_000,
    timeoutMsg: 'no link with x-oss-expires=120',
  });
  assert.equal(await (await byTestId('validity-error')).isExisting(), false);
  await waitForText('validity-duration', /^2 minutes$/);
  const expiresUtc = await (await byTestId('share-expires-utc')).getText();
  const left = (Date.parse(expiresUtc) - Date.now()) / 1000;
  assert.ok(left > 60 && left <= 121, `the link expires at ${expiresUtc}, not in about 2 minutes`);
  await screenshot('e2e-share.png');

  await (await byTestId('share-copy-url')).click();
  await waitForText('share-copy-url', /Copied/);
  const shown = await shareUrl.getValue();
  assert.ok(shown.startsWith(`${endpoint}/${BUCKET}/${SHARED.key}?`), `unexpected link ${shown}`);
  // The app serves the X clipboard; xclip reads it on the same display.
  const copied = await waitFor(
    async () => {
      const { stdout } = await run('xclip', ['-o', '-selection', 'clipboard'], { timeout: 5_000 });
      return stdout.toString() === shown ? shown : null;
    },
    { timeout: 10_000, what: 'the clipboard holding the shown URL' },
  );
  const body = await curl(copied);
  assert.equal(body.length, SHARED.body.length);
  assert.ok(body.equals(SHARED.body), 'the downloaded bytes differ from the object');

  await (await byTestId('share-close')).click();
  await (await byTestId('share-dialog')).waitForExist({ timeout: 5_000, reverse: true });
});

step('export: the folder as CSV through the native save dialog; every URL downloads its object', 60_000, async () => {
  await (await byTestId('export')).click();
  await (await byTestId('export-dialog')).waitForDisplayed({ timeout: 5_000 });
  // The selection (the shared file) is preselected: export the whole folder instead.
  await (await byTestId('export-scope-folder')).click();
  await waitForText('export-count', /^4 objects match$/);
  await assertDialogLaidOut('export-dialog');
  await screenshot('e2e-export.png');

  const target = path.join(work, 'exported', 'reports-urls.csv');
  fs.mkdirSync(path.dirname(target));
  // WebKitWebDriver answers this click only once the modal GTK dialog has closed: not awaited here.
  const clicking = byTestId('export-csv').then((button) => button.click());
  clicking.catch(() => {}); // awaited below; no unhandled rejection meanwhile

  await answerFileDialog(SAVE_DIALOG_TITLE, target, { screenshotName: 'e2e-export-dialog.png' });
  await withTimeout(clicking, 10_000, 'the Export CSV click');

  const done = await waitForText('export-done', /^Saved 4 rows to /, 20_000);
  assert.equal(done, `Saved 4 rows to ${target}`);
  await screenshot('e2e-export-done.png');

  const rows = parseCsv(fs.readFileSync(target, 'utf8'));
  assert.deepEqual(rows[0], ['key', 'url', 'method', 'expires_at', 'size', 'last_modified', 'etag']);
  const records = rows.slice(1).map((r) => Object.fromEntries(rows[0].map((name, i) => [name, r[i]])));
  assert.deepEqual(records.map((r) => r.key).sort(), FOLDER_OBJECTS.map((o) => o.key), 'one row per object in the folder');
  for (const record of records) {
    const object = FOLDER_OBJECTS.find((o) => o.key === record.key);
    assert.equal(record.method, 'GET');
    assert.equal(Number(record.size), object.body.length, `size of ${record.key}`);
    assert.equal(record.etag, etags.get(record.key), `ETag of ${record.key}`);
    assert.ok(Number.isFinite(Date.parse(record.last_modified)), `last_modified of ${record.key}: ${record.last_modified}`);
    const left = (Date.parse(record.expires_at) - Date.now()) / 1000;
    assert.ok(left > 3000 && left <= 3601, `${record.key} expires at ${record.expires_at}, not in about an hour (the default)`);
    assert.ok(record.url.startsWith(`${endpoint}/${BUCKET}/${record.key}?`), `unexpected URL ${record.url}`);
    assert.match(record.url, /[?&]x-oss-expires=3600(&|$)/);
    const body = await curl(record.url);
    assert.ok(body.equals(object.body), `the bytes behind the URL of ${record.key} differ from the object`);
  }
});

step('upload link for a new name: the copied curl PUTs a file; a default download folder needs no dialog', 60_000, async () => {
  const NEW_KEY = `${FOLDER}from-partner.csv`;
  const upload = Buffer.from('partner,amount\nacme,42\n');
  // The export dialog of the step before is still open.
  if (await (await byTestId('export-dialog')).isExisting()) {
    await browser.keys(['Escape']);
    await (await byTestId('export-dialog')).waitForExist({ timeout: 5_000, reverse: true });
  }
  await (await byTestId('upload')).click();
  await (await byTestId('upload-link')).click();
  await (await byTestId('upload-link-name-dialog')).waitForDisplayed({ timeout: 5_000 });
  await (await byTestId('upload-link-name')).setValue('a.txt');
  await (await byTestId('upload-link-exists')).waitForDisplayed({ timeout: 5_000 });
  await (await byTestId('upload-link-name')).setValue('from-partner.csv');
  await (await byTestId('upload-link-continue')).click();
  await (await byTestId('share-dialog')).waitForDisplayed({ timeout: 5_000 });
  await (await byTestId('share-url')).waitForExist({ timeout: 10_000 });
  assert.equal(await (await byTestId('share-content-type')).getValue(), 'text/csv', 'the core guesses the type from the name');
  await waitForText('share-ctype-note', /Content-Type is signed/);
  assert.equal(await (await byTestId('share-qr-toggle')).isExisting(), false, 'an upload link has no QR code');
  await screenshot('e2e-share-upload-new.png');

  await (await byTestId('share-copy-curl')).click();
  await waitForText('share-copy-curl', /Copied/);
  const command = await waitFor(
    async () => {
      const { stdout } = await run('xclip', ['-o', '-selection', 'clipboard'], { timeout: 5_000 });
      const text = stdout.toString();
      return text.startsWith('curl ') && text.includes('from-partner.csv') ? text : null;
    },
    { timeout: 10_000, what: 'the clipboard holding the curl command' },
  );
  assert.match(command, /-T 'from-partner\.csv' -H 'Content-Type: text\/csv' /);
  const outbox = path.join(work, 'partner');
  fs.mkdirSync(outbox);
  fs.writeFileSync(path.join(outbox, 'from-partner.csv'), upload);
  // As the partner would: the copied command, run by a shell in the folder holding the file.
  await run('sh', ['-c', `cd '${outbox}' && ${command}`], { timeout: 20_000 });
  await (await byTestId('share-close')).click();
  await (await byTestId('share-dialog')).waitForExist({ timeout: 5_000, reverse: true });

  // Settings: a default download folder, chosen once in the GTK dialog.
  const downloads = path.join(work, 'downloads');
  fs.mkdirSync(downloads);
  await (await byTestId('open-settings')).click();
  await (await byTestId('settings-dialog')).waitForDisplayed({ timeout: 5_000 });
  const choosing = byTestId('settings-download-change').then((button) => button.click());
  choosing.catch(() => {}); // awaited below, once the modal GTK dialog has closed
  await answerFileDialog('Default download folder', downloads);
  await withTimeout(choosing, 10_000, 'the Change… click');
  // Read from the DOM: WebKitWebDriver's getText answers "" for this clipped, scrolled-to element.
  const shownPath = () => browser.execute(() => document.querySelector('[data-testid="settings-download-path"]')?.textContent ?? '');
  await waitFor(async () => ((await shownPath()) === downloads ? true : null), { timeout: 10_000, what: 'the chosen folder in Settings' });
  await screenshot('e2e-settings-download-folder.png');
  await browser.keys(['Escape']);
  await (await byTestId('settings-dialog')).waitForExist({ timeout: 5_000, reverse: true });

  // The uploaded object is listed; Download writes it there without asking.
  await (await byTestId('refresh')).click();
  const row = await objectRow(NEW_KEY);
  await row.waitForDisplayed({ timeout: 10_000 });
  await row.click();
  await (await byTestId('download')).click();
  const saved = path.join(downloads, 'from-partner.csv');
  await waitFor(async () => (fs.existsSync(saved) && fs.readFileSync(saved).equals(upload) ? true : null), {
    timeout: 15_000,
    what: 'the download in the default folder',
  });
});
