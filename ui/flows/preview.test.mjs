// Preview flows against the built UI with the fake backend: quick look (Space opens it, arrows
// move through the list and it follows, Space and Esc close it; Ctrl+Space toggles the row),
// Markdown rendered without running or loading anything, JSON and CSV, and a Download button for
// types without a viewer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTestId, enterBucket, objectRow, screenshot, startForFile } from './harness.mjs';

const EXTRA = { 'docs/data.json': 300, 'docs/table.csv': 200, 'docs/tools.zip': 5_000 };

const h = startForFile();

async function openDocs() {
  const session = await h.openBuckets({ config: { bigCount: 300, extraObjects: EXTRA } });
  const { page } = session;
  await enterBucket(page, 'media-assets');
  await objectRow(page, 'docs/').dblclick();
  await objectRow(page, 'docs/notes.md').waitFor();
  return session;
}

const quickLookKey = (page) => byTestId(page, 'quick-look').locator('.stage').getAttribute('data-key');
const cursorKey = (page) => page.locator('[data-testid="object-row"].cursor').getAttribute('data-key');

test('quick look: Space opens the focused object, arrows move and it follows, Space and Esc close', { timeout: 30_000 }, async () => {
  const { page, errors } = await openDocs();
  await objectRow(page, 'docs/notes.md').click();
  await page.keyboard.press('Space');
  const look = byTestId(page, 'quick-look');
  await look.waitFor();
  assert.equal(await quickLookKey(page), 'docs/notes.md');
  await look.locator('[data-testid="preview-markdown"] h1').waitFor({ timeout: 5000 });
  await screenshot(page, 'quicklook');

  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="quick-look"] .stage')?.dataset.key === 'docs/report-2024.pdf', null, { timeout: 5000 });
  await look.locator('[data-testid="preview-pdf"]').waitFor();
  assert.equal(await cursorKey(page), 'docs/report-2024.pdf', 'the list cursor moved with it');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('[data-testid="quick-look"] .stage')?.dataset.key === 'docs/table.csv', null, { timeout: 5000 });
  await look.locator('[data-testid="preview-csv"]').waitFor();
  assert.deepEqual(await look.locator('[data-testid="preview-csv"] tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))), [
    ['city', 'count'],
    ['Hangzhou, ZJ', '3'],
    ['Beijing', '5'],
  ]);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.querySelector('[data-testid="quick-look"] .stage')?.dataset.key === 'docs/notes.md', null, { timeout: 5000 });

  await page.keyboard.press('Space');
  await look.waitFor({ state: 'detached' });
  assert.equal(await cursorKey(page), 'docs/notes.md');
  await page.keyboard.press('Space');
  await look.waitFor();
  await page.keyboard.press('Escape');
  await look.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('Ctrl+Space toggles the selection of the focused row; Space no longer does', { timeout: 30_000 }, async () => {
  const { page, errors } = await openDocs();
  await objectRow(page, 'docs/notes.md').click();
  await page.keyboard.press('Control+Space');
  assert.equal(await objectRow(page, 'docs/notes.md').getAttribute('aria-selected'), 'false');
  await page.keyboard.press('Control+Space');
  assert.equal(await objectRow(page, 'docs/notes.md').getAttribute('aria-selected'), 'true');
  assert.equal(await byTestId(page, 'quick-look').count(), 0);
  await page.keyboard.press('?');
  const help = await byTestId(page, 'help-overlay').innerText();
  assert.match(help, /Space\s+Quick look/);
  assert.match(help, /Ctrl\+Space\s+Select or unselect the row/);
  assert.deepEqual(errors, []);
});

test('Markdown runs no script and loads no remote image; JSON is indented', { timeout: 30_000 }, async () => {
  const { page, errors } = await openDocs();
  const remote = [];
  page.on('request', (request) => {
    if (request.url().includes('remote.example')) remote.push(request.url());
  });
  await objectRow(page, 'docs/notes.md').click();
  const markdown = byTestId(page, 'preview-markdown');
  await markdown.locator('li').nth(1).waitFor();
  assert.equal(await markdown.locator('script, img, iframe, a').count(), 0);
  assert.match(await markdown.innerText(), /<img src="http:\/\/remote\.example\/x\.png"/, 'HTML shows as text');
  assert.equal(await markdown.locator('.md-image').innerText(), '[remote]');
  assert.equal(await page.evaluate(() => window.__previewScript), undefined, 'the script never ran');
  assert.deepEqual(remote, [], 'nothing was fetched from a remote host');

  await objectRow(page, 'docs/data.json').click();
  const json = byTestId(page, 'preview-text');
  await json.waitFor();
  assert.equal(await json.innerText(), '{\n  "name": "osslite",\n  "tags": [\n    "a",\n    "b"\n  ],\n  "size": 3\n}');
  assert.deepEqual(errors, []);
});

test('a type without a viewer shows its details and a Download button that downloads it', { timeout: 30_000 }, async () => {
  const { page, errors } = await openDocs();
  await objectRow(page, 'docs/tools.zip').click();
  const none = byTestId(page, 'preview-none');
  await none.waitFor();
  assert.match(await none.innerText(), /application\/octet-stream · 4\.9 KB/);
  await byTestId(page, 'preview-download').click();
  await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'transfer_download'));
  const asked = await page.evaluate(() => window.__FAKE__.calls.find((c) => c.cmd === 'transfer_download').args);
  assert.deepEqual(asked.request.keys, ['docs/tools.zip']);
  assert.deepEqual(errors, []);
});
