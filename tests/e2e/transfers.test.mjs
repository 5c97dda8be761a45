// End-to-end test of transfers (issue 7) in the real OSS Lite window, against the local
// OSS-compatible sandbox (`osslite-cli sandbox`, its bodies capped at 4 MiB/s each so that a large
// transfer lasts long enough to pause it or to kill the app during it):
//   a profile saved with `osslite-cli profile add` (the app's own XDG homes, the run's keyring)
//   → open it and the bucket
//   → drop two files and a folder with a nested subfolder from the OS onto the `inbox/` row: all
//     four files land under inbox/, keys, sizes and CRC-64s as on disk
//   → upload 300 MiB through Upload → the GTK "Upload files" dialog, pause it from the panel (no
//     byte and no part moves while paused), resume it, verify size and CRC-64
//   → download it into a folder chosen in the GTK "Choose a folder" dialog, SIGKILL the app
//     mid-way, start it again: it offers the unfinished download, which continues from its
//     checkpoint and ends with the object's bytes and no part file
//   → download a file into a folder that holds one of that name: the conflict dialog (before it starts), "Keep
//     both", `notes (1).txt` beside the untouched original.
//
// How the drop is injected: nothing calls the upload command. drag_source.py (Debian's python3
// with PyGObject) shows a small GTK 3 window that offers the local paths as `text/uri-list`, as a
// file manager does. xdotool presses the mouse on it and moves the pointer in steps onto the app's
// window (XTEST: real X pointer events), over the object list and then over the `inbox/` row, and
// releases. GTK runs the drag as an XDND source; the app's GTK/WebKitGTK window is the XDND target,
// wry turns GTK's drag signals into Tauri's webview drag-drop event, and the UI's onDragDropEvent
// listener (api.ts onFileDrop, used by ObjectBrowser) shows the overlay and starts the upload.
// Xvfb runs without a window manager: XDND between two X clients does not need one.
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CLI,
  answerFileDialog,
  appProcess,
  assertPrerequisites,
  byTestId as byTestIdIn,
  dismissWindows,
  doubleClickRow as doubleClickRowIn,
  goToBucketRoot,
  patternBytes,
  run,
  scenario,
  screenshot as screenshotOf,
  screenshotDisplay,
  shownKeys as shownKeysIn,
  spawnGroup,
  startApp,
  startSandboxApp,
  stopGroup,
  stopSandboxApp,
  waitFor,
  waitForText as waitForTextIn,
  withTimeout,
} from './support.mjs';
import { Crc64, crc64 } from './crc64.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DRAG_SOURCE = path.join(HERE, 'drag_source.py');
const PYTHON = '/usr/bin/python3'; // Debian's, which has python3-gi (a venv or pyenv one may not)

const BUCKET = 'transfer-bucket';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E transfers';
const ACCESS_KEY_ID = 'LTAI5tE2eTransferKey7';
const ACCESS_KEY_SECRET = `e2e-${crypto.randomBytes(12).toString('hex')}`;
/** The sandbox's cap on every request and response body: 4 parts in flight move 16 MiB/s. */
const BANDWIDTH = 4 << 20;
const MIB = 1024 * 1024;
const BIG_SIZE = 300 * MIB;
const BIG_NAME = 'big-300.bin';
const UPLOAD_DIALOG = 'Upload files';
const FOLDER_DIALOG = 'Choose a folder';

