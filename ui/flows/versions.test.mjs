// Versions flows against the built UI with the fake backend (flows/mock/fake-versions.ts):
// versioning in the bucket details, an upload onto an existing name as a new version, the
// versions dialog (restore, copy a version link, delete for good) and restoring deleted objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTestId, enterBucket, objectRow, screenshot, startForFile } from './harness.mjs';

const h = startForFile();

/** media-assets open at its root; `versioning` set on the fake before the bucket is opened. */
async function openBucket(config = {}, versioning = null) {
  const session = await h.openBuckets({ config: { bigCount: 300, bytesPerTick: 50_000_000, ...config } });
  const { page } = session;
  if (versioning) await page.evaluate((s) => window.__FAKE__.versions.setStatus('media-assets', s), versioning);
  await enterBucket(page, 'media-assets');
  await objectRow(page, 'docs/').waitFor();
  return session;
}

const calls = (page, cmd) => page.evaluate((c) => window.__FAKE__.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);

async function openVersions(page, key) {
  await objectRow(page, key).click({ button: 'right' });
  await byTestId(page, 'menu-versions').click();
  await byTestId(page, 'versions-dialog').waitFor();
}

test('enable versioning in the bucket details; an upload over a name creates a new version; restore and delete versions', { timeout: 40_000 }, async () => {
  const { page, errors } = await openBucket({ pickFiles: ['/home/li/Desktop/README.md'] });
  await objectRow(page, 'README.md').click({ button: 'right' });
  assert.equal(await byTestId(page, 'menu-versions').count(), 0, 'no versions on an unversioned bucket');
  await page.keyboard.press('Escape');

  await byTestId(page, 'bucket-info').click();
  await byTestId(page, 'versioning-status').waitFor();
  assert.equal(await byTestId(page, 'versioning-status').getAttribute('data-status'), 'off');
  assert.match(await byTestId(page, 'versioning-explain').innerText(), /cannot be turned off/);
  await byTestId(page, 'versioning-enable').click();
  await page.locator('[data-testid="versioning-status"][data-status="enabled"]').waitFor();
  assert.match(await byTestId(page, 'versioning-explain').innerText(), /billed for all versions/);
  assert.deepEqual(await calls(page, 'versioning_set'), [{ bucket: 'media-assets', status: 'enabled' }]);
  await screenshot(page, 'versions-bucket-details');
  await page.keyboard.press('Escape');
  await byTestId(page, 'bucket-info-dialog').waitFor({ state: 'detached' });

  await byTestId(page, 'upload').click();
  await byTestId(page, 'upload-files').click();
  await byTestId(page, 'conflict-dialog').waitFor();
  assert.match(await byTestId(page, 'conflict-name').innerText(), /creates a new version/);
  assert.equal(await byTestId(page, 'conflict-overwrite').count(), 0, 'nothing is overwritten: no overwrite question');
  await byTestId(page, 'conflict-new-version').click();
  await page.locator('[data-testid="transfer-row"][data-state="done"]').first().waitFor({ timeout: 15_000 });
  const [upload] = await calls(page, 'transfer_upload');
  assert.equal(upload.options.onConflict, 'overwrite');

  await openVersions(page, 'README.md');
  const rows = page.locator('[data-testid="version-row"]');
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getAttribute('data-latest'), 'true');
  assert.equal(await rows.nth(0).locator('[data-testid="version-restore"]').count(), 0, 'the latest is not restored onto itself');
  await screenshot(page, 'versions-dialog');

  await rows.nth(1).locator('[data-testid="version-download"]').click();
  await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'version_download'));
  const [download] = await calls(page, 'version_download');
  assert.deepEqual({ ...download, onEvent: undefined, folder: undefined }, { bucket: 'media-assets', key: 'README.md', versionId: 'null', onEvent: undefined, folder: undefined });
  await page.waitForFunction(() => window.__FAKE__.transfers().some((t) => t.destination.endsWith('/README (version null).md') && t.state === 'done'), null, { timeout: 10_000 });

  await rows.nth(1).locator('[data-testid="version-share"]').click();
  await page.getByText('Link to version null copied').waitFor();
  const [presign] = await calls(page, 'share_presign');
  assert.equal(presign.request.versionId, 'null');

  await rows.nth(1).locator('[data-testid="version-restore"]').click();
  await rows.nth(2).waitFor();
  assert.deepEqual(await calls(page, 'version_restore'), [{ bucket: 'media-assets', key: 'README.md', versionId: 'null' }]);
  assert.equal(await rows.count(), 3, 'the restore is a new latest version');

  await rows.nth(2).locator('[data-testid="version-delete"]').click();
  assert.match(await byTestId(page, 'version-delete-confirm-box').innerText(), /permanently/);
  await byTestId(page, 'version-delete-confirm').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="version-row"]').length === 2);
  assert.deepEqual(await calls(page, 'version_delete'), [{ bucket: 'media-assets', key: 'README.md', versionId: 'null' }]);
  await byTestId(page, 'versions-close').click();
  assert.deepEqual(errors, []);
});

test('the details panel opens the versions of the selected file on a versioned bucket', { timeout: 25_000 }, async () => {
  const { page, errors } = await openBucket({}, 'suspended');
  await objectRow(page, 'banner.png').click();
  if (!(await byTestId(page, 'details-panel').isVisible())) await byTestId(page, 'toggle-details').click();
  await byTestId(page, 'details-versions').click();
  await byTestId(page, 'versions-dialog').waitFor();
  await page.locator('[data-testid="version-row"][data-version="null"]').waitFor();
  assert.deepEqual(errors, []);
});

test('show deleted objects: a deleted file is listed greyed and comes back with Restore', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket({}, 'enabled');
  await objectRow(page, 'README.md').click();
  await page.keyboard.press('Delete');
  await byTestId(page, 'delete-confirm').click();
  await objectRow(page, 'README.md').waitFor({ state: 'detached' });

  const toggle = byTestId(page, 'deleted');
  if (await toggle.isVisible()) await toggle.click();
  else {
    await byTestId(page, 'toolbar-more').click();
    await byTestId(page, 'menu-deleted').click();
  }
  const deleted = page.locator('[data-testid="deleted-row"][data-key="README.md"]');
  await deleted.waitFor();
  await screenshot(page, 'versions-deleted');
  await deleted.locator('[data-testid="deleted-restore"]').click();
  await objectRow(page, 'README.md').waitFor();
  await byTestId(page, 'deleted-empty').waitFor();
  assert.deepEqual(await calls(page, 'deleted_restore'), [{ bucket: 'media-assets', key: 'README.md' }]);
  assert.deepEqual(errors, []);
});
