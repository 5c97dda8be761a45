// UI flows against the built UI with a fake backend (see harness.mjs).
// Run with `npm run test:flows`; screenshots go to target/screenshots/ui-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backendState, byTestId, enterBucket, screenshot, start } from './harness.mjs';

const SECRET = 'Sup3r-Secret-Value-Never-Echoed';

let h;
before(async () => {
  h = await start();
}, { timeout: 30_000 });
after(async () => {
  await h?.stop();
});

/** A page already inside the "Production" profile (the app reopens the last profile). */
async function openBrowsing(extra = {}) {
  return h.openBuckets(extra);
}

async function openFolder(page, ...names) {
  await enterBucket(page, 'media-assets');
  let prefix = '';
  for (const name of names) {
    prefix += `${name}/`;
    await page.locator(`[data-testid="object-row"][data-key="${prefix}"]`).dblclick();
    await page.locator('[data-testid="crumb"][aria-current="location"]', { hasText: name }).waitFor();
  }
  await byTestId(page, 'object-row').first().waitFor();
}

const statusCount = (page) => byTestId(page, 'status-count').innerText();

/** Saves a profile whose connection was not tested: the first click warns, the second saves. */
async function saveUntested(page) {
  await byTestId(page, 'profile-save').click();
  await byTestId(page, 'profile-untested').waitFor();
  await byTestId(page, 'profile-save').click();
}

test('first screen keeps what tests/e2e/start-screen.test.mjs checks', { timeout: 15_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  assert.equal(await byTestId(page, 'app-title').innerText(), 'OSS Lite');
  await page.waitForFunction(() => document.querySelector('[data-testid="app-version"]')?.textContent.trim() === 'OSS Lite v0.1.0');
  assert.equal(await byTestId(page, 'error-banner').count(), 0);
  assert.equal(await byTestId(page, 'validity-preset-3600').getAttribute('aria-pressed'), 'true');
  await byTestId(page, 'validity-custom-unit').selectOption('seconds');
  await byTestId(page, 'validity-custom-amount').fill('59');
  const message = await byTestId(page, 'validity-error').innerText();
  assert.match(message, /\b60\b/);
  assert.match(message, /59 s is too short/);
  assert.equal(await byTestId(page, 'validity-expiry').count(), 0);
  await byTestId(page, 'validity-preset-900').click();
  assert.match(await byTestId(page, 'validity-expiry-utc').innerText(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.match(await byTestId(page, 'validity-expiry-local').innerText(), /\(UTC[+-]\d{2}:\d{2}\)$/);
  assert.match(await byTestId(page, 'validity-saved').innerText(), /Saved as your default: 15 minutes/);
  await page.reload();
  await byTestId(page, 'validity-preset-900').waitFor();
  assert.equal(await byTestId(page, 'validity-preset-900').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(errors, []);
});

test('first start: profile screen, add a profile, the secret is never echoed back', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await byTestId(page, 'profiles-empty').waitFor();
  assert.equal(await byTestId(page, 'app-title').innerText(), 'OSS Lite');
  assert.equal(await byTestId(page, 'app-version').innerText(), 'OSS Lite v0.1.0');
  assert.equal(await byTestId(page, 'validity-preset-3600').getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'start');

  await byTestId(page, 'profile-add').click();
  const form = byTestId(page, 'profile-form');
  await form.waitFor();
  await byTestId(page, 'profile-name').fill('Production');
  await byTestId(page, 'profile-region').fill('cn-shanghai');
  await byTestId(page, 'profile-akid').fill('LTAI5tExampleKeyId42');
  await byTestId(page, 'profile-secret').fill(SECRET);
  assert.equal(await byTestId(page, 'profile-secret').getAttribute('type'), 'password');
  assert.equal(await byTestId(page, 'profile-endpoint-preview').innerText(), 'https://bucket.oss-cn-shanghai.aliyuncs.com/');
  await screenshot(page, 'profile-form');
  await saveUntested(page);
  await form.waitFor({ state: 'detached' });

  const item = page.locator('[data-testid="profile-item"][data-name="Production"]');
  await item.waitFor();
  assert.equal(await item.locator('[data-testid="profile-item-key"]').innerText(), 'LTAI****Id42');
  // Nowhere on the page, in no input, and in nothing the backend returns.
  assert.ok(!(await page.content()).includes(SECRET), 'the secret is in the DOM');
  const profiles = await page.evaluate(() => window.__FAKE__.handle('profile_list'));
  assert.ok(!JSON.stringify(profiles).includes(SECRET), 'profile_list returned the secret');

  // Editing starts with empty key fields: leaving them empty keeps the stored keys.
  await item.locator('[data-testid="profile-edit"]').click();
  await form.waitFor();
  assert.equal(await byTestId(page, 'profile-secret').inputValue(), '');
  assert.equal(await byTestId(page, 'profile-akid').inputValue(), '');
  await byTestId(page, 'profile-save').click();
  await form.waitFor({ state: 'detached' });
  const save = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'profile_save').at(-1).args.input);
  assert.equal(save.replace, true);
  assert.equal(save.keys, undefined, 'keys were sent although the key fields were left empty');

  await item.locator('[data-testid="profile-test"]').click();
  await item.locator('[data-testid="profile-test-result"]', { hasText: 'Connected: 3 buckets.' }).waitFor();
  await screenshot(page, 'profiles');
  assert.deepEqual(errors, []);
});

