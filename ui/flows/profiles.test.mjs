// Profile comfort flows against the fake backend: test connection before saving, the untested
// warning, a new secret keeping the AccessKey ID, path style for IP endpoints, the region
// drop-down, readable network errors, "Edit profile" on a refused key, and the language on the
// start screen. Run with `npm run test:flows`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byTestId, screenshot, start } from './harness.mjs';

const SECRET = 'Flow-Secret-Tried-Not-Stored-71';

let h;
before(async () => {
  h = await start();
}, { timeout: 30_000 });
after(async () => {
  await h?.stop();
});

const calls = (page, cmd) =>
  page.evaluate((cmd) => window.__FAKE__.calls.filter((c) => c.cmd === cmd).map((c) => c.args), cmd);

async function openForm(page, { name = 'Lab', url } = {}) {
  await byTestId(page, 'profile-add').first().click();
  await byTestId(page, 'profile-form').waitFor();
  await byTestId(page, 'profile-name').fill(name);
  if (url !== undefined) {
    await byTestId(page, 'profile-endpoint-custom').click();
    await byTestId(page, 'profile-custom-url').fill(url);
  }
}

test('test connection: a refused key offers "Edit profile", the right one passes, and then saving does not warn', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await openForm(page);
  await byTestId(page, 'profile-akid').fill('LTAI5tLabKeyId77');
  await byTestId(page, 'profile-secret').fill('wrong');
  await byTestId(page, 'profile-test-connection').click();
  const refused = page.locator('[data-testid="profile-form"] [data-testid="error-note"][data-kind="unauthenticated"]');
  await refused.waitFor();
  assert.equal(await refused.locator('[data-testid="error-oss-code"]').innerText(), 'SignatureDoesNotMatch');
  assert.equal(await refused.locator('[data-testid="error-edit-profile"]').innerText(), 'Edit profile');
  assert.equal(await refused.locator('[data-testid="error-retry"]').count(), 1);
  await screenshot(page, 'profile-test-refused');
  await refused.locator('[data-testid="error-edit-profile"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'profile-secret');

  await byTestId(page, 'profile-secret').fill(SECRET);
  await byTestId(page, 'profile-test-connection').click();
  assert.match(await byTestId(page, 'profile-test-ok').innerText(), /^Connected: \d+ buckets\./);
  assert.equal(await refused.count(), 0, 'the refusal stays after a passing test');
  // The secret went in the test request only, and the call log keeps it redacted.
  const tried = await calls(page, 'profile_test_unsaved');
  assert.equal(tried.length, 2);
  assert.equal(tried[1].input.keys, '<redacted>');
  assert.equal(await page.evaluate(() => window.__FAKE__.handle('profile_list')).then((l) => l.length), 0, 'a test saved the profile');

  await byTestId(page, 'profile-save').click();
  await byTestId(page, 'profile-form').waitFor({ state: 'detached' });
  assert.ok(!(await page.content()).includes(SECRET), 'the secret is in the DOM');
  assert.deepEqual(errors, []);
});

test('saving an untested or changed-since-tested connection warns first', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await openForm(page);
  await byTestId(page, 'profile-akid').fill('LTAI5tLabKeyId77');
  await byTestId(page, 'profile-secret').fill(SECRET);
  await byTestId(page, 'profile-test-connection').click();
  await byTestId(page, 'profile-test-ok').waitFor();
  await byTestId(page, 'profile-region').fill('cn-beijing');
  await byTestId(page, 'profile-save').click();
  const warning = byTestId(page, 'profile-untested');
  assert.match(await warning.innerText(), /not been tested/);
  assert.equal(await byTestId(page, 'profile-save').innerText(), 'Save anyway');
  assert.equal((await calls(page, 'profile_save')).length, 0, 'the first click saved');
  await byTestId(page, 'profile-save').click();
  await byTestId(page, 'profile-form').waitFor({ state: 'detached' });
  assert.equal((await calls(page, 'profile_save')).length, 1);
  assert.deepEqual(errors, []);
});

test('a new secret alone keeps the stored AccessKey ID', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'some' } });
  const item = page.locator('[data-testid="profile-item"][data-name="Production"]');
  const masked = await item.locator('[data-testid="profile-item-key"]').innerText();
  await item.locator('[data-testid="profile-edit"]').click();
  await byTestId(page, 'profile-secret').fill(SECRET);
  await byTestId(page, 'profile-test-connection').click();
  await byTestId(page, 'profile-test-ok').waitFor();
  await byTestId(page, 'profile-save').click();
  await byTestId(page, 'profile-form').waitFor({ state: 'detached' });
  const saved = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'profile_save').at(-1));
  assert.equal(saved.args.input.keys, '<redacted>');
  const sent = await page.evaluate(() => window.__FAKE__.handle('profile_list'));
  assert.equal(sent.find((p) => p.name === 'Production').accessKeyIdMasked, masked);
  assert.equal(await item.locator('[data-testid="profile-item-key"]').innerText(), masked);
  assert.deepEqual(errors, []);
});

test('an IP or localhost endpoint switches to path style, with a note', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await openForm(page, { url: 'http://127.0.0.1:18765' });
  await byTestId(page, 'profile-path-forced').waitFor();
  assert.equal(await byTestId(page, 'profile-addressing-path').getAttribute('aria-pressed'), 'true');
  assert.equal(await byTestId(page, 'profile-addressing-virtual').isDisabled(), true);
  assert.equal(await byTestId(page, 'profile-endpoint-preview').innerText(), 'http://127.0.0.1:18765/bucket/');
  await byTestId(page, 'profile-custom-url').fill('http://localhost:9000');
  assert.equal(await byTestId(page, 'profile-endpoint-preview').innerText(), 'http://localhost:9000/bucket/');
  await byTestId(page, 'profile-custom-url').fill('https://oss.example.com');
  await byTestId(page, 'profile-path-forced').waitFor({ state: 'detached' });
  assert.equal(await byTestId(page, 'profile-addressing-virtual').getAttribute('aria-pressed'), 'true');
  assert.equal(await byTestId(page, 'profile-endpoint-preview').innerText(), 'https://bucket.oss.example.com/');
  assert.deepEqual(errors, []);
});

