// Management flows against the built UI with the fake backend (flows/mock/fake-manage.ts): each
// dialog, the app's clipboard of objects, dragging rows onto a folder, archived objects, folder
// sizes and buckets. Jobs run in the fake transfer engine and show in the transfer panel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTestId, enterBucket, objectRow, screenshot, startForFile } from './harness.mjs';

const h = startForFile();

async function openBucket(config = {}) {
  const session = await h.openBuckets({ config: { bigCount: 3000, bytesPerTick: 50_000_000, ...config } });
  const { page } = session;
  await enterBucket(page, 'media-assets');
  await objectRow(page, 'docs/').waitFor();
  return session;
}

/** The jobs asked for so far, once there are at least `count` (a dialog may close before it asks). */
async function jobs(page, count = 1) {
  await page.waitForFunction((n) => window.__FAKE__.calls.filter((c) => c.cmd === 'manage_start').length >= n, count, { timeout: 10_000 });
  return page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'manage_start').map((c) => ({ request: c.args.request, options: c.args.options })));
}
const keysIn = (page, bucket, prefix) =>
  page.evaluate(
    ([b, p]) => window.__FAKE__.handle('object_list_page', { bucket: b, prefix: p, continuationToken: null, maxKeys: 1000 }),
    [bucket, prefix],
  );
async function jobDone(page, count = 1) {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="transfer-row"][data-state="done"]').length >= n,
    count,
    { timeout: 10_000 },
  );
}

test('rename a folder in place (F2): one move job, the list follows', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket();
  await objectRow(page, 'docs/').click();
  await page.keyboard.press('F2');
  const dialog = byTestId(page, 'rename-dialog');
  await dialog.waitFor();
  assert.equal(await byTestId(page, 'rename-name').inputValue(), 'docs');
  await byTestId(page, 'rename-name').fill('photos');
  assert.match(await byTestId(page, 'rename-problem').innerText(), /exists here/, 'a taken name is refused');
  await byTestId(page, 'rename-name').fill('documents');
  await screenshot(page, 'manage-rename');
  await byTestId(page, 'rename-confirm').click();
  await dialog.waitFor({ state: 'detached' });

  const [job] = await jobs(page);
  assert.deepEqual(job.request, { bucket: 'media-assets', keys: ['docs/'], action: { type: 'move', target: { type: 'exact', bucket: 'media-assets', key: 'documents/' } } });
  await byTestId(page, 'transfer-panel').waitFor();
  await jobDone(page);
  await objectRow(page, 'documents/').waitFor();
  assert.equal(await objectRow(page, 'docs/').count(), 0);
  const moved = await keysIn(page, 'media-assets', 'documents/');
  assert.deepEqual(moved.objects.map((o) => o.key).sort(), ['documents/', 'documents/handbook.pdf', 'documents/notes.md', 'documents/report-2024.pdf']);
  assert.deepEqual(errors, []);
});

test('move to… another folder with the folder picker; a folder into itself is refused', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket();
  await objectRow(page, 'README.md').click();
  await objectRow(page, 'docs/').click({ modifiers: ['Control'] });
  await byTestId(page, 'manage-menu').click();
  await byTestId(page, 'manage-move').click();
  const dialog = byTestId(page, 'move-copy-dialog');
  await dialog.waitFor();
  await page.locator('[data-testid="picker-folder"][data-key="docs/"]').click();
  await byTestId(page, 'move-into-itself').waitFor();
  assert.equal(await byTestId(page, 'move-copy-confirm').isDisabled(), true);
  await byTestId(page, 'picker-up').click();
  await page.locator('[data-testid="picker-folder"][data-key="videos/"]').click();
  assert.match(await byTestId(page, 'picker-target').innerText(), /media-assets\/videos\/$/);
  await screenshot(page, 'manage-move-to');
  await byTestId(page, 'move-copy-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  const [job] = await jobs(page);
  assert.deepEqual(job.request.action, { type: 'move', target: { type: 'intoFolder', bucket: 'media-assets', prefix: 'videos/' } });
  assert.deepEqual(job.request.keys.sort(), ['README.md', 'docs/']);
  assert.equal(job.options.onConflict, 'fail');
  await jobDone(page);
  await page.waitForFunction(() => !document.querySelector('[data-testid="object-row"][data-key="README.md"]'));
  assert.deepEqual(errors, []);
});