test('browse: buckets, a bucket, a nested folder of 100,000 objects; sort by size; load all', { timeout: 30_000 }, async () => {
  const { page, errors } = await openBrowsing();
  assert.equal(await page.locator('[data-testid="bucket-row"]').count(), 3);
  await screenshot(page, 'buckets');

  await openFolder(page, 'photos');
  const names = await page.locator('[data-testid="object-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.key));
  assert.deepEqual(names.slice(0, 3), ['photos/2023/', 'photos/2024/', 'photos/cover.jpg']);
  await page.locator('[data-testid="object-row"][data-key="photos/2024/"]').dblclick();
  await page.locator('[data-testid="object-row"][data-key="photos/2024/IMG_000001.jpg"]').waitFor();
  assert.deepEqual(
    await page.locator('[data-testid="crumb"]').allInnerTexts(),
    ['photos', '2024'],
  );
  // Virtualised: a screenful of rows in the DOM, not a page of 1,000.
  const rendered = await page.locator('[data-testid="object-row"]').count();
  assert.ok(rendered > 10 && rendered < 60, `${rendered} rows rendered`);
  assert.match(await statusCount(page), /^1,000 items loaded$/);
  await screenshot(page, 'objects');

  // Scrolling near the end of what is loaded fetches the next page.
  await page.locator('[data-testid="object-list"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForFunction(() => /^2,000 items loaded$/.test(document.querySelector('[data-testid="status-count"]').textContent.trim()));

  // Sort by size: largest first, over what is loaded, and the UI says so.
  await byTestId(page, 'sort-size').click();
  await byTestId(page, 'partial-sort').waitFor();
  const sizes = await page.evaluate(async () => {
    const page1 = await window.__FAKE__.handle('object_list_page', { bucket: 'media-assets', prefix: 'photos/2024/', continuationToken: null, maxKeys: 2000 });
    return page1.objects.map((o) => o.size).sort((a, b) => b - a);
  });
  const firstKey = await byTestId(page, 'object-row').first().getAttribute('data-key');
  assert.equal(await byTestId(page, 'object-row').first().locator('.size').innerText(), formatSize(sizes[0]), `first row ${firstKey}`);
  assert.equal(await byTestId(page, 'sort-size').locator('xpath=..').getAttribute('aria-sort'), 'descending');
  await screenshot(page, 'sorted-partial');

  // Load all: 100,000 rows, still sorted, and the notice is gone.
  await byTestId(page, 'load-all').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status-count"]')?.textContent.trim() === '100,000 items', null, { timeout: 20_000 });
  await byTestId(page, 'partial-sort').waitFor({ state: 'detached' });
  const maxAll = await page.evaluate(async () => {
    let token = null;
    let max = 0;
    do {
      const p = await window.__FAKE__.handle('object_list_page', { bucket: 'media-assets', prefix: 'photos/2024/', continuationToken: token, maxKeys: 1000 });
      for (const o of p.objects) max = Math.max(max, o.size);
      token = p.nextContinuationToken;
    } while (token);
    return max;
  });
  assert.equal(await byTestId(page, 'object-row').first().locator('.size').innerText(), formatSize(maxAll));
  assert.ok((await page.locator('[data-testid="object-row"]').count()) < 60);
  await screenshot(page, 'sorted');
  assert.deepEqual(errors, []);
});

test('select: click, Shift-click range, Ctrl-click toggle, Ctrl-A; keyboard navigation', { timeout: 20_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await openFolder(page, 'photos', '2024');
  const rows = page.locator('[data-testid="object-row"]');
  await rows.nth(1).click();
  await rows.nth(5).click({ modifiers: ['Shift'] });
  assert.equal(await byTestId(page, 'selection-count').innerText().then((s) => s.split('·')[0].trim()), '5 selected');
  assert.equal(await page.locator('[data-testid="object-row"][aria-selected="true"]').count(), 5);
  await rows.nth(3).click({ modifiers: ['Control'] });
  assert.match(await byTestId(page, 'selection-count').innerText(), /^4 selected/);
  assert.equal(await rows.nth(3).getAttribute('aria-selected'), 'false');
  await byTestId(page, 'details-summary').waitFor();
  await screenshot(page, 'selection');

  // Arrow keys move the cursor; Shift extends from the anchor.
  await rows.nth(0).click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  assert.match(await byTestId(page, 'selection-count').innerText(), /^3 selected/);
  await page.keyboard.press('Control+A');
  assert.match(await byTestId(page, 'selection-count').innerText(), /^1,000 selected/);
  await page.keyboard.press('Escape');
  await byTestId(page, 'selection-count').waitFor({ state: 'detached' });

  // Typing filters what is loaded; Enter asks the server for that prefix.
  await byTestId(page, 'filter').fill('00001');
  assert.equal(await statusCount(page), '11 of 1,000 match');
  await byTestId(page, 'partial-filter').waitFor();
  await byTestId(page, 'filter').fill('IMG_00001');
  await byTestId(page, 'filter').press('Enter');
  await byTestId(page, 'server-filter').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="status-count"]')?.textContent.trim() === '10 items');
  const filtered = await page.locator('[data-testid="object-row"]').evaluateAll((r) => r.map((e) => e.dataset.key));
  assert.deepEqual(filtered, Array.from({ length: 10 }, (_, i) => `photos/2024/IMG_00001${i}.jpg`));
  const list = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'object_list_page').at(-1).args);
  assert.equal(list.prefix, 'photos/2024/IMG_00001');
  await page.keyboard.press('Backspace');
  await byTestId(page, 'server-filter').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelector('[data-testid="status-count"]')?.textContent.trim() === '1,000 items loaded');

  // Backspace goes up; Enter opens the folder under the cursor.
  await page.keyboard.press('Backspace');
  await page.locator('[data-testid="object-row"][data-key="photos/2024/"]').waitFor();
  await page.locator('[data-testid="object-row"][data-key="photos/2023/"]').click();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="object-row"][data-key="photos/2023/trip-001.jpg"]').waitFor();
  assert.deepEqual(errors, []);
});