test('the region drop-down fills the region and an untyped endpoint; other regions go in the free field', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await openForm(page);
  await byTestId(page, 'profile-region-select').selectOption('eu-central-1');
  assert.equal(await byTestId(page, 'profile-region').inputValue(), 'eu-central-1');
  assert.equal(await byTestId(page, 'profile-endpoint-preview').innerText(), 'https://bucket.oss-eu-central-1.aliyuncs.com/');
  await byTestId(page, 'profile-endpoint-custom').click();
  await byTestId(page, 'profile-region-select').selectOption('ap-southeast-1');
  assert.equal(await byTestId(page, 'profile-custom-url').inputValue(), 'oss-ap-southeast-1.aliyuncs.com');
  await byTestId(page, 'profile-custom-url').fill('https://oss.example.internal:9000');
  await byTestId(page, 'profile-region-select').selectOption('us-west-1');
  assert.equal(await byTestId(page, 'profile-custom-url').inputValue(), 'https://oss.example.internal:9000', 'a typed endpoint was replaced');
  await byTestId(page, 'profile-region').fill('cn-example-9');
  assert.equal(await byTestId(page, 'profile-region-select').inputValue(), '', 'an unlisted region shows "Other region…"');
  await screenshot(page, 'profile-regions');
  assert.deepEqual(errors, []);
});

test('an unreachable endpoint reads "Can\'t reach …" with the raw error behind Details', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await openForm(page, { url: 'http://127.0.0.1:1' });
  await byTestId(page, 'profile-akid').fill('LTAI5tLabKeyId77');
  await byTestId(page, 'profile-secret').fill(SECRET);
  await byTestId(page, 'profile-test-connection').click();
  const note = page.locator('[data-testid="error-note"][data-kind="network"]');
  await note.waitFor();
  assert.equal(await note.locator('[data-testid="error-message"]').innerText(), "Can't reach 127.0.0.1:1 (connection refused). Is the endpoint right?");
  const detail = note.locator('[data-testid="error-detail"]');
  assert.equal(await detail.locator('code').isVisible(), false, 'the raw error shows before Details is opened');
  assert.equal(await note.locator('[data-testid="error-edit-profile"]').count(), 0, 'not a key problem');
  await detail.locator('summary').click();
  assert.match(await detail.locator('code').innerText(), /tcp connect error: Connection refused/);
  assert.deepEqual(errors, []);
});

test('a saved profile whose key is refused offers "Edit profile" beside Retry', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'none' } });
  await openForm(page);
  await byTestId(page, 'profile-akid').fill('LTAI5tLabKeyId77');
  await byTestId(page, 'profile-secret').fill('wrong');
  await byTestId(page, 'profile-save').click();
  await byTestId(page, 'profile-untested').waitFor();
  await byTestId(page, 'profile-save').click();
  const item = page.locator('[data-testid="profile-item"][data-name="Lab"]');
  await item.locator('[data-testid="profile-test"]').click();
  await item.locator('[data-testid="error-note"][data-kind="unauthenticated"]').waitFor();
  assert.equal(await item.locator('[data-testid="error-retry"]').count(), 1);
  await item.locator('[data-testid="error-edit-profile"]').click();
  await byTestId(page, 'profile-form').waitFor();
  assert.equal(await byTestId(page, 'profile-name').inputValue(), 'Lab');
  await page.keyboard.press('Escape');
  await byTestId(page, 'profile-form').waitFor({ state: 'detached' });

  // Opened anyway: the bucket list's refusal leads back to this profile's form.
  await item.locator('[data-testid="profile-open"]').click();
  // The profile list's own note is gone with the profile screen: the one left is the bucket list's.
  await byTestId(page, 'profiles-card').waitFor({ state: 'detached' });
  const refused = page.locator('[data-testid="error-note"][data-kind="unauthenticated"]');
  await refused.waitFor();
  assert.equal(await refused.locator('[data-testid="error-retry"]').count(), 1);
  await refused.locator('[data-testid="error-edit-profile"]').click();
  await byTestId(page, 'profile-form').waitFor();
  assert.equal(await byTestId(page, 'profile-name').inputValue(), 'Lab');
  assert.deepEqual(errors, []);
});

test('the language is switched from the start screen, and storage classes are translated', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.open({ config: { profiles: 'some' } });
  await byTestId(page, 'start-language').selectOption('zh');
  assert.equal(await byTestId(page, 'app-tagline').innerText(), '用预签名链接快速分享阿里云 OSS 对象。');
  assert.equal(await byTestId(page, 'profile-test').first().innerText(), '测试');
  await screenshot(page, 'start-language-zh');
  await page.locator('[data-testid="profile-item"][data-name="Production"] [data-testid="profile-open"]').click();
  await page.locator('[data-testid="bucket-row"][data-name="media-assets"] button').click();
  const classes = await page.locator('[data-testid="object-row"] .cell.class').allInnerTexts();
  assert.ok(classes.includes('标准存储'), `no translated class in ${JSON.stringify(classes)}`);
  assert.ok(!classes.includes('Standard'), `an untranslated class in ${JSON.stringify(classes)}`);
  assert.deepEqual(errors, []);
});
