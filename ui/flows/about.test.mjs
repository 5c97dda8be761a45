// Settings → About OSS Lite against the fake backend: build facts, the licence list and its
// filter, the log folder and project page links. Screenshot: target/screenshots/ui-about.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byTestId, screenshot, start } from './harness.mjs';

let h;
before(async () => {
  h = await start();
}, { timeout: 30_000 });
after(async () => {
  await h?.stop();
});

test('About shows the build, filters the licences and opens the links', { timeout: 15_000 }, async () => {
  const { page, errors } = await h.openBuckets();
  await byTestId(page, 'open-settings').click();
  await byTestId(page, 'open-about').click();
  await byTestId(page, 'about-dialog').waitFor();

  assert.equal(await byTestId(page, 'about-version').textContent(), '0.1.0');
  assert.equal(await byTestId(page, 'about-commit').textContent(), '0123456789');
  assert.equal(await byTestId(page, 'about-build-date').textContent(), '2026-12-04');
  assert.equal(await byTestId(page, 'about-license').count(), 3);
  assert.match(await byTestId(page, 'about-dialog').textContent(), /Licences of 3 bundled components/);
  await screenshot(page, 'about');

  await byTestId(page, 'about-licenses-filter').fill('apache');
  assert.deepEqual(await byTestId(page, 'about-license').evaluateAll((rows) => rows.map((r) => r.dataset.name)), ['tauri']);

  await byTestId(page, 'about-open-logs').click();
  await byTestId(page, 'about-project-page').click();
  const calls = await page.evaluate(() => window.__FAKE__.calls.map((c) => c.cmd));
  assert.ok(calls.includes('log_folder_open') && calls.includes('project_page_open'), calls.join(', '));

  await byTestId(page, 'about-done').click();
  await byTestId(page, 'about-dialog').waitFor({ state: 'detached' });
  await byTestId(page, 'settings-dialog').waitFor();
  assert.deepEqual(errors, []);
});
