// Everyday comfort (issue #13): upload links for a new name, links that stay
// true, the download folder and opening what was downloaded, download
// conflicts asked first, folder deletes that say what goes, natural and kept
// sort order, the prefix chip, and the export dialog's defaults.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backendState, byTestId, enterBucket, screenshot, start } from './harness.mjs';


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

const lastCall = (page, cmd) => page.evaluate((c) => window.__FAKE__.calls.filter((x) => x.cmd === c).at(-1)?.args ?? null, cmd);
const callCount = (page, cmd) => page.evaluate((c) => window.__FAKE__.calls.filter((x) => x.cmd === c).length, cmd);
const rowKeys = (page) => page.locator('[data-testid="object-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.key));

test('upload link for a new name: asks the name, warns when it exists, signs the Content-Type it shows, no QR', { timeout: 20_000 }, async () => {
  const { page, errors } = await openPhotos();
  await byTestId(page, 'upload').click();
  await byTestId(page, 'upload-link').click();
  const naming = byTestId(page, 'upload-link-name-dialog');
  await naming.waitFor();
  await byTestId(page, 'upload-link-name').fill('cover.jpg');
  await byTestId(page, 'upload-link-exists').waitFor();
  assert.match(await byTestId(page, 'upload-link-exists').innerText(), /“cover\.jpg” exists here/);
  await byTestId(page, 'upload-link-name').fill('team-logo.png');
  await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'object_details' && c.args.key === 'photos/team-logo.png'));
  assert.equal(await byTestId(page, 'upload-link-exists').count(), 0);
  await byTestId(page, 'upload-link-continue').click();
  await naming.waitFor({ state: 'detached' });

  const dialog = byTestId(page, 'share-dialog');
  await dialog.waitFor();
  await byTestId(page, 'share-url').waitFor();
  assert.equal(await byTestId(page, 'share-method-get').count(), 0, 'a new name has no download link');
  assert.equal(await byTestId(page, 'share-content-type').inputValue(), 'image/png');
  await page.waitForFunction(() => window.__FAKE__.calls.filter((c) => c.cmd === 'share_presign').at(-1)?.args.request.contentType === 'image/png');
  const signed = (await lastCall(page, 'share_presign')).request;
  assert.deepEqual([signed.method, signed.key, signed.contentType], ['PUT', 'photos/team-logo.png', 'image/png']);
  assert.match(await byTestId(page, 'share-ctype-note').innerText(), /Content-Type is signed/);
  assert.equal(await byTestId(page, 'share-qr-toggle').count(), 0, 'an upload link offers no QR code');
  await screenshot(page, 'share-upload-new');

  // Cleared: nothing is signed, and the uploader is told to send none.
  await byTestId(page, 'share-content-type').fill('');
  await page.waitForFunction(() => window.__FAKE__.calls.filter((c) => c.cmd === 'share_presign').at(-1)?.args.request.contentType === undefined);
  await page.waitForFunction(() => /must not send/.test(document.querySelector('[data-testid="share-ctype-note"]')?.textContent ?? ''));
  assert.equal(await byTestId(page, 'share-content-type').getAttribute('placeholder'), 'none (no Content-Type is signed)');
  await byTestId(page, 'share-copy-curl').click();
  await byTestId(page, 'share-copy-curl').getByText('Copied').waitFor();
  const { clipboard } = await backendState(page);
  assert.match(clipboard.at(-1), /-H 'Content-Type:'/);
  assert.deepEqual(errors, []);
});

test('share: one expiry time, "Copied" resets when options change, an expired link offers to sign again', { timeout: 20_000 }, async () => {
  const { page, errors } = await openPhotos();
  await page.clock.install();
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').click();
  await byTestId(page, 'share').click();
  await byTestId(page, 'share-url').waitFor();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="validity-expiry-utc"]')?.textContent === document.querySelector('[data-testid="share-expires-utc"]')?.textContent,
  );

  await byTestId(page, 'share-copy-url').click();
  await byTestId(page, 'share-copy-url').getByText('Copied').waitFor();
  await byTestId(page, 'share-download-as').fill('team logo.jpg');
  await byTestId(page, 'share-copy-url').getByText('Copy URL').waitFor();
  await byTestId(page, 'share-copy-curl').click();
  await byTestId(page, 'share-copy-curl').getByText('Copied').waitFor();
  assert.match((await backendState(page)).clipboard.at(-1), /-o 'team logo\.jpg'/);

  // The default validity is one hour: past it, the pane says so and copies nothing.
  await page.clock.fastForward('01:00:05');
  await byTestId(page, 'share-expired').waitFor();
  assert.equal(await byTestId(page, 'share-copy-url').isDisabled(), true);
  await screenshot(page, 'share-expired');
  const presigns = await callCount(page, 'share_presign');
  await byTestId(page, 'share-resign').click();
  await byTestId(page, 'share-expired').waitFor({ state: 'detached' });
  assert.equal(await callCount(page, 'share_presign'), presigns + 1);
  assert.equal(await byTestId(page, 'share-copy-url').isDisabled(), false);
  assert.deepEqual(errors, []);
});