test('cut and paste (Ctrl+X, Ctrl+V); copy objects (Ctrl+Shift+C) asks about a name that exists', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket();
  await objectRow(page, 'banner.png').click();
  await page.keyboard.press('Control+Shift+C');
  await byTestId(page, 'manage-paste').waitFor();
  // Pasting into the same folder: the name exists, so the conflict dialog asks.
  await page.keyboard.press('Control+V');
  await byTestId(page, 'conflict-dialog').waitFor();
  await page.getByRole('button', { name: 'Keep both' }).click();
  await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'manage_start'));
  const [copy] = await jobs(page);
  assert.equal(copy.options.onConflict, 'rename');
  assert.equal(copy.request.action.type, 'copy');
  await jobDone(page);
  await objectRow(page, 'banner (1).png').waitFor();

  await objectRow(page, 'README.md').click();
  await page.keyboard.press('Control+X');
  await objectRow(page, 'photos/').dblclick();
  await objectRow(page, 'photos/cover.jpg').waitFor();
  await page.locator('[data-testid="object-list"]').focus();
  await page.keyboard.press('Control+V');
  await page.waitForFunction(() => window.__FAKE__.calls.filter((c) => c.cmd === 'manage_start').length === 2);
  const move = (await jobs(page, 2))[1];
  assert.deepEqual(move.request, { bucket: 'media-assets', keys: ['README.md'], action: { type: 'move', target: { type: 'intoFolder', bucket: 'media-assets', prefix: 'photos/' } } });
  await jobDone(page, 2);
  await objectRow(page, 'photos/README.md').waitFor();
  assert.equal(await byTestId(page, 'manage-paste').count(), 0, 'a cut is pasted once');
  assert.deepEqual(errors, []);
});

test('dragging rows onto a folder row moves them', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket();
  await objectRow(page, 'README.md').dragTo(objectRow(page, 'videos/'));
  await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'manage_start'));
  const [job] = await jobs(page);
  assert.deepEqual(job.request.action, { type: 'move', target: { type: 'intoFolder', bucket: 'media-assets', prefix: 'videos/' } });
  assert.deepEqual(job.request.keys, ['README.md']);
  await jobDone(page);
  assert.deepEqual(errors, []);
});

test('properties: edit headers and metadata of two objects with a preview; ACL; storage class', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket();
  await objectRow(page, 'docs/').dblclick();
  await objectRow(page, 'docs/handbook.pdf').click();
  await objectRow(page, 'docs/notes.md').click({ modifiers: ['Control'] });
  await byTestId(page, 'manage-menu').click();
  await byTestId(page, 'manage-properties').click();
  const dialog = byTestId(page, 'properties-dialog');
  await dialog.waitFor();
  await byTestId(page, 'header-Content-Type').fill('text/plain; charset=utf-8');
  await byTestId(page, 'header-Cache-Control').fill('max-age=3600');
  await byTestId(page, 'meta-add').click();
  await byTestId(page, 'meta-name').fill('reviewed');
  await byTestId(page, 'meta-value').fill('yes');
  await byTestId(page, 'meta-preview-button').click();
  const preview = byTestId(page, 'meta-preview');
  await preview.waitFor();
  const text = await preview.innerText();
  assert.match(text, /2 objects/);
  assert.match(text, /Content-Type: application\/pdf → text\/plain; charset=utf-8/);
  assert.match(text, /x-oss-meta-reviewed: ∅ → yes/);
  await screenshot(page, 'manage-properties');
  await byTestId(page, 'meta-apply').click();
  await dialog.waitFor({ state: 'detached' });
  const [job] = await jobs(page);
  assert.deepEqual(job.request.keys, ['docs/handbook.pdf', 'docs/notes.md']);
  assert.equal(job.request.action.type, 'setMeta');
  assert.equal(job.request.action.edit.contentType, 'text/plain; charset=utf-8');
  assert.equal(job.request.action.edit.contentDisposition, null, 'fields left empty are kept');
  assert.deepEqual(job.request.action.edit.setMeta, [['reviewed', 'yes']]);
  await jobDone(page);
  const headers = await page.evaluate(() => window.__FAKE__.handle('object_headers', { bucket: 'media-assets', key: 'docs/notes.md' }));
  assert.equal(headers.headers.contentType, 'text/plain; charset=utf-8');
  assert.equal(headers.headers.cacheControl, 'max-age=3600');

  // The ACL of one object; the bucket's is shown.
  await objectRow(page, 'docs/notes.md').click();
  await byTestId(page, 'manage-menu').click();
  await byTestId(page, 'manage-properties').click();
  await byTestId(page, 'properties-tab-acl').click();
  assert.match(await byTestId(page, 'bucket-acl').innerText(), /private/);
  await byTestId(page, 'acl-public-read').check();
  await byTestId(page, 'acl-apply').click();
  await page.waitForFunction(() => window.__FAKE__.calls.filter((c) => c.cmd === 'manage_start').length === 2);
  assert.deepEqual((await jobs(page, 2))[1].request.action, { type: 'setAcl', acl: 'public-read' });

  // The storage class of a folder.
  await byTestId(page, 'crumb-bucket').click();
  await objectRow(page, 'docs/').click();
  await byTestId(page, 'manage-menu').click();
  await byTestId(page, 'manage-properties').click();
  await byTestId(page, 'properties-tab-class').click();
  await byTestId(page, 'class-IA').check();
  await byTestId(page, 'class-apply').click();
  await page.waitForFunction(() => window.__FAKE__.calls.filter((c) => c.cmd === 'manage_start').length === 3);
  assert.deepEqual((await jobs(page, 3))[2].request, { bucket: 'media-assets', keys: ['docs/'], action: { type: 'setClass', storageClass: 'IA' } });
  assert.deepEqual(errors, []);
});