test('details panel and errors with OSS code and RequestId', { timeout: 15_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await openFolder(page, 'photos');
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').click();
  await byTestId(page, 'details-crc64').waitFor();
  assert.equal(await byTestId(page, 'details-content-type').innerText(), 'image/jpeg');
  assert.match(await byTestId(page, 'details-metadata').innerText(), /camera\s+X100V/);
  assert.equal(await byTestId(page, 'details-acl').innerText(), 'Inherits the bucket ACL');
  await screenshot(page, 'details');

  // An ACL the keys may not read (null) is said to be unknown, not inherited.
  await byTestId(page, 'crumb-buckets').click();
  await openFolder(page, 'docs');
  await page.locator('[data-testid="object-row"][data-key="docs/report-2024.pdf"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="details-acl"]')?.textContent.trim() === 'Unknown (could not read the ACL)');

  await byTestId(page, 'crumb-buckets').click();
  await enterBucket(page, 'logs-archive');
  const note = byTestId(page, 'error-note');
  await note.waitFor();
  assert.equal(await byTestId(page, 'error-oss-code').innerText(), 'AccessDenied');
  assert.equal(await byTestId(page, 'error-request-id').innerText(), '66F0C2A1E4B0D1A2B3C4D5E7');
  await byTestId(page, 'error-copy').click();
  await page.waitForFunction(() => window.__FAKE__.clipboard.some((text) => text.includes('RequestId: 66F0C2A1E4B0D1A2B3C4D5E7')));
  await screenshot(page, 'error');
  assert.deepEqual(errors, []);
});

