// Transfer flows against the built UI with the fake backend's transfer engine
// (flows/mock/fake-backend.ts): it emits queued/progress/finished/failed events
// through the Channel each start command receives, 10 ticks a second.
//
// Drag and drop from the OS is simulated by emitting the webview's own events
// (tauri://drag-enter|over|drop|leave) through the mocked event system:
// `mockIPC(..., { shouldMockEvents: true })` serves `listen`, and
// `window.__DRAG__` (flows/mock/entry.ts) calls `emit` from @tauri-apps/api/event,
// so the app's `getCurrentWebview().onDragDropEvent` handler receives them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byTestId, enterBucket, screenshot, start } from './harness.mjs';


let h;
before(async () => {
  h = await start();
}, { timeout: 30_000 });
after(async () => {
  await h?.stop();
});

async function openPhotos(config = {}, extra = {}) {
  const session = await h.openBuckets({ config: { bigCount: 2000, ...config }, storage: extra.storage, locale: extra.locale });
  const { page } = session;
  await enterBucket(page, 'media-assets');
  await page.locator('[data-testid="object-row"][data-key="photos/"]').dblclick();
  await page.locator('[data-testid="crumb"][aria-current="location"]', { hasText: 'photos' }).waitFor();
  await page.locator('[data-testid="object-row"][data-key="photos/2023/"]').waitFor();
  return session;
}

/** The start commands the backend received: request and options (not the channel). */
const starts = (page) =>
  page.evaluate(() =>
    window.__FAKE__.calls
      .filter((c) => c.cmd === 'transfer_upload' || c.cmd === 'transfer_download')
      .map((c) => ({ cmd: c.cmd, request: c.args.request, options: c.args.options })),
  );

const row = (page, name) => page.locator('[data-testid="transfer-row"]', { hasText: name });
const stateOf = (page, name) => row(page, name).getAttribute('data-state');
async function waitState(page, name, state, timeout = 10_000) {
  await page.locator(`[data-testid="transfer-row"][data-state="${state}"]`, { hasText: name }).waitFor({ timeout });
}