test('an archived object: sharing explains and offers the restore; restoring, then restored', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket();
  await objectRow(page, 'photos/').dblclick();
  await objectRow(page, 'photos/2023/').dblclick();
  await objectRow(page, 'photos/2023/raw/').dblclick();
  const raw = objectRow(page, 'photos/2023/raw/DSC_0001.dng');
  const rowState = raw.locator('[data-testid="row-archive-state"]');
  assert.equal(await rowState.getAttribute('data-state'), 'archived', 'the list says archived');
  await raw.dblclick();
  await byTestId(page, 'restore-dialog').waitFor();
  assert.match(await byTestId(page, 'restore-why').innerText(), /archived/);
  assert.equal(await byTestId(page, 'share-dialog').count(), 0, 'no link to an object that cannot be read');
  await byTestId(page, 'restore-days').fill('3');
  await screenshot(page, 'manage-restore');
  await byTestId(page, 'restore-confirm').click();
  await jobDone(page);
  const [job] = await jobs(page);
  assert.deepEqual(job.request.action, { type: 'restore', days: 3, tier: null });

  await raw.click();
  if ((await byTestId(page, 'details-panel').count()) === 0) await byTestId(page, 'toggle-details').click();
  await page.locator('[data-testid="archive-state"][data-state="restoring"]').waitFor();
  // The fake completes the restore after 1.5 s; the panel reads the state again on reselecting.
  const restored = () =>
    page.evaluate(() => window.__FAKE__.handle('object_headers', { bucket: 'media-assets', key: 'photos/2023/raw/DSC_0001.dng' }).then((h) => h.state.state));
  for (let tries = 0; (await restored()) !== 'restored'; tries++) {
    assert.ok(tries < 100, 'the fake restore completes');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
  }
  await byTestId(page, 'crumb').first().click();
  await objectRow(page, 'photos/2023/').dblclick();
  await objectRow(page, 'photos/2023/raw/').dblclick();
  await raw.click();
  await page.locator('[data-testid="archive-state"][data-state="restored"]').waitFor();
  assert.equal(await rowState.getAttribute('data-state'), 'restored', 'the list says restored until …');
  await raw.dblclick();
  await byTestId(page, 'share-dialog').waitFor();
  assert.deepEqual(errors, []);
});