test('share: a computer clock 30 minutes off is named, and the link is dated with the server time', { timeout: 20_000 }, async () => {
  const { page, errors } = await openBrowsing({ config: { clockOffsetSecs: 1800 } });
  await openFolder(page, 'photos', '2024');
  await page.locator('[data-testid="object-row"][data-key="photos/2024/IMG_000003.jpg"]').click();
  await byTestId(page, 'share').click();
  await byTestId(page, 'share-url').waitFor();
  const note = byTestId(page, 'share-clock-skew');
  await note.waitFor();
  const text = await note.innerText();
  assert.match(text, /Your clock is 1800 s off; links are signed with the server.s time/);
  const signedAt = Date.parse(text.match(/signed at (\S+Z)/)[1]);
  const ahead = (signedAt - Date.now()) / 1000;
  assert.ok(ahead > 1790 && ahead < 1810, `signed ${ahead} s ahead`);
  const date = (await byTestId(page, 'share-url').inputValue()).match(/x-oss-date=(\d{8}T\d{6}Z)/)[1];
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`;
  assert.equal(Date.parse(iso), signedAt, 'the URL is dated with the time shown');
  await screenshot(page, 'share-clock-skew');
  assert.deepEqual(errors, []);
});

test('share: validity 59 and 32401 refused, 120 accepted, copy URL, QR, upload headers', { timeout: 20_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await openFolder(page, 'photos', '2024');
  await page.locator('[data-testid="object-row"][data-key="photos/2024/IMG_000003.jpg"]').click();
  await byTestId(page, 'share').click();
  const dialog = byTestId(page, 'share-dialog');
  await dialog.waitFor();
  await byTestId(page, 'share-url').waitFor();
  assert.match(await byTestId(page, 'share-url').inputValue(), /x-oss-expires=3600/);
  assert.equal(await byTestId(page, 'share-clock-skew').count(), 0, 'no clock note when the clocks agree');

  await byTestId(page, 'validity-custom-unit').selectOption('seconds');
  await byTestId(page, 'validity-custom-amount').fill('59');
  assert.match(await byTestId(page, 'validity-error-text').innerText(), /between 60 seconds and 9 hours \(32400 s\); 59 s is too short\./);
  await byTestId(page, 'share-refused').waitFor();
  assert.equal(await byTestId(page, 'share-url').count(), 0);
  await screenshot(page, 'share-refused');

  await byTestId(page, 'validity-custom-amount').fill('32401');
  assert.match(await byTestId(page, 'validity-error-text').innerText(), /32401 s is too long\./);
  await byTestId(page, 'share-refused').waitFor();

  const before = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'share_presign').length);
  await byTestId(page, 'validity-custom-amount').fill('120');
  await page.waitForFunction(() => /x-oss-expires=120&/.test(document.querySelector('[data-testid="share-url"]')?.value ?? ''));
  const presigns = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'share_presign').map((c) => c.args.request.expiresSecs));
  assert.ok(presigns.slice(before).every((s) => s === 120), `out-of-range values reached the backend: ${presigns}`);
  assert.match(await byTestId(page, 'validity-duration').innerText(), /^2 minutes$/);
  assert.match(await byTestId(page, 'share-expires-utc').innerText(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

  const url = await byTestId(page, 'share-url').inputValue();
  await byTestId(page, 'share-copy-url').click();
  await byTestId(page, 'share-copy-url').getByText('Copied').waitFor();
  const copies = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'clipboard_write').map((c) => c.args.text));
  assert.deepEqual(copies, [url]);

  await byTestId(page, 'share-qr-toggle').click();
  const qr = byTestId(page, 'share-qr').locator('img');
  await qr.waitFor();
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image did not render');
  await screenshot(page, 'share');

  // Upload link: the dialog lists exactly the headers the uploader must send.
  await byTestId(page, 'share-method-put').click();
  await byTestId(page, 'share-content-type').fill('image/jpeg');
  await byTestId(page, 'share-storage-class').selectOption('IA');
  await byTestId(page, 'share-meta-add').click();
  await byTestId(page, 'share-meta-name').fill('Author');
  await byTestId(page, 'share-meta-value').fill('li.wei');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="share-header"]').length === 3);
  const headers = await page.locator('[data-testid="share-header"]').evaluateAll((rows) => rows.map((r) => r.innerText.replace(/\s+/g, ' ')));
  assert.deepEqual(headers, ['content-type image/jpeg', 'x-oss-meta-author li.wei', 'x-oss-storage-class IA']);
  const last = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'share_presign').at(-1).args.request);
  assert.deepEqual(
    { method: last.method, contentType: last.contentType, storageClass: last.storageClass, meta: last.meta, expiresSecs: last.expiresSecs },
    { method: 'PUT', contentType: 'image/jpeg', storageClass: 'IA', meta: [['author', 'li.wei']], expiresSecs: 120 },
  );
  await screenshot(page, 'share-upload');
  assert.deepEqual(errors, []);
});

test('share: a public-read object offers its permanent URL; STS validity is clipped', { timeout: 15_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'some' }, storage: { 'osslite.lastProfile.v1': 'Staging (STS)' } });
  // The STS profile has a preset path: it opens straight into media-assets/photos/.
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').waitFor();
  assert.deepEqual(await page.locator('[data-testid="crumb"]').allInnerTexts(), ['photos']);
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').dblclick();
  await byTestId(page, 'share-dialog').waitFor();
  await byTestId(page, 'validity-preset-32400').click();
  await byTestId(page, 'share-clipped').waitFor();
  assert.match(await byTestId(page, 'share-clipped').innerText(), /STS token expires first/);
  await screenshot(page, 'share-sts');
  await byTestId(page, 'share-close').click();

  await byTestId(page, 'crumb-bucket').click();
  await page.locator('[data-testid="object-row"][data-key="banner.png"]').dblclick();
  await byTestId(page, 'share-public').waitFor();
  await byTestId(page, 'share-url').waitFor();
  assert.equal(await byTestId(page, 'share-public-url').inputValue(), 'https://media-assets.oss-cn-shanghai.aliyuncs.com/banner.png');
  assert.match(await byTestId(page, 'share-public').innerText(), /permanent/);
  await screenshot(page, 'share-public');
  assert.deepEqual(errors, []);
});

test('export URL list: preview count, CSV with progress, copy all URLs', { timeout: 20_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await openFolder(page, 'photos');
  await page.locator('[data-testid="object-row"][data-key="photos/2023/"]').click();
  await byTestId(page, 'export').click();
  const dialog = byTestId(page, 'export-dialog');
  await dialog.waitFor();
  // The selected folder, with subfolders: 40 photos and one raw file.
  await dialog.getByRole('button', { name: 'Selected folder' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="export-count"]')?.textContent === '41 objects match');
  await byTestId(page, 'export-include').fill('*.jpg');
  await page.waitForFunction(() => document.querySelector('[data-testid="export-count"]')?.textContent === '40 objects match');
  await byTestId(page, 'export-recursive').uncheck();
  await byTestId(page, 'export-include').fill('trip-00?.jpg');
  await page.waitForFunction(() => document.querySelector('[data-testid="export-count"]')?.textContent === '9 objects match');
  await byTestId(page, 'export-bom').check();
  await screenshot(page, 'export');

  await byTestId(page, 'export-csv').click();
  await byTestId(page, 'export-done').waitFor();
  assert.match(await byTestId(page, 'export-done').innerText(), /Saved 9 rows to \/home\/user\/Downloads\/media-assets-urls-excel\.csv/);
  const call = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'export_csv').at(-1).args);
  assert.deepEqual(call.spec, { bucket: 'media-assets', prefix: 'photos/2023/', recursive: false, include: ['trip-00?.jpg'], exclude: [] });
  // Formulas are neutralised unless the user asks for raw values.
  assert.deepEqual(call.options, { expiresSecs: 3600, https: true, excelBom: true, domain: { kind: 'default' }, rawValues: false });
  await screenshot(page, 'export-done');
  await byTestId(page, 'export-protect-formulas').uncheck();
  await byTestId(page, 'export-csv').click();
  await page.waitForFunction(() => window.__FAKE__.calls.filter((c) => c.cmd === 'export_csv').length === 2);
  const raw = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'export_csv').at(-1).args);
  assert.equal(raw.options.rawValues, true);
  await byTestId(page, 'export-done').waitFor();
  await byTestId(page, 'export-protect-formulas').check();

  await byTestId(page, 'export-copy').click();
  await byTestId(page, 'toast').filter({ hasText: '9 URLs copied to the clipboard.' }).waitFor();
  const { clipboard } = await backendState(page);
  assert.equal(clipboard.at(-1).split('\n').length, 9);

  // The whole current folder with subfolders: progress, then Cancel.
  await dialog.getByRole('button', { name: 'Current folder' }).click();
  await byTestId(page, 'export-recursive').check();
  await byTestId(page, 'export-include').fill('');
  await page.waitForFunction(() => document.querySelector('[data-testid="export-count"]')?.textContent === '100,042 objects match');
  await byTestId(page, 'export-csv').click();
  await byTestId(page, 'export-choosing').waitFor();
  await byTestId(page, 'export-progress').waitFor();
  await page.waitForFunction(() => /[1-9][\d,]* \/ 100,042/.test(document.querySelector('[data-testid="export-progress"]')?.textContent ?? ''));
  await screenshot(page, 'export-progress');
  await byTestId(page, 'export-cancel').click();
  await byTestId(page, 'toast').filter({ hasText: 'Export cancelled.' }).waitFor();
  await byTestId(page, 'export-progress').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('export a selection of a file and a folder, signed for a custom domain', { timeout: 20_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await openFolder(page, 'photos');
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').click();
  await page.locator('[data-testid="object-row"][data-key="photos/2023/"]').click({ modifiers: ['Control'] });
  await byTestId(page, 'export').click();
  await byTestId(page, 'export-dialog').waitFor();
  assert.equal(await byTestId(page, 'export-scope-selection').isChecked(), true);
  assert.equal(await byTestId(page, 'export-selection-folders').innerText(), 'Includes 1 folder, with everything in it.');
  // cover.jpg and the 41 objects under 2023/ (its raw/ subfolder too).
  await page.waitForFunction(() => document.querySelector('[data-testid="export-count"]')?.textContent === '42 objects match');

  await byTestId(page, 'export-domain').selectOption('cname');
  assert.equal(await byTestId(page, 'export-copy').isDisabled(), true, 'a custom domain without a host is accepted');
  await byTestId(page, 'export-cname-host').fill('https://cdn.example.com/');
  await byTestId(page, 'export-copy').click();
  await byTestId(page, 'toast').filter({ hasText: '42 URLs copied to the clipboard.' }).waitFor();
  const { clipboard } = await backendState(page);
  const urls = clipboard.at(-1).split('\n');
  assert.equal(urls.length, 42);
  assert.ok(urls.every((url) => url.startsWith('https://cdn.example.com/photos/')), urls[0]);
  const call = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'export_copy_urls').at(-1).args);
  assert.deepEqual(call.spec.folders, ['photos/2023/']);
  assert.deepEqual(call.options.domain, { kind: 'cname', host: 'cdn.example.com' });
  await screenshot(page, 'export-selection-cname');
  assert.deepEqual(errors, []);
});

test('Chinese UI: switch in settings, and follow navigator.language', { timeout: 15_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await openFolder(page, 'photos', '2024');
  await byTestId(page, 'open-settings').click();
  await byTestId(page, 'settings-language').selectOption('zh');
  await page.locator('html[lang="zh-CN"]').waitFor();
  assert.equal(await byTestId(page, 'settings-dialog').locator('h2').innerText(), '设置');
  await byTestId(page, 'settings-done').click();
  assert.equal(await byTestId(page, 'sort-size').innerText(), '大小');
  assert.equal(await statusCount(page), '已加载 1,000 项');
  await page.locator('[data-testid="object-row"]').nth(2).click();
  await byTestId(page, 'share').click();
  await byTestId(page, 'validity-custom-unit').selectOption('seconds');
  await byTestId(page, 'validity-custom-amount').fill('59');
  assert.equal(await byTestId(page, 'validity-error-text').innerText(), '有效期必须介于 60 秒与 9 小时（32400 秒）之间；59 秒太短。');
  await byTestId(page, 'validity-custom-amount').fill('120');
  await byTestId(page, 'share-url').waitFor();
  await screenshot(page, 'zh-share');
  await byTestId(page, 'share-close').click();
  await screenshot(page, 'zh');

  // A Chinese system language picks Chinese on first start.
  const zh = await h.open({ config: { profiles: 'none' }, locale: 'zh-CN' });
  await byTestId(zh.page, 'profiles-empty').waitFor();
  assert.equal(await byTestId(zh.page, 'app-tagline').innerText(), '用预签名链接快速分享阿里云 OSS 对象。');
  assert.equal(await byTestId(zh.page, 'app-title').innerText(), 'OSS Lite');
  await screenshot(zh.page, 'zh-start');
  assert.deepEqual([...errors, ...zh.errors], []);
});

test('create a folder, delete with confirmation and progress', { timeout: 15_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await openFolder(page, 'docs');
  await byTestId(page, 'new-folder').click();
  await byTestId(page, 'new-folder-name').fill('a/b');
  await byTestId(page, 'new-folder-create').click();
  await byTestId(page, 'new-folder-dialog').getByText('cannot contain “/”').waitFor();
  await byTestId(page, 'new-folder-name').fill('drafts');
  await byTestId(page, 'new-folder-create').click();
  await page.locator('[data-testid="object-row"][data-key="docs/drafts/"]').waitFor();

  await page.locator('[data-testid="object-row"][data-key="docs/drafts/"]').click();
  await page.locator('[data-testid="object-row"][data-key="docs/notes.md"]').click({ modifiers: ['Control'] });
  await page.keyboard.press('Delete');
  const dialog = byTestId(page, 'delete-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /deleted with everything inside it/);
  await screenshot(page, 'delete');
  await byTestId(page, 'delete-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('[data-testid="object-row"][data-key="docs/notes.md"]').waitFor({ state: 'detached' });
  // The listing reloads after the delete: wait for it rather than catch it half-way.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="object-row"]').length === 2);
  assert.equal(await page.locator('[data-testid="object-row"]').count(), 2);
  assert.deepEqual(errors, []);
});

test('local sandbox and import from the environment on the first screen', { timeout: 15_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await byTestId(page, 'profile-import-env').click();
  await byTestId(page, 'import-env').waitFor();
  assert.equal(await byTestId(page, 'env-name').inputValue(), 'Environment');
  await byTestId(page, 'env-import').click();
  await byTestId(page, 'bucket-table').waitFor();
  assert.equal(await byTestId(page, 'profile-switcher').inputValue(), 'Environment');

  await byTestId(page, 'manage-profiles').click();
  await byTestId(page, 'profile-sandbox').click();
  await byTestId(page, 'bucket-table').waitFor();
  assert.equal(await byTestId(page, 'profile-switcher').inputValue(), 'Local sandbox');
  assert.deepEqual(await byTestId(page, 'profile-switcher').locator('option').allInnerTexts(), ['Environment', 'Local sandbox']);
  assert.deepEqual(errors, []);
});

test('switch profiles from the top bar without restarting', { timeout: 15_000 }, async () => {
  const { page, errors } = await openBrowsing();
  await byTestId(page, 'profile-switcher').selectOption('Staging (STS)');
  await page.locator('[data-testid="object-row"][data-key="photos/cover.jpg"]').waitFor();
  assert.equal(await byTestId(page, 'profile-switcher').inputValue(), 'Staging (STS)');
  await byTestId(page, 'manage-profiles').click();
  await page.locator('[data-testid="profile-item"][data-name="Staging (STS)"] .badge', { hasText: 'Active' }).waitFor();
  await byTestId(page, 'back-to-browser').click();
  await byTestId(page, 'object-list').waitFor();
  assert.deepEqual(errors, []);
});

test('risky endpoints are shown with a warning; moving a profile asks for the secret again', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await byTestId(page, 'profile-add').click();
  const form = byTestId(page, 'profile-form');
  await byTestId(page, 'profile-name').fill('Lab');
  await byTestId(page, 'profile-endpoint-custom').click();
  await byTestId(page, 'profile-custom-url').fill('http://192.168.1.5:9000');
  assert.deepEqual(await byTestId(page, 'profile-endpoint-warning').allInnerTexts(), [
    'Plain HTTP: requests and their signatures travel unencrypted.',
    'A private network address: check that this endpoint is yours.',
  ]);
  await byTestId(page, 'profile-akid').fill('LTAI5tLabKeyId77');
  await byTestId(page, 'profile-secret').fill(SECRET);
  await saveUntested(page);
  await form.waitFor({ state: 'detached' });
  const item = page.locator('[data-testid="profile-item"][data-name="Lab"]');
  await item.locator('[data-testid="profile-item-warning"]').nth(1).waitFor();
  assert.equal(await item.locator('[data-testid="profile-item-warning"]').count(), 2);

  await item.locator('[data-testid="profile-edit"]').click();
  await form.waitFor();
  assert.equal(await byTestId(page, 'profile-secret-again').count(), 0);
  await byTestId(page, 'profile-endpoint-public').click();
  await byTestId(page, 'profile-secret-again').waitFor();
  assert.deepEqual(await byTestId(page, 'profile-endpoint-warning').allInnerTexts(), [
    'Plain HTTP: requests and their signatures travel unencrypted.',
  ]);
  await byTestId(page, 'profile-https').check();
  assert.equal(await byTestId(page, 'profile-endpoint-warning').count(), 0);
  const before = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'profile_save').length);
  await byTestId(page, 'profile-save').click();
  await page.locator('[data-testid="profile-secret"][aria-invalid="true"]').waitFor();
  const after = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'profile_save').length);
  assert.equal(after, before, 'the form was sent without the secret');
  await byTestId(page, 'profile-akid').fill('LTAI5tLabKeyId77');
  await byTestId(page, 'profile-secret').fill(SECRET);
  await saveUntested(page);
  await form.waitFor({ state: 'detached' });
  await item.locator('[data-testid="profile-item-warning"]').first().waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

function formatSize(bytes) {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (unit < units.length - 1 && Number(value.toFixed(value < 100 ? 1 : 0)) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 100 ? 1 : 0)} ${units[unit]}`;
}