test('transfer panel: live progress, pause, resume, retry, cancel, filter, clear; the list refreshes', { timeout: 45_000 }, async () => {
  const { page, errors } = await openPhotos(
    {
      bytesPerTick: 1_000_000,
      pickFiles: ['/home/li/Pictures/sunset.jpg', '/home/li/Videos/big-master.mov', '/home/li/flaky-archive.zip', '/home/li/Videos/big-b-roll.mov', '/home/li/Pictures/harbour.jpg'],
    },
    { storage: { 'osslite.transfers.v1': JSON.stringify({ partSizeMiB: 16, filesInFlight: 3, partsInFlight: 6, multipartThresholdMiB: 64 }) } },
  );
  assert.equal(await byTestId(page, 'transfer-panel').count(), 0, 'the panel starts closed');
  await byTestId(page, 'upload').click();
  await byTestId(page, 'upload-files').click();
  await byTestId(page, 'transfer-panel').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="transfer-row"]').length === 5);

  const [call] = await starts(page);
  assert.deepEqual(call.request, { bucket: 'media-assets', prefix: 'photos/', paths: ['/home/li/Pictures/sunset.jpg', '/home/li/Videos/big-master.mov', '/home/li/flaky-archive.zip', '/home/li/Videos/big-b-roll.mov', '/home/li/Pictures/harbour.jpg'] });
  assert.deepEqual(call.options, { partSize: 16 * 1048576, parallel: 6, multipartThreshold: 64 * 1048576, onConflict: 'fail' }, 'settings become options');

  // Three files at once (filesInFlight); the rest wait.
  await waitState(page, 'big-master.mov', 'running');
  assert.equal(await stateOf(page, 'big-b-roll.mov'), 'queued');
  assert.match(await row(page, 'big-master.mov').locator('[data-testid="transfer-speed"]').innerText(), /MB\/s$/);
  assert.match(await row(page, 'big-master.mov').locator('[data-testid="transfer-eta"]').innerText(), /left$/);
  assert.match(await row(page, 'big-master.mov').locator('[data-testid="transfer-bytes"]').innerText(), / of 2\.0 GB$/);
  assert.match(await byTestId(page, 'transfer-badge').innerText(), /^[1-5]$/);

  // Progress moves (cumulative), rendered at most every 250 ms.
  const before = await row(page, 'big-master.mov').locator('[role="progressbar"]').getAttribute('aria-valuenow');
  const bytesBefore = await row(page, 'big-master.mov').locator('[data-testid="transfer-bytes"]').innerText();
  await page.waitForFunction(
    (old) => [...document.querySelectorAll('[data-testid="transfer-row"]')].find((r) => r.textContent.includes('big-master.mov'))?.querySelector('[data-testid="transfer-bytes"]').textContent !== old,
    bytesBefore,
  );
  assert.ok(Number(before) >= 0);

  // Pause and resume one.
  await row(page, 'big-master.mov').locator('[data-testid="transfer-pause"]').click();
  await waitState(page, 'big-master.mov', 'paused');
  assert.equal(await row(page, 'big-master.mov').locator('[data-testid="transfer-state"]').innerText(), 'Paused');

  // The flaky one fails with its reason; the small ones finish and the list shows them.
  await waitState(page, 'flaky-archive.zip', 'failed', 15_000);
  assert.match(await row(page, 'flaky-archive.zip').locator('[data-testid="transfer-reason"]').innerText(), /connection reset by peer/);
  await waitState(page, 'sunset.jpg', 'done', 20_000);
  await page.locator('[data-testid="object-row"][data-key="photos/sunset.jpg"]').waitFor({ timeout: 5000 });

  // Filter by state.
  await byTestId(page, 'transfer-filter-failed').click();
  assert.equal(await byTestId(page, 'transfer-row').count(), 1);
  await byTestId(page, 'transfer-filter-paused').click();
  assert.equal(await byTestId(page, 'transfer-row').count(), 1);
  await byTestId(page, 'transfer-filter-all').click();

  // A steady picture: hold the engine, then screenshot.
  await page.evaluate(() => (window.__FAKE__.frozen = true));
  await page.waitForTimeout(400);
  await screenshot(page, 'transfers');
  await page.evaluate(() => (window.__FAKE__.frozen = false));

  // Retry the failed one (from its checkpoint), resume the paused one.
  await row(page, 'flaky-archive.zip').locator('[data-testid="transfer-retry"]').click();
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="transfer-row"]')].some((r) => r.textContent.includes('flaky') && r.dataset.state === 'failed'));
  await row(page, 'big-master.mov').locator('[data-testid="transfer-resume"]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="transfer-row"]')].some((r) => r.textContent.includes('big-master') && r.dataset.state !== 'paused'));

  // Cancel one, then all; clear the finished ones.
  await row(page, 'big-b-roll.mov').locator('[data-testid="transfer-cancel"]').click();
  await waitState(page, 'big-b-roll.mov', 'cancelled');
  await byTestId(page, 'transfer-cancel-all').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="transfer-row"]')].every((r) => ['done', 'cancelled', 'failed'].includes(r.dataset.state)));
  assert.equal(await byTestId(page, 'transfer-badge').count(), 0);
  await byTestId(page, 'transfer-clear').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="transfer-row"]').length === 0);
  await byTestId(page, 'transfer-empty').waitFor();
  await byTestId(page, 'transfer-collapse').click();
  await byTestId(page, 'transfer-panel').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('drag and drop from the OS: overlay on the folder or a folder row, drop uploads there', { timeout: 30_000 }, async () => {
  const { page, errors } = await openPhotos({ bytesPerTick: 200_000 });
  const folderRow = page.locator('[data-testid="object-row"][data-key="photos/2023/"]');
  const box = await folderRow.boundingBox();
  const paths = ['/home/li/Desktop/holiday-01.jpg', '/home/li/Desktop/holiday-02.jpg', '/home/li/Desktop/scans'];
  const overRow = { x: Math.round(box.x + 200), y: Math.round(box.y + box.height / 2) };

  // Enter over empty space: the folder shown.
  await page.evaluate(([p]) => window.__DRAG__('enter', p, { x: 600, y: 620 }), [paths]);
  await byTestId(page, 'drop-overlay').waitFor();
  assert.equal(await byTestId(page, 'drop-target').innerText(), 'oss://media-assets/photos/');
  assert.match(await byTestId(page, 'drop-overlay').innerText(), /3 items/);

  // Over a folder row: that folder, highlighted.
  await page.evaluate((pos) => window.__DRAG__('over', [], pos), overRow);
  await page.waitForFunction(() => document.querySelector('[data-testid="drop-target"]')?.textContent === 'oss://media-assets/photos/2023/');
  assert.match(await folderRow.getAttribute('class'), /drop-row/);
  await screenshot(page, 'drop-overlay');

  // Leave: the overlay goes.
  await page.evaluate(() => window.__DRAG__('leave'));
  await byTestId(page, 'drop-overlay').waitFor({ state: 'detached' });

  // Drop on the folder row: uploads into photos/2023/.
  await page.evaluate(([p, pos]) => window.__DRAG__('enter', p, pos), [paths, overRow]);
  await page.evaluate(([p, pos]) => window.__DRAG__('drop', p, pos), [paths, overRow]);
  await byTestId(page, 'drop-overlay').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="transfer-row"]').length === 3);
  const [call] = await starts(page);
  assert.deepEqual(call.request, { bucket: 'media-assets', prefix: 'photos/2023/', paths });
  assert.match(await row(page, 'holiday-01.jpg').innerText(), /oss:\/\/media-assets\/photos\/2023\/holiday-01\.jpg/);
  assert.deepEqual(errors, []);
});

