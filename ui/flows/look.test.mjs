// Look-and-find flows against the built UI with the fake backend: the address
// bar (paste an address, invalid ones explained, copy), back/forward by button,
// Alt+arrows and mouse buttons, recent locations and favorites per profile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTestId, enterBucket, objectRow, screenshot, startForFile } from './harness.mjs';

const h = startForFile();

async function openBuckets(storage = {}) {
  return h.openBuckets({ config: { bigCount: 300 }, storage });
}

const address = (page) => byTestId(page, 'address-input').inputValue();

async function goTo(page, text) {
  await byTestId(page, 'address-input').fill(text);
  await byTestId(page, 'address-input').press('Enter');
}

test('paste an oss:// address or an OSS link and land there; a bad one is explained', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBuckets();
  assert.equal(await address(page), 'oss://');
  await goTo(page, 'oss://media-assets/docs/');
  await objectRow(page, 'docs/notes.md').waitFor();
  assert.equal(await address(page), 'oss://media-assets/docs/');

  await goTo(page, 'https://media-assets.oss-cn-hangzhou.aliyuncs.com/photos/cover.jpg?Expires=1&Signature=x');
  await objectRow(page, 'photos/cover.jpg').waitFor();
  assert.equal(await address(page), 'oss://media-assets/photos/');

  await goTo(page, 'oss://Not_A_Bucket/');
  assert.match(await byTestId(page, 'address-problem').innerText(), /not a valid bucket name/);
  assert.equal(await objectRow(page, 'photos/cover.jpg').count(), 1, 'the list stays where it was');
  await screenshot(page, 'look-address');

  await byTestId(page, 'address-input').press('Escape');
  await byTestId(page, 'address-copy').click();
  const copied = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'clipboard_write').map((c) => c.args.text));
  assert.deepEqual(copied, ['oss://media-assets/photos/']);
  assert.deepEqual(errors, []);
});

test('back and forward by button, Alt+arrows and mouse buttons 4/5', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBuckets();
  assert.equal(await byTestId(page, 'nav-back').isDisabled(), true);
  await enterBucket(page, 'media-assets');
  await objectRow(page, 'docs/').waitFor();
  await objectRow(page, 'docs/').dblclick();
  await objectRow(page, 'docs/notes.md').waitFor();

  await byTestId(page, 'nav-back').click();
  await objectRow(page, 'docs/').waitFor();
  assert.equal(await address(page), 'oss://media-assets/');
  await page.keyboard.press('Alt+ArrowLeft');
  await byTestId(page, 'bucket-table').waitFor();
  assert.equal(await byTestId(page, 'nav-back').isDisabled(), true);

  await byTestId(page, 'nav-forward').click();
  await objectRow(page, 'docs/').waitFor();
  await page.keyboard.press('Alt+ArrowRight');
  await objectRow(page, 'docs/notes.md').waitFor();
  assert.equal(await byTestId(page, 'nav-forward').isDisabled(), true);

  await page.mouse.move(600, 400);
  await page.evaluate(() => window.dispatchEvent(new MouseEvent('mouseup', { button: 3 })));
  await objectRow(page, 'docs/').waitFor();
  await page.evaluate(() => window.dispatchEvent(new MouseEvent('mouseup', { button: 4 })));
  await objectRow(page, 'docs/notes.md').waitFor();
  assert.deepEqual(errors, []);
});