/** Whether two files hold the same bytes (compared in 8 MiB chunks). */
function sameBytes(a, b) {
  if (fs.statSync(a).size !== fs.statSync(b).size) return false;
  const [fa, fb] = [fs.openSync(a, 'r'), fs.openSync(b, 'r')];
  try {
    const [ca, cb] = [Buffer.alloc(8 * MIB), Buffer.alloc(8 * MIB)];
    for (;;) {
      const n = fs.readSync(fa, ca, 0, ca.length, null);
      const m = fs.readSync(fb, cb, 0, cb.length, null);
      if (n !== m || !ca.subarray(0, n).equals(cb.subarray(0, m))) return false;
      if (n === 0) return true;
    }
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}

// ---------------------------------------------------------------- test data

const DROP_TARGET = 'inbox/';
// What is dropped: two files and a folder with a nested subfolder (paths relative to the drop
// folder), and the keys they must become.
const DROPPED_FILES = [
  { rel: 'report.pdf', body: patternBytes(1_500_000, 11) },
  { rel: 'notes.txt', body: patternBytes(20_000, 12, true) },
  { rel: 'album/cover.jpg', body: patternBytes(700_000, 13) },
  { rel: 'album/raw/shot-01.raw', body: patternBytes(2_000_000, 14) },
].map((f) => ({ ...f, key: `${DROP_TARGET}${f.rel}`, crc: crc64(f.body) }));
const DROPPED_PATHS = ['report.pdf', 'notes.txt', 'album']; // what the drag offers
const SEEDED = [
  { key: `${DROP_TARGET}readme.txt`, body: Buffer.from('Drop files here.\n') },
  { key: 'index.html', body: Buffer.from('<!doctype html><title>x</title>\n') },
];

/** Writes `size` random bytes to `file` and returns their CRC-64. */
function writeRandomFile(file, size) {
  const crc = new Crc64();
  const fd = fs.openSync(file, 'w');
  try {
    for (let left = size; left > 0; ) {
      const chunk = crypto.randomBytes(Math.min(left, 8 * MIB));
      crc.update(chunk);
      fs.writeSync(fd, chunk);
      left -= chunk.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return crc.digest();
}

// ---------------------------------------------------------------- state

let work; // temporary folder: sandbox root, files to drop and upload, download folders
let sandbox; // the osslite-cli sandbox process
let endpoint; // http://127.0.0.1:PORT
let appHome; // the app's XDG homes, kept across the restart
let app; // { browser, dataHome, driver, log(), stop() } from support.mjs
let browser;
let setup; // what startSandboxApp started
let dragSource; // the drag_source.py process while a drag runs
let big; // { file, crc } of the 300 MiB file

const byTestId = (id) => byTestIdIn(browser, id);
const screenshot = (name) => screenshotOf(browser, name);
const objectRow = (key) => browser.$(`[data-testid="object-row"][data-key="${key}"]`);
const checkpointDir = () => path.join(appHome, 'data', 'osslite', 'checkpoints');
const waitForText = (id, pattern, timeout) => waitForTextIn(browser, id, pattern, timeout);
const shownKeys = () => shownKeysIn(browser);
const doubleClickRow = (key) => doubleClickRowIn(browser, key);
const KEYS = { id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET };

/** The object as the sandbox describes it (`osslite-cli stat`): { size, crc64 }. */
async function stat(key) {
  const { stdout } = await run(
    CLI,
    ['stat', '--json', `oss://${BUCKET}/${key}`, '--endpoint', endpoint, '--addressing', 'path', '--region', REGION],
    { env: { ...process.env, OSS_ACCESS_KEY_ID: ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET } },
  );
  // The CRC is a u64: keep its digits exact (JSON.parse would round it to a double).
  const text = stdout.toString();
  const crc = /"crc64":\s*(\d+)/.exec(text);
  return { size: JSON.parse(text).contentLength, crc64: crc ? crc[1] : null };
}

/** The multipart upload parts the sandbox holds (stored parts and bodies still arriving). */
function sandboxParts() {
  const root = path.join(work, 'sandbox');
  const uploads = path.join(root, 'buckets', BUCKET, 'uploads');
  let parts = 0;
  for (const id of fs.existsSync(uploads) ? fs.readdirSync(uploads) : []) {
    parts += fs.readdirSync(path.join(uploads, id)).filter((name) => /^part-\d+\.json$/.test(name)).length;
  }
  let staging = 0;
  const tmp = path.join(root, 'tmp');
  for (const name of fs.existsSync(tmp) ? fs.readdirSync(tmp) : []) {
    try {
      staging += fs.statSync(path.join(tmp, name)).size;
    } catch {
      // Finished meanwhile.
    }
  }
  return { parts, staging };
}

// ---------------------------------------------------------------- the window

/** The transfer panel's rows as shown: { id, state, source, destination, done, total }. */
const transferRows = () =>
  browser.execute(() =>
    [...document.querySelectorAll('[data-testid="transfer-row"]')].map((row) => ({
      id: Number(row.dataset.id),
      state: row.dataset.state,
      source: row.dataset.source,
      destination: row.dataset.destination,
      done: Number(row.dataset.done),
      total: Number(row.dataset.total),
      pill: row.querySelector('[data-testid="transfer-state"]')?.textContent.trim() ?? '',
    })),
  );

/** Waits until the panel shows a row matching `match` for which `ready` holds; returns that row. */
async function waitForTransfer(match, ready, { timeout = 20_000, what = 'the transfer' } = {}) {
  let last = null;
  try {
    return await waitFor(
      async () => {
        const row = (await transferRows()).find(match);
        if (row) last = row;
        if (row?.state === 'failed' && !ready(row)) throw new Error(`${what} failed: ${row.pill}`);
        return row && ready(row) ? row : null;
      },
      { timeout, interval: 200, what },
    );
  } catch (error) {
    error.message += `\n(last row seen: ${JSON.stringify(last)})`;
    throw error;
  }
}

const transferRow = (id) => browser.$(`[data-testid="transfer-row"][data-id="${id}"]`);

/** Opens a folder of the bucket from the bucket's root, through the breadcrumbs and rows. */
async function openFolder(prefix) {
  await goToBucketRoot(browser);
  let at = '';
  for (const part of prefix.split('/').filter(Boolean)) {
    const next = `${at}${part}/`;
    await doubleClickRow(next);
    at = next;
  }
  await browser.waitUntil(async () => (await shownKeys()).every((key) => key.startsWith(prefix)), {
    timeout: 10_000,
    timeoutMsg: `the list did not show ${prefix}`,
  });
}

/** Opens the profile (unless a restarted app reopens it by itself) and the bucket. */
async function openProfileAndBucket({ restarted = false } = {}) {
  const browserPane = await byTestId('browser');
  const item = await browser.$(`[data-testid="profile-item"][data-name="${PROFILE}"]`);
  await browser.waitUntil(async () => (await browserPane.isExisting()) || (await item.isExisting()), {
    timeout: 20_000,
    timeoutMsg: 'neither the profile list nor the browser showed',
  });
  // A restarted app reopens the last profile by itself (when WebKit had saved localStorage);
  // the profile list shows until then.
  if (!(await browserPane.isExisting())) {
    const reopened = restarted && (await browserPane.waitForExist({ timeout: 3_000 }).catch(() => false));
    if (!reopened) await (await item.$('[data-testid="profile-open"]')).click();
  }
  const bucket = await browser.$(`[data-testid="bucket-row"][data-name="${BUCKET}"] button`);
  await bucket.waitForDisplayed({ timeout: 15_000 });
  await bucket.click();
  await objectRow(DROP_TARGET).then((row) => row.waitForDisplayed({ timeout: 10_000 }));
}

/** Root-window geometry of the app's X window: { x, y, width, height }. */
async function appWindowGeometry() {
  const { stdout: ids } = await run('xdotool', ['search', '--onlyvisible', '--name', '^OSS Lite$'], { timeout: 5_000 });
  const [id, ...others] = ids.toString().split(/\s+/).filter(Boolean);
  assert.equal(others.length, 0, 'more than one window is titled OSS Lite');
  const { stdout } = await run('xdotool', ['getwindowgeometry', '--shell', id], { timeout: 5_000 });
  const get = (name) => Number(new RegExp(`^${name}=(\\d+)$`, 'm').exec(stdout.toString())[1]);
  return { x: get('X'), y: get('Y'), width: get('WIDTH'), height: get('HEIGHT') };
}

/** Where on the X display a point of the web view is (the web view fills the window). */
async function screenPoint(selector, { dx = 0.5, dy = 0.5 } = {}) {
  const [geometry, box] = await Promise.all([
    appWindowGeometry(),
    browser.execute((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width, height: r.height, ratio: window.devicePixelRatio, innerWidth: window.innerWidth, innerHeight: window.innerHeight };
    }, selector),
  ]);
  assert.equal(box.ratio, 1, 'the display is not at 1 device pixel per CSS pixel');
  assert.equal(box.innerWidth, geometry.width, 'the web view is not as wide as the window');
  assert.equal(box.innerHeight, geometry.height, 'the web view is not as high as the window');
  return { x: Math.round(geometry.x + box.left + box.width * dx), y: Math.round(geometry.y + box.top + box.height * dy) };
}

const xdotool = (...args) => run('xdotool', args.map(String), { timeout: 5_000 });

/** Moves the pointer from where it is to `to` in small steps (each one an X motion event). */
async function glide(from, to, steps = 15) {
  for (let i = 1; i <= steps; i++) {
    await xdotool('mousemove', Math.round(from.x + ((to.x - from.x) * i) / steps), Math.round(from.y + ((to.y - from.y) * i) / steps));
    await sleep(30);
  }
  return to;
}

/** What the drop overlay says, or null when it is not shown. */
const overlay = () =>
  browser.execute(() => {
    const element = document.querySelector('[data-testid="drop-overlay"]');
    if (!element) return null;
    return {
      target: element.querySelector('[data-testid="drop-target"]')?.textContent.trim(),
      text: element.textContent.replace(/\s+/g, ' ').trim(),
      highlighted: [...document.querySelectorAll('[data-testid="object-row"].drop-row')].map((row) => row.dataset.key),
    };
  });

async function waitForOverlay(check, what) {
  let last = null;
  return waitFor(
    async () => {
      last = await overlay();
      return last && check(last) ? last : null;
    },
    { timeout: 10_000, interval: 100, what },
  ).catch((error) => {
    error.message = `${error.message} (last overlay: ${JSON.stringify(last)})`;
    throw error;
  });
}

/** Clicks "Clear finished" when there is something to clear, so the panel shows only what follows. */
async function clearFinished() {
  const clear = await byTestId('transfer-clear');
  if ((await clear.isExisting()) && (await clear.isEnabled())) await clear.click();
  await browser.waitUntil(async () => (await transferRows()).every((r) => !['done', 'cancelled'].includes(r.state)), {
    timeout: 5_000,
    timeoutMsg: 'finished transfers stayed in the panel',
  });
}

/** Clicks Download with the selection and answers the folder dialog with `folder`. */
async function downloadInto(folder, screenshotName) {
  // Settings' "Ask every time": the GTK folder dialog rather than the default download folder.
  await browser.execute(() => localStorage.setItem('osslite.askDownloadFolder.v1', 'ask'));
  // WebKitWebDriver answers this click only once the modal GTK dialog has closed: not awaited here.
  const clicking = byTestId('download').then((button) => button.click());
  clicking.catch(() => {}); // awaited below; no unhandled rejection meanwhile
  await answerFileDialog(FOLDER_DIALOG, folder, { screenshotName });
  await withTimeout(clicking, 10_000, 'the Download click');
}

// ---------------------------------------------------------------- setup

before(
  async () => {
    assertPrerequisites([
      ['the CLI binary, which serves the sandbox (set OSSLITE_CLI or run `cargo build -p osslite-cli`)', CLI],
      ['xdotool', '/usr/bin/xdotool'],
      ['ImageMagick import', '/usr/bin/import'],
      ['Debian python3 (with python3-gi and gir1.2-gtk-3.0)', PYTHON],
    ]);
    await run(PYTHON, ['-c', "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"], { timeout: 10_000 }).catch(
      (error) => assert.fail(`PyGObject with GTK 3 is missing (apt install python3-gi gir1.2-gtk-3.0): ${error.message}`),
    );
    setup = await startSandboxApp({
      name: 'transfers',
      buckets: [BUCKET],
      region: REGION,
      keys: KEYS,
      sandboxArgs: ['--bandwidth', String(BANDWIDTH)],
      seed: SEEDED,
      // The profile, saved by the CLI into the app's homes before the app starts; the secret goes
      // to the run's keyring (stdin, never an argument).
      profile: PROFILE,
      prepare: ({ work: root }) => {
        const drop = path.join(root, 'drop');
        for (const file of DROPPED_FILES) {
          fs.mkdirSync(path.dirname(path.join(drop, file.rel)), { recursive: true });
          fs.writeFileSync(path.join(drop, file.rel), file.body);
        }
        fs.mkdirSync(path.join(root, 'big'));
        const bigFile = path.join(root, 'big', BIG_NAME);
        big = { file: bigFile, crc: writeRandomFile(bigFile, BIG_SIZE) };
      },
    });
    ({ work, sandbox, endpoint, app, browser } = setup);
    appHome = app.dataHome;
  },
  { timeout: 60_000 },
);

after(
  async () => {
    try {
      await run('xdotool', ['mouseup', '1'], { timeout: 3_000 }).catch(() => {});
      await stopGroup(dragSource);
      // A file dialog left open (a failed step) would block deleting the session.
      await dismissWindows(UPLOAD_DIALOG);
      await dismissWindows(FOLDER_DIALOG);
    } finally {
      // The app restarts midway: stop the one running now.
      await stopSandboxApp(setup && { ...setup, app });
    }
  },
  { timeout: 30_000 },
);

// The steps run in order on one window; after a failed (or timed-out) step the rest are skipped.
const step = scenario(async (slug) => {
  if (app?.browser) await screenshot(`e2e-failure-transfers-${slug}.png`).catch(() => {});
  await screenshotDisplay(`e2e-failure-transfers-${slug}-display.png`).catch(() => {});
  console.error(
    `[e2e] tauri-driver output:\n${app?.log() ?? ''}\n[e2e] sandbox output:\n${sandbox?.log() ?? ''}` +
      `\n[e2e] drag source output:\n${dragSource?.log() ?? ''}`,
  );
});

// ---------------------------------------------------------------- steps

step('open: the profile the CLI saved, and the bucket', 40_000, async () => {
  await openProfileAndBucket();
  assert.deepEqual(await shownKeys(), [DROP_TARGET, 'index.html']);
});

step('drop: two files and a folder from the OS onto inbox/; keys, sizes and CRC-64s as on disk', 60_000, async () => {
  const drop = path.join(work, 'drop');
  const display = await run('xdotool', ['getdisplaygeometry'], { timeout: 5_000 });
  const [screenWidth, screenHeight] = display.stdout.toString().trim().split(/\s+/).map(Number);
  // The source window sits in the bottom-right corner, over the app's status bar, clear of the list.
  dragSource = spawnGroup(PYTHON, [DRAG_SOURCE, String(screenWidth - 110), String(screenHeight - 110), ...DROPPED_PATHS.map((p) => path.join(drop, p))]);
  const ready = await waitFor(
    () => {
      if (dragSource.exitCode !== null) throw new Error(`drag_source.py exited:\n${dragSource.log()}`);
      return /^ready (\d+) (\d+) (\d+) (\d+)$/m.exec(dragSource.log());
    },
    { timeout: 10_000, what: 'the drag source window' },
  );
  const [sx, sy, sw, sh] = ready.slice(1).map(Number);
  let at = { x: sx + Math.round(sw / 2), y: sy + Math.round(sh / 2) };

  await xdotool('mousemove', at.x, at.y);
  await sleep(200);
  await xdotool('mousedown', 1);
  // Past GTK's drag threshold, still on the source: GTK starts the drag.
  at = await glide(at, { x: at.x - 20, y: at.y - 20 }, 4);
  await waitFor(() => /^begin$/m.test(dragSource.log()), { timeout: 5_000, what: 'GTK starting the drag' });

  // Over the empty part of the list: the files would land in the folder shown (the bucket's root).
  const blank = await screenPoint('[data-testid="object-table"]', { dx: 0.5, dy: 0.8 });
  at = await glide(at, blank, 25);
  const onList = await waitForOverlay((o) => o.target === `oss://${BUCKET}/`, 'the overlay naming the bucket root');
  assert.deepEqual(onList.highlighted, []);
  assert.match(onList.text, /Drop to upload into .* 3 items/);

  // Over the inbox/ row: they land in inbox/, and the row is highlighted.
  const row = await screenPoint(`[data-testid="object-row"][data-key="${DROP_TARGET}"]`, { dx: 0.3 });
  at = await glide(at, row, 10);
  const onRow = await waitForOverlay((o) => o.target === `oss://${BUCKET}/${DROP_TARGET}`, 'the overlay naming inbox/');
  assert.deepEqual(onRow.highlighted, [DROP_TARGET]);
  await sleep(300); // WebKit's screenshot is its last presented frame (see support.mjs)
  await screenshot('e2e-drop-overlay.png');
  await screenshotDisplay('e2e-drop-overlay-display.png');

  await xdotool('mouseup', 1);
  await waitFor(() => /^end$/m.test(dragSource.log()), { timeout: 5_000, what: 'the drag ending' });
  assert.match(dragSource.log(), /^data$/m, 'the app never asked for the dragged URIs');
  assert.doesNotMatch(dragSource.log(), /^failed/m);
  await (await byTestId('drop-overlay')).waitForExist({ timeout: 5_000, reverse: true });

  // One upload per file, each into inbox/ with the folder structure kept.
  const expected = DROPPED_FILES.map((f) => `oss://${BUCKET}/${f.key}`).sort();
  const rows = await waitFor(
    async () => {
      const shown = await transferRows();
      const uploads = shown.filter((r) => r.destination.startsWith(`oss://${BUCKET}/`));
      return uploads.length === expected.length && uploads.every((r) => r.state === 'done') ? uploads : null;
    },
    { timeout: 30_000, interval: 250, what: 'the four uploads finishing' },
  ).catch(async (error) => {
    error.message += `\n(rows: ${JSON.stringify(await transferRows())})`;
    throw error;
  });
  assert.deepEqual(rows.map((r) => r.destination).sort(), expected);
  for (const row of rows) {
    const file = DROPPED_FILES.find((f) => row.destination === `oss://${BUCKET}/${f.key}`);
    assert.equal(row.source, path.join(drop, file.rel));
    assert.equal(row.total, file.body.length, `total of ${file.rel}`);
    assert.equal(row.pill, 'Done');
  }
  await screenshot('e2e-drop-done.png');
  await stopGroup(dragSource);

  // Listed in the app, folder by folder.
  await openFolder(DROP_TARGET);
  await waitForText('status-count', /^4 items$/);
  assert.deepEqual(await shownKeys(), ['inbox/album/', 'inbox/notes.txt', 'inbox/readme.txt', 'inbox/report.pdf']);
  await doubleClickRow('inbox/album/');
  await waitForText('status-count', /^2 items$/);
  assert.deepEqual(await shownKeys(), ['inbox/album/raw/', 'inbox/album/cover.jpg']);
  // The details panel shows the sandbox's CRC-64 of the selected file.
  const cover = DROPPED_FILES.find((f) => f.rel === 'album/cover.jpg');
  await (await objectRow(cover.key)).click();
  await waitForText('details-crc64', /^\d+$/);
  assert.equal(await (await byTestId('details-crc64')).getText(), cover.crc);
  await doubleClickRow('inbox/album/raw/');
  await waitForText('status-count', /^1 item$/);
  assert.deepEqual(await shownKeys(), ['inbox/album/raw/shot-01.raw']);
  await screenshot('e2e-drop-listed.png');

  // Size and CRC-64 of every object, as the sandbox computed them, equal the local files'.
  for (const file of DROPPED_FILES) {
    const object = await stat(file.key);
    assert.deepEqual(object, { size: file.body.length, crc64: file.crc }, `oss://${BUCKET}/${file.key}`);
  }
});

step('pause: 300 MiB through the Upload dialog, paused from the panel, resumed; size and CRC-64', 90_000, async () => {
  await clearFinished();
  await goToBucketRoot(browser);
  await objectRow(DROP_TARGET).then((row) => row.waitForDisplayed({ timeout: 10_000 }));

  await (await byTestId('upload')).click();
  const clicking = byTestId('upload-files').then((item) => item.click());
  clicking.catch(() => {});
  await answerFileDialog(UPLOAD_DIALOG, big.file, { screenshotName: 'e2e-upload-dialog.png' });
  await withTimeout(clicking, 10_000, 'the Files… click');

  const destination = `oss://${BUCKET}/${BIG_NAME}`;
  const isBig = (r) => r.destination === destination;
  // Mid-transfer: a first round of parts stored on the server (the count in the panel runs ahead
  // by what the kernel buffers, so it is no sign of that).
  await waitFor(() => sandboxParts().parts >= 4, { timeout: 20_000, interval: 200, what: 'four parts stored on the sandbox' });
  const running = await waitForTransfer(isBig, (r) => r.state === 'running', { what: 'the 300 MiB upload running' });
  assert.equal(running.source, big.file);
  assert.equal(running.total, BIG_SIZE);
  await screenshot('e2e-transfer-panel.png');

  await (await (await transferRow(running.id)).$('[data-testid="transfer-pause"]')).click();
  const paused = await waitForTransfer(isBig, (r) => r.state === 'paused', { timeout: 10_000, what: 'the upload pausing' });
  assert.equal(paused.pill, 'Paused');
  assert.ok(paused.done > 0 && paused.done < BIG_SIZE, `paused at ${paused.done} of ${BIG_SIZE} bytes`);
  await (await (await transferRow(paused.id)).$('[data-testid="transfer-resume"]')).waitForDisplayed({ timeout: 5_000 });

  // While paused, nothing moves: neither the count in the panel nor the parts on the server.
  // Parts in flight were dropped, but what the kernel had buffered still reaches the (slow)
  // sandbox, which then sees the connection end and deletes the cut-off body: wait for that.
  let previous = null;
  await waitFor(
    () => {
      const now = sandboxParts();
      const settled = now.staging === 0 && previous?.parts === now.parts;
      previous = now;
      return settled;
    },
    { timeout: 15_000, interval: 300, what: 'the cut-off part bodies being discarded' },
  );
  const before = { row: (await transferRows()).find(isBig), server: sandboxParts() };
  await sleep(2_500);
  const later = { row: (await transferRows()).find(isBig), server: sandboxParts() };
  assert.equal(later.row.state, 'paused');
  assert.equal(later.row.done, before.row.done, 'bytes kept moving while paused');
  assert.deepEqual(later.server, before.server, 'parts kept arriving while paused');
  assert.ok(before.server.parts > 0 && before.server.parts < Math.ceil(BIG_SIZE / (8 * MIB)), `${before.server.parts} parts stored`);
  await screenshot('e2e-transfer-paused.png');

  await (await (await transferRow(paused.id)).$('[data-testid="transfer-resume"]')).click();
  await waitForTransfer(isBig, (r) => r.state === 'running' && r.done > later.row.done, { timeout: 15_000, what: 'the upload moving again' });
  const done = await waitForTransfer(isBig, (r) => r.state === 'done', { timeout: 60_000, what: 'the upload finishing' });
  assert.equal(done.done, BIG_SIZE);

  assert.deepEqual(await stat(BIG_NAME), { size: BIG_SIZE, crc64: big.crc });
  // The list follows the upload; the details panel shows the same CRC-64.
  const row = await objectRow(BIG_NAME);
  await row.waitForDisplayed({ timeout: 10_000 });
  await row.click();
  await waitForText('details-crc64', /^\d+$/);
  assert.equal(await (await byTestId('details-crc64')).getText(), big.crc);
  assert.match(await (await byTestId('details-size')).getText(), /^300 MB \(314,572,800 bytes\)$/);
  assert.equal(sandboxParts().parts, 0, 'the completed multipart upload left parts behind');
});

step('restart: the app killed during a 300 MiB download resumes it from its checkpoint', 100_000, async () => {
  await clearFinished();
  const folder = path.join(work, 'downloads');
  fs.mkdirSync(folder);
  const target = path.join(folder, BIG_NAME);
  // The 300 MiB object is still selected.
  assert.deepEqual(
    await browser.execute(() => [...document.querySelectorAll('[data-testid="object-row"][aria-selected="true"]')].map((r) => r.dataset.key)),
    [BIG_NAME],
  );
  await downloadInto(folder, 'e2e-folder-dialog.png');

  const isBig = (r) => r.source === `oss://${BUCKET}/${BIG_NAME}`;
  const moving = await waitForTransfer(isBig, (r) => r.state === 'running' && r.done >= 60 * MIB, { timeout: 30_000, what: 'the download moving' });
  assert.equal(moving.destination, target);
  assert.equal(moving.total, BIG_SIZE);

  const victim = appProcess(app);
  assert.ok(victim, 'the app process was not found');
  process.kill(victim.pid, 'SIGKILL');
  await waitFor(() => !fs.existsSync(`/proc/${victim.pid}/stat`) || /\) Z /.test(fs.readFileSync(`/proc/${victim.pid}/stat`, 'utf8')), {
    timeout: 5_000,
    what: 'the app process dying',
  });

  // Left behind: a part file and the checkpoint with the ranges already written.
  assert.equal(fs.existsSync(target), false, 'the download was complete when the app was killed');
  const checkpoints = fs.readdirSync(checkpointDir()).filter((name) => name.startsWith('download-') && name.endsWith('.json'));
  assert.equal(checkpoints.length, 1, `checkpoints: ${checkpoints}`);
  const saved = JSON.parse(fs.readFileSync(path.join(checkpointDir(), checkpoints[0]), 'utf8'));
  // The part file has a unique hidden name beside the target, recorded in the checkpoint.
  assert.match(saved.partName ?? '', /^\..+\.osslite-part$/, `part name ${saved.partName}`);
  assert.ok(fs.existsSync(path.join(folder, saved.partName)), 'no part file after the kill');
  const savedBytes = Object.keys(saved.ranges)
    .map((index) => Math.min(saved.rangeSize, saved.size - Number(index) * saved.rangeSize))
    .reduce((sum, n) => sum + n, 0);
  assert.ok(savedBytes > 0 && savedBytes < BIG_SIZE, `the checkpoint holds ${savedBytes} bytes`);

  await app.stop(); // the session and tauri-driver of the killed app
  app = await startApp({ reuse: appHome });
  browser = app.browser;
  await openProfileAndBucket({ restarted: true });

  // The panel offers what the last run left unfinished.
  await waitForText('transfer-unfinished', /^1 transfer was not finished when OSS Lite last closed\./, 15_000);
  await screenshot('e2e-transfer-unfinished.png');
  await (await byTestId('transfer-unfinished-resume')).click();
  await (await byTestId('transfer-unfinished')).waitForExist({ timeout: 5_000, reverse: true });
  // It goes on from the checkpoint: the first count shown already holds the saved ranges.
  const first = await waitForTransfer(isBig, (r) => r.done > 0, { timeout: 10_000, what: 'the download restored' });
  assert.equal(first.destination, target);
  assert.ok(first.done >= savedBytes, `restarted at ${first.done} bytes, not from the ${savedBytes} saved`);

  await waitForTransfer(isBig, (r) => r.state === 'done', { timeout: 60_000, what: 'the download finishing' });
  assert.deepEqual(fs.readdirSync(folder), [BIG_NAME], 'files left in the download folder');
  assert.ok(sameBytes(target, big.file), 'the downloaded file differs from the object');
  assert.deepEqual(fs.readdirSync(checkpointDir()).filter((name) => name.startsWith('download-')), [], 'the checkpoint was kept');
  await screenshot('e2e-transfer-resumed.png');
});

step('conflict: a download onto an existing file, answered "Keep both"', 45_000, async () => {
  await clearFinished();
  const notes = DROPPED_FILES.find((f) => f.rel === 'notes.txt');
  const folder = path.join(work, 'conflict');
  fs.mkdirSync(folder);
  const original = Buffer.from('My own notes: keep them.\n');
  fs.writeFileSync(path.join(folder, 'notes.txt'), original);

  await openFolder(DROP_TARGET);
  await (await objectRow(notes.key)).click();
  await downloadInto(folder);

  // Asked before the download starts, as uploads are.
  const dialog = await byTestId('conflict-dialog');
  await dialog.waitForDisplayed({ timeout: 5_000 });
  assert.equal(await (await byTestId('conflict-name')).getText(), `“notes.txt” already exists in the folder ${folder}.`);
  await screenshot('e2e-conflict.png');
  await (await byTestId('conflict-rename')).click();
  await dialog.waitForExist({ timeout: 5_000, reverse: true });

  const renamed = path.join(folder, 'notes (1).txt');
  await waitForTransfer((r) => r.destination === renamed, (r) => r.state === 'done', { timeout: 15_000, what: 'the download as notes (1).txt' });
  assert.deepEqual(fs.readdirSync(folder).sort(), ['notes (1).txt', 'notes.txt']);
  assert.ok(fs.readFileSync(renamed).equals(notes.body), 'notes (1).txt does not hold the object');
  assert.ok(fs.readFileSync(path.join(folder, 'notes.txt')).equals(original), 'the original notes.txt changed');
  assert.equal(await (await byTestId('transfer-conflicts')).isExisting(), false);
});