test('conflicts: ask overwrite / skip / keep both with "apply to all", for uploads and downloads', { timeout: 30_000 }, async () => {
  const { page, errors } = await openPhotos({ bytesPerTick: 3_000_000, pickFolder: '/home/li/Downloads', localFiles: ['/home/li/Downloads/cover.jpg'] });
  const paths = ['/home/li/Desktop/cover.jpg', '/home/li/Desktop/new-shot.jpg', '/home/li/Desktop/2023'];
  await page.evaluate(([p]) => window.__DRAG__('enter', p, { x: 600, y: 640 }), [paths]);
  await page.evaluate(([p]) => window.__DRAG__('drop', p, { x: 600, y: 640 }), [paths]);

  const dialog = byTestId(page, 'conflict-dialog');
  await dialog.waitFor();
  assert.match(await byTestId(page, 'conflict-name').innerText(), /“cover\.jpg” already exists in oss:\/\/media-assets\/photos\//);
  assert.match(await dialog.innerText(), /1 of 2/);
  assert.doesNotMatch(await dialog.innerText(), /cover \(1\)\.jpg/, 'the resulting name is shown only after the choice');
  await screenshot(page, 'conflict');
  await byTestId(page, 'conflict-rename').click();
  assert.match(await byTestId(page, 'conflict-name').innerText(), /“2023”/);
  await byTestId(page, 'conflict-skip').click();
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="transfer-row"]').length === 3);
  const calls = await starts(page);
  assert.deepEqual(
    calls.map((c) => [c.options.onConflict, c.request.paths]),
    [['fail', ['/home/li/Desktop/new-shot.jpg']], ['rename', ['/home/li/Desktop/cover.jpg']], ['skip', ['/home/li/Desktop/2023']]],
  );
  await waitState(page, 'cover (1).jpg', 'done', 15_000);

  // "Apply to all": one answer for every clash.
  const again = ['/home/li/Desktop/cover.jpg', '/home/li/Desktop/2023', '/home/li/Desktop/2024'];
  await page.evaluate(([p]) => window.__DRAG__('drop', p, { x: 600, y: 640 }), [again]);
  await dialog.waitFor();
  await byTestId(page, 'conflict-apply-all').check();
  await byTestId(page, 'conflict-overwrite').click();
  await dialog.waitFor({ state: 'detached' });
  const last = (await starts(page)).at(-1);
  assert.deepEqual([last.options.onConflict, last.request.paths], ['overwrite', again]);

  // Download: the local file exists; asked the same way, before the download starts.
  await byTestId(page, 'transfer-clear').click();
  const startsBefore = (await starts(page)).length;
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').click();
  await byTestId(page, 'download').click();
  await dialog.waitFor();
  assert.equal((await starts(page)).length, startsBefore, 'nothing starts before the answer');
  assert.match(await byTestId(page, 'conflict-name').innerText(), /“cover\.jpg” already exists in the folder \/home\/li\/Downloads/);
  await byTestId(page, 'conflict-overwrite').click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await byTestId(page, 'transfer-conflicts').count(), 0);
  const redo = (await starts(page)).at(-1);
  assert.deepEqual([redo.cmd, redo.options.onConflict, redo.request], ['transfer_download', 'overwrite', { bucket: 'media-assets', base: 'photos/', keys: ['photos/cover.jpg'], folder: '/home/li/Downloads' }]);
  await waitState(page, 'cover.jpg', 'done', 15_000);
  assert.deepEqual(errors, []);
});

