// Search flows against the built UI with the fake backend: Ctrl+Shift+F and the toolbar button
// open a search below the folder; hits stream in with their paths and a running count; the
// selection actions (share, copy links, delete) work on them; the cap stops a search and "Search
// further" goes on; Stop cancels; Show in folder selects the hit there; Esc goes back to the folder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTestId, objectRow, screenshot, startForFile } from './harness.mjs';

const BIG = 3000;

const h = startForFile();

const hitRow = (page, key) => page.locator(`[data-testid="search-row"][data-key="${key}"]`);

async function openBucketRoot() {
  const session = await h.openBuckets({ config: { bigCount: BIG } });
  const { page } = session;
  await byTestId(page, 'address-input').fill('oss://media-assets/');
  await byTestId(page, 'address-input').press('Enter');
  await objectRow(page, 'docs/').waitFor();
  return session;
}

async function search(page, names) {
  await byTestId(page, 'search-names').fill(names);
  await byTestId(page, 'search-names').press('Enter');
}

test('Ctrl+Shift+F searches below the folder; a nested hit shows its path and can be shared, linked and deleted', { timeout: 45_000 }, async () => {
  const { page, errors } = await openBucketRoot();
  await objectRow(page, 'docs/').click();
  await page.keyboard.press('Control+Shift+F');
  await byTestId(page, 'search-view').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search-names', 'the name field has the focus');

  await search(page, 'report, cover');
  await hitRow(page, 'docs/report-2024.pdf').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="search-stop"]'));
  // Every key of the bucket is scanned: the fixed objects and BIG photos.
  const total = await page.evaluate(() => window.__FAKE__.search && [...document.querySelectorAll('[data-testid="search-row"]')].length);
  assert.equal(total, 2);
  assert.match(await byTestId(page, 'search-count').innerText(), /^2 found, 3,0\d\d scanned$/);
  assert.equal((await hitRow(page, 'photos/cover.jpg').innerText()).split('\n')[0].trim(), 'photos/cover.jpg', 'rows show the path below the searched folder');
  await screenshot(page, 'search');

  await hitRow(page, 'docs/report-2024.pdf').dblclick();
  await byTestId(page, 'share-dialog').waitFor();
  assert.match(await byTestId(page, 'share-dialog').innerText(), /oss:\/\/media-assets\/docs\/report-2024\.pdf/);
  await page.keyboard.press('Escape');
  await byTestId(page, 'share-dialog').waitFor({ state: 'detached' });
  await byTestId(page, 'search-view').waitFor();

  await hitRow(page, 'photos/cover.jpg').click();
  await byTestId(page, 'search-copy-links').click();
  await page.waitForFunction(() => window.__FAKE__.clipboard.length > 0);
  const [link] = await page.evaluate(() => window.__FAKE__.clipboard);
  assert.match(link, /photos\/cover\.jpg\?/, 'a signed link to the hit');

  await byTestId(page, 'search-delete').click();
  await byTestId(page, 'delete-confirm').click();
  await hitRow(page, 'photos/cover.jpg').waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-testid="search-row"]').count(), 1);

  // Show in folder: the folder opens with the object selected.
  await hitRow(page, 'docs/report-2024.pdf').click();
  await byTestId(page, 'search-reveal').click();
  await byTestId(page, 'search-view').waitFor({ state: 'detached' });
  const revealed = objectRow(page, 'docs/report-2024.pdf');
  await revealed.waitFor();
  assert.equal(await revealed.getAttribute('aria-selected'), 'true');
  assert.equal(await byTestId(page, 'address-input').inputValue(), 'oss://media-assets/docs/');

  // Esc goes back to the folder searched.
  await page.locator('[data-testid="object-list"]').focus();
  await page.keyboard.press('Control+Shift+F');
  await byTestId(page, 'search-view').waitFor();
  await page.keyboard.press('Escape');
  await byTestId(page, 'search-view').waitFor({ state: 'detached' });
  await revealed.waitFor();
  assert.deepEqual(errors, []);
});

test('criteria narrow the hits, a bad size is explained, the cap stops a search, Search further goes on, a hit downloads', { timeout: 45_000 }, async () => {
  const { page, errors } = await openBucketRoot();
  await byTestId(page, 'search-open').click();
  await byTestId(page, 'search-min-size').fill('lots');
  await search(page, '*.pdf');
  assert.match(await byTestId(page, 'search-problem').innerText(), /'lots' is not a size/);

  await byTestId(page, 'search-min-size').fill('10');
  await byTestId(page, 'search-go').click();
  await hitRow(page, 'docs/handbook.pdf').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="search-stop"]'));
  assert.equal(await page.locator('[data-testid="search-row"]').count(), 1, 'report-2024.pdf is under 10 MB');

  // Each fake key counts as 500 scanned: 1,000,000 keys are reached after 2,000 of them.
  await page.evaluate(() => (window.__FAKE__.search.keysPerObject = 500));
  await byTestId(page, 'search-min-size').fill('');
  await byTestId(page, 'search-class').selectOption('IA');
  await search(page, '*.jpg');
  await byTestId(page, 'search-capped').waitFor();
  assert.match(await byTestId(page, 'search-capped').innerText(), /Stopped after 1,000,000 keys/);
  const capped = await page.locator('[data-testid="search-row"]').count();
  assert.ok(capped > 0, 'hits found before the cap stay');
  await byTestId(page, 'search-further').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="search-stop"]') && !document.querySelector('[data-testid="search-capped"]'));
  const all = await page.evaluate(() => [...document.querySelectorAll('[data-testid="search-row"]')].length);
  assert.ok(all >= capped, `${all} hits after searching further, ${capped} before`);
  assert.match(await byTestId(page, 'search-count').innerText(), /scanned$/);
  const found = Number((await byTestId(page, 'search-count').innerText()).split(' ')[0].replace(/,/g, ''));
  assert.ok(found > capped, `${found} found in the whole bucket, ${capped} below the cap`);

  // A download keeps the paths below the searched folder (the bucket root here).
  const first = await page.locator('[data-testid="search-row"]').first().getAttribute('data-key');
  await page.locator('[data-testid="search-row"]').first().click();
  await byTestId(page, 'search-download').click();
  await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'transfer_download'));
  const request = await page.evaluate(() => window.__FAKE__.calls.find((c) => c.cmd === 'transfer_download').args.request);
  assert.deepEqual({ base: request.base, keys: request.keys }, { base: '', keys: [first] });
  assert.match(first, /^photos\/2024\/IMG_\d+\.jpg$/);

  await page.evaluate(() => (window.__FAKE__.search.pageMs = 300));
  await byTestId(page, 'search-go').click();
  await byTestId(page, 'search-stop').click();
  await byTestId(page, 'search-stopped').waitFor();

  await byTestId(page, 'search-close').click();
  await byTestId(page, 'search-view').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
