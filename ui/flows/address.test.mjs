// Pasted addresses pick the profile (issue 15): an OSS URL or presigned URL whose host is another
// saved profile's endpoint or custom domain opens that profile and lands on the object, selected
// and scrolled into view; a signature is kept nowhere; an unknown host is named with what to do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTestId, objectRow, screenshot, startForFile } from './harness.mjs';

const h = startForFile();

const address = (page) => byTestId(page, 'address-input').inputValue();
const activeProfile = (page) => byTestId(page, 'profile-switcher').inputValue();

async function goTo(page, text) {
  await byTestId(page, 'address-input').fill(text);
  await byTestId(page, 'address-input').press('Enter');
}

async function selectedInView(page, key) {
  const row = objectRow(page, key);
  await page.waitForFunction((k) => document.querySelector(`[data-testid="object-row"][data-key="${k}"]`)?.getAttribute('aria-selected') === 'true', key);
  const [rowBox, listBox] = [await row.boundingBox(), await page.locator('[role="grid"]').first().boundingBox()];
  return rowBox !== null && listBox !== null && rowBox.y >= listBox.y && rowBox.y + rowBox.height <= listBox.y + listBox.height + 1;
}

test('a presigned URL of another profile opens it on the object, and keeps no signature', { timeout: 30_000 }, async () => {
  const { page, errors } = await h.openBuckets({ config: { bigCount: 2500 } });
  assert.equal(await activeProfile(page), 'Production');
  const key = 'photos/2024/IMG_002000.jpg';
  await goTo(page, `https://media-assets.oss-cn-shanghai.aliyuncs.com/${key}?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-expires=600&x-oss-signature=5ec7e7519`);
  await objectRow(page, key).waitFor({ timeout: 10_000 });
  assert.equal(await activeProfile(page), 'Staging (STS)');
  assert.equal(await address(page), 'oss://media-assets/photos/2024/');
  assert.ok(await selectedInView(page, key), 'the object is selected and scrolled into view (third page of the listing)');
  await screenshot(page, 'address-other-profile');

  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes('5ec7e7519') && !stored.includes('x-oss-signature'), stored);
  const recent = await page.evaluate(() => JSON.parse(localStorage.getItem('osslite.bookmarks.v1.Staging (STS)')).recent);
  assert.deepEqual(recent, [{ bucket: 'media-assets', prefix: 'photos/2024/' }], 'the place is a recent location of that profile');
  assert.deepEqual(errors, []);
});

test('a custom-domain URL opens the profile bound to that domain, in its bucket', { timeout: 30_000 }, async () => {
  const { page, errors } = await h.openBuckets({ config: { bigCount: 50, customDomainProfile: true } });
  await goTo(page, 'https://cdn.example.com/style.css');
  await objectRow(page, 'style.css').waitFor();
  assert.equal(await activeProfile(page), 'Public site');
  assert.equal(await address(page), 'oss://public-site/');
  assert.ok(await selectedInView(page, 'style.css'));

  // An oss:// address stays in the open profile.
  await goTo(page, 'oss://media-assets/docs/notes.md');
  await objectRow(page, 'docs/notes.md').waitFor();
  assert.equal(await activeProfile(page), 'Public site');
  assert.ok(await selectedInView(page, 'docs/notes.md'));
  assert.deepEqual(errors, []);
});

test('an unknown host is named, with what to do, and the list stays', { timeout: 30_000 }, async () => {
  const { page, errors } = await h.openBuckets({ config: { bigCount: 50 } });
  await goTo(page, 'https://files.unknown.example.org/a/b.txt?x-oss-signature=abc');
  const problem = byTestId(page, 'address-problem');
  assert.equal(
    await problem.innerText(),
    'No saved profile uses files.unknown.example.org: add one with that endpoint or custom domain, then paste the address again',
  );
  assert.equal(await activeProfile(page), 'Production');
  await byTestId(page, 'bucket-table').waitFor();
  await screenshot(page, 'address-unknown-host');
  assert.deepEqual(errors, []);
});