test('recent locations and favorites: add, rename, reorder, remove; kept per profile', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBuckets();
  await goTo(page, 'oss://media-assets/docs/');
  await objectRow(page, 'docs/notes.md').waitFor();
  await byTestId(page, 'address-favorite').click();
  assert.equal(await byTestId(page, 'address-favorite').getAttribute('aria-pressed'), 'true');
  await goTo(page, 'oss://media-assets/photos/');
  await objectRow(page, 'photos/cover.jpg').waitFor();
  await byTestId(page, 'address-favorite').click();

  await byTestId(page, 'address-places').click();
  const menu = byTestId(page, 'places-menu');
  await menu.waitFor();
  const labels = await menu.locator('[role="menuitem"]').allInnerTexts();
  assert.deepEqual(
    labels.map((l) => l.trim()),
    ['docs', 'photos', 'oss://media-assets/photos/', 'oss://media-assets/docs/', 'Manage favorites…'],
  );
  await menu.locator('[role="menuitem"]', { hasText: 'Manage favorites' }).click();
  const dialog = byTestId(page, 'favorites-dialog');
  await dialog.waitFor();
  await byTestId(page, 'favorite-name').first().fill('Documents');
  await byTestId(page, 'favorite-name').first().press('Tab');
  await byTestId(page, 'favorite-down').first().click();
  await screenshot(page, 'look-favorites');
  const rows = () => byTestId(page, 'favorite-row').evaluateAll((els) => els.map((e) => e.dataset.address));
  assert.deepEqual(await rows(), ['oss://media-assets/photos/', 'oss://media-assets/docs/']);
  await byTestId(page, 'favorite-remove').first().click();
  assert.deepEqual(await rows(), ['oss://media-assets/docs/']);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('osslite.bookmarks.v1.Production')));
  assert.deepEqual(saved.favorites, [{ name: 'Documents', bucket: 'media-assets', prefix: 'docs/' }]);

  await byTestId(page, 'address-places').click();
  await menu.locator('[role="menuitem"]', { hasText: 'Documents' }).click();
  await objectRow(page, 'docs/notes.md').waitFor();
  assert.deepEqual(errors, []);
});

test('preview in the details panel: an image from the preview scheme, Markdown with its markup as text, none for other types', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBuckets();
  await goTo(page, 'oss://media-assets/photos/');
  await objectRow(page, 'photos/cover.jpg').click();
  const image = byTestId(page, 'preview-image');
  await image.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="preview-image"]')?.naturalWidth > 0);
  const opened = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'preview_open').map((c) => c.args));
  assert.deepEqual(opened.at(-1), { bucket: 'media-assets', key: 'photos/cover.jpg', versionId: null, size: 402_118, contentType: null });
  // A picture is opened by its name at once, without waiting for its Content-Type.
  await screenshot(page, 'look-preview-image');

  await goTo(page, 'oss://media-assets/docs/');
  await objectRow(page, 'docs/notes.md').click();
  const text = byTestId(page, 'preview-markdown');
  await text.waitFor();
  assert.match(await text.innerText(), /<script>window.__previewScript = true<\/script>/, 'markup shows as text');
  assert.equal(await page.evaluate(() => window.__previewScript), undefined, 'and never runs');
  assert.equal(await byTestId(page, 'preview-text-note').innerText(), 'UTF-8');
  await screenshot(page, 'look-preview-text');

  await objectRow(page, 'docs/report-2024.pdf').click();
  await page.locator('[data-testid="preview"][data-kind="pdf"]').waitFor();
  assert.equal(await byTestId(page, 'preview-pdf').getAttribute('src'), 'about:blank', 'the URL preview_open gave');
  assert.deepEqual(errors, []);
});

test('Ctrl+L selects the address; in a short window it shows the hidden bar until focus leaves it', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBuckets();
  await goTo(page, 'oss://media-assets/docs/');
  await objectRow(page, 'docs/notes.md').click();
  await page.keyboard.press('Control+L');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'address-input');
  assert.equal(await page.evaluate(() => window.getSelection()?.toString() || document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd)), 'oss://media-assets/docs/');

  await objectRow(page, 'docs/notes.md').click();
  await page.setViewportSize({ width: 760, height: 480 });
  const bar = byTestId(page, 'address-bar');
  await bar.waitFor({ state: 'hidden' });
  await page.keyboard.press('Alt+D');
  await bar.waitFor({ state: 'visible' });
  await page.keyboard.type('oss://media-assets/photos/');
  await page.keyboard.press('Enter');
  await objectRow(page, 'photos/cover.jpg').waitFor();
  await objectRow(page, 'photos/cover.jpg').click();
  await bar.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
});