test('folder size in the details panel, by storage class, and stopping it', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket({ bigCount: 100_000 });
  if ((await byTestId(page, 'details-panel').count()) === 0) await byTestId(page, 'toggle-details').click();
  await objectRow(page, 'docs/').click();
  await byTestId(page, 'folder-size-count').click();
  await byTestId(page, 'folder-size-count').waitFor();
  const total = await byTestId(page, 'folder-size-total').innerText();
  assert.match(total, /4 objects/, 'the folder marker docs/ is an object too');
  const classes = await byTestId(page, 'folder-size-classes').innerText();
  assert.match(classes, /Infrequent Access/, 'classes are named as people read them');
  assert.match(classes, /Standard/);
  await screenshot(page, 'manage-folder-size');

  // A big folder: stopped midway.
  await objectRow(page, 'photos/').click();
  await byTestId(page, 'folder-size-count').click();
  await byTestId(page, 'folder-size-stop').click();
  await byTestId(page, 'folder-size-count').waitFor();
  assert.match(await byTestId(page, 'folder-size').innerText(), /stopped/);
  assert.deepEqual(errors, []);
});

test('buckets: create (name checked), details, delete only after typing the name', { timeout: 30_000 }, async () => {
  const { page, errors } = await h.openBuckets({ config: { bigCount: 10 } });
  await byTestId(page, 'bucket-create').click();
  await byTestId(page, 'bucket-create-name').fill('Bad_Name');
  await byTestId(page, 'bucket-create-confirm').click();
  assert.match(await byTestId(page, 'bucket-name-problem').innerText(), /lower-case/);
  await byTestId(page, 'bucket-create-name').fill('new-bucket-2026');
  await byTestId(page, 'bucket-create-class').selectOption('IA');
  await byTestId(page, 'bucket-create-confirm').click();
  const created = page.locator('[data-testid="bucket-row"][data-name="new-bucket-2026"]');
  await created.waitFor();
  assert.match(await created.innerText(), /Infrequent Access/);

  await created.locator('button').click();
  await byTestId(page, 'object-table').waitFor();
  await byTestId(page, 'bucket-info').click();
  await byTestId(page, 'bucket-details').waitFor();
  assert.match(await byTestId(page, 'bucket-details').innerText(), /oss-cn-hangzhou\.aliyuncs\.com/);
  assert.equal(await byTestId(page, 'bucket-delete-confirm').isDisabled(), true);
  await byTestId(page, 'bucket-delete-name').fill('new-bucket-2026');
  await screenshot(page, 'manage-bucket-details');
  await byTestId(page, 'bucket-delete-confirm').click();
  await byTestId(page, 'bucket-table').waitFor();
  await created.waitFor({ state: 'detached' });

  // A bucket with objects is not deleted: OSS's reason is shown.
  await enterBucket(page, 'public-site');
  await byTestId(page, 'bucket-info').click();
  await byTestId(page, 'bucket-delete-name').fill('public-site');
  await byTestId(page, 'bucket-delete-confirm').click();
  await page.getByText('is not empty').waitFor();
  assert.deepEqual(errors, []);
});

test('a job that failed for some objects lists every failure on request', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBucket();
  await objectRow(page, 'photos/').dblclick();
  await objectRow(page, 'photos/2023/').dblclick();
  // raw/ holds an archived object, whose storage class cannot change before it is restored.
  await objectRow(page, 'photos/2023/raw/').click();
  await byTestId(page, 'manage-menu').click();
  await byTestId(page, 'manage-properties').click();
  await byTestId(page, 'properties-tab-class').click();
  await byTestId(page, 'class-IA').check();
  await byTestId(page, 'class-apply').click();
  await page.locator('[data-testid="transfer-row"][data-state="failed"]').waitFor();
  await page.locator('[data-testid="transfer-row"][data-state="failed"] [data-testid="transfer-failures"]').click();
  await byTestId(page, 'job-failures-dialog').waitFor();
  assert.match(await byTestId(page, 'job-failures-count').innerText(), /^1 object\(s\) failed/);
  const failure = await byTestId(page, 'job-failure').innerText();
  assert.match(failure, /oss:\/\/media-assets\/photos\/2023\/raw\/DSC_0001\.dng/);
  assert.match(failure, /archived: restore it before changing its storage class/);
  await byTestId(page, 'job-failures-copy').click();
  await page.getByText('1 failure(s) copied').waitFor();
  assert.deepEqual(errors, []);
});