test('downloads go to the default folder without a dialog; "Ask every time" asks; finished ones open', { timeout: 30_000 }, async () => {
  const { page, errors } = await openPhotos({ bytesPerTick: 3_000_000, pickFolder: '/home/li/Elsewhere' });
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').click();
  await byTestId(page, 'download').click();
  await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'transfer_download'));
  assert.equal((await lastCall(page, 'transfer_download')).request.folder, '/home/li/Downloads');
  assert.equal(await callCount(page, 'pick_folder'), 0, 'no dialog for the default folder');

  const done = page.locator('[data-testid="transfer-row"][data-state="done"]', { hasText: 'cover.jpg' });
  await done.waitFor({ timeout: 15_000 });
  await done.locator('[data-testid="transfer-open"]').click();
  await done.locator('[data-testid="transfer-reveal"]').click();
  await page.waitForFunction(() => window.__FAKE__.opened.length === 2);
  assert.deepEqual((await backendState(page)).opened, ['open /home/li/Downloads/cover.jpg', 'reveal /home/li/Downloads/cover.jpg']);

  // Settings: another folder, then "Ask every time".
  await byTestId(page, 'open-settings').click();
  await byTestId(page, 'settings-download-path').getByText('/home/li/Downloads').waitFor();
  await byTestId(page, 'settings-download-change').click();
  await byTestId(page, 'settings-download-path').getByText('/home/li/Work').waitFor();
  await screenshot(page, 'settings-download-folder');
  await byTestId(page, 'settings-download-ask').check();
  await page.keyboard.press('Escape');
  await byTestId(page, 'settings-dialog').waitFor({ state: 'detached' });
  await byTestId(page, 'download').click();
  await page.waitForFunction(() => window.__FAKE__.calls.filter((c) => c.cmd === 'transfer_download').length === 2);
  assert.equal(await callCount(page, 'pick_folder'), 1);
  assert.equal((await lastCall(page, 'transfer_download')).request.folder, '/home/li/Elsewhere');
  assert.deepEqual(errors, []);
});

test('deleting a folder says how many objects and bytes go before confirming', { timeout: 15_000 }, async () => {
  const { page, errors } = await openPhotos();
  await page.locator('[data-testid="object-row"][data-key="photos/2023/"]').click();
  await byTestId(page, 'delete').click();
  const count = page.locator('[data-testid="delete-count"][data-state="counted"]');
  await count.waitFor();
  // photos/2023/: 40 photos and one raw file (as the export dialog counts them).
  assert.match(await count.innerText(), /^41 objects \([\d.,]+ [KMG]i?B\) will be deleted\.$/);
  await screenshot(page, 'delete-count');
  assert.equal(await callCount(page, 'objects_delete'), 0);
  assert.deepEqual(errors, []);
});

test('names sort naturally, and the chosen sort stays across folders and restarts', { timeout: 25_000 }, async () => {
  const { page, errors } = await openPhotos({ bytesPerTick: 3_000_000, pickFiles: ['/home/li/Desktop/logo-128.png', '/home/li/Desktop/logo-32.png'] });
  await byTestId(page, 'upload').click();
  await byTestId(page, 'upload-files').click();
  await page.locator('[data-testid="object-row"][data-key="photos/logo-128.png"]').waitFor({ timeout: 15_000 });
  const keys = (await rowKeys(page)).filter((k) => k.startsWith('photos/logo-'));
  assert.deepEqual(keys, ['photos/logo-32.png', 'photos/logo-128.png']);

  await byTestId(page, 'sort-size').click();
  assert.equal(await page.locator('[role="columnheader"].size').getAttribute('aria-sort'), 'descending');
  await page.locator('[data-testid="object-row"][data-key="photos/2023/"]').dblclick();
  await page.locator('[data-testid="crumb"][aria-current="location"]', { hasText: '2023' }).waitFor();
  assert.equal(await page.locator('[role="columnheader"].size').getAttribute('aria-sort'), 'descending', 'the sort is kept in the next folder');
  await page.reload();
  await enterBucket(page, 'media-assets');
  await byTestId(page, 'object-row').first().waitFor();
  assert.equal(await page.locator('[role="columnheader"].size').getAttribute('aria-sort'), 'descending', 'the sort is kept after a restart');
  assert.deepEqual(errors, []);
});

test('the prefix chip of a server-side search stays on one line', { timeout: 15_000 }, async () => {
  const { page, errors } = await openPhotos();
  await byTestId(page, 'filter').fill('a-rather-long-prefix-that-someone-typed-to-search-2023-holiday-photos');
  await byTestId(page, 'filter').press('Enter');
  const chip = byTestId(page, 'server-filter');
  await chip.waitFor();
  const { height, whiteSpace } = await chip.evaluate((el) => ({ height: el.getBoundingClientRect().height, whiteSpace: getComputedStyle(el).whiteSpace }));
  assert.equal(whiteSpace, 'nowrap');
  assert.ok(height < 32, `the chip is ${height}px tall: it wrapped`);
  assert.deepEqual(errors, []);
});

test('export: Excel-friendly on by default in Chinese; the result line clears when inputs change', { timeout: 20_000 }, async () => {
  const zh = await openPhotos({}, { locale: 'zh-CN' });
  await byTestId(zh.page, 'export').click();
  await byTestId(zh.page, 'export-dialog').waitFor();
  assert.equal(await byTestId(zh.page, 'export-bom').isChecked(), true);
  assert.deepEqual(zh.errors, []);

  const { page, errors } = await openPhotos();
  await byTestId(page, 'export').click();
  await byTestId(page, 'export-dialog').waitFor();
  assert.equal(await byTestId(page, 'export-bom').isChecked(), false);
  await byTestId(page, 'export-include').fill('cover.jpg');
  await page.waitForFunction(() => document.querySelector('[data-testid="export-count"]')?.textContent === '1 object matches');
  await byTestId(page, 'export-csv').click();
  await byTestId(page, 'export-done').waitFor();
  await byTestId(page, 'export-include').fill('*.jpg');
  await byTestId(page, 'export-done').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