test('a download that came without a checksum is marked "Not verified", one with a checksum is not', { timeout: 30_000 }, async () => {
  const { page, errors } = await openPhotos({ bytesPerTick: 3_000_000, noChecksum: true });
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').click();
  await byTestId(page, 'download').click();
  await waitState(page, 'cover.jpg', 'done', 15_000);
  const badge = row(page, 'cover.jpg').locator('[data-testid="transfer-unverified"]');
  assert.equal(await badge.innerText(), 'Not verified');
  assert.match(await badge.getAttribute('title'), /no checksum/);

  const checked = await openPhotos({ bytesPerTick: 3_000_000 });
  await checked.page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').click();
  await byTestId(checked.page, 'download').click();
  await waitState(checked.page, 'cover.jpg', 'done', 15_000);
  assert.equal(await row(checked.page, 'cover.jpg').locator('[data-testid="transfer-unverified"]').count(), 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(checked.errors, []);
});

test('an unfinished transfer of another profile is shown as its own and can only be discarded', { timeout: 25_000 }, async () => {
  const { page, errors } = await openPhotos({ unfinished: true, unfinishedElsewhere: true, bytesPerTick: 500_000 });
  const other = byTestId(page, 'transfer-unfinished-other');
  await other.waitFor();
  assert.match(await other.innerText(), /1 unfinished transfer belongs to profile “archive”: open that profile to resume it\./);
  assert.equal(await other.getByRole('button').count(), 1, 'only Discard');
  await byTestId(page, 'transfer-unfinished-resume').click();
  await byTestId(page, 'transfer-unfinished').waitFor({ state: 'detached' });
  assert.ok(await page.evaluate(() => window.__FAKE__.calls.some((c) => c.cmd === 'transfer_restore' && c.args.checkpoints.join() === 'ckpt-1,ckpt-2')));
  await other.waitFor();
  await byTestId(page, 'transfer-unfinished-other-discard').click();
  await other.waitFor({ state: 'detached' });
  assert.ok(await page.evaluate(() => window.__FAKE__.calls.some((c) => c.cmd === 'transfer_discard' && c.args.checkpoints.join() === 'ckpt-3')));
  assert.deepEqual(errors, []);
});

test('after a restart: unfinished transfers are offered to resume (Chinese UI)', { timeout: 25_000 }, async () => {
  const { page, errors } = await openPhotos({ unfinished: true, bytesPerTick: 500_000 }, { locale: 'zh-CN' });
  const offer = byTestId(page, 'transfer-unfinished');
  await offer.waitFor();
  assert.match(await offer.innerText(), /上次关闭 OSS Lite 时有 2 个传输未完成/);
  await byTestId(page, 'transfer-unfinished-resume').click();
  await offer.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="transfer-row"]').length === 2);
  assert.ok(await page.evaluate(() => window.__FAKE__.calls.some((c) => c.cmd === 'transfer_restore' && c.args.checkpoints.join() === 'ckpt-1,ckpt-2')));
  await waitState(page, 'launch-keynote.mp4', 'running');
  assert.equal(await row(page, 'launch-keynote.mp4').locator('[data-testid="transfer-state"]').innerText(), '传输中');
  assert.deepEqual(errors, []);
});
