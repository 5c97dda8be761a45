// Buckets in every region: the new-bucket dialog offers the regions of the profile form, starts
// on the profile's, and the bucket is created in the one chosen (it shows in the table's region
// column). Fake state: flows/mock/fake-manage.ts keeps the region asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTestId, screenshot, startForFile } from './harness.mjs';

const h = startForFile();

const createCalls = (page) =>
  page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'bucket_create').map((c) => c.args.bucket));

test('a new bucket goes to the region chosen in the drop-down, the profile region by default', { timeout: 30_000 }, async () => {
  const { page, errors } = await h.openBuckets({ config: { bigCount: 10 } });

  await byTestId(page, 'bucket-create').click();
  const region = byTestId(page, 'bucket-create-region');
  assert.equal(await region.inputValue(), 'cn-hangzhou', "the profile's region is chosen at first");
  assert.match(await region.locator('option[value="cn-hangzhou"]').innerText(), /this profile/);
  assert.ok((await region.locator('option').count()) > 20, 'every region of the profile form is offered');
  await byTestId(page, 'bucket-create-name').fill('far-bucket-2026');
  await region.selectOption('cn-beijing');
  await screenshot(page, 'regions-create-bucket');
  await byTestId(page, 'bucket-create-confirm').click();
  const far = page.locator('[data-testid="bucket-row"][data-name="far-bucket-2026"]');
  await far.waitFor();
  assert.match(await far.innerText(), /cn-beijing/);

  await byTestId(page, 'bucket-create').click();
  await byTestId(page, 'bucket-create-name').fill('near-bucket-2026');
  await byTestId(page, 'bucket-create-confirm').click();
  const near = page.locator('[data-testid="bucket-row"][data-name="near-bucket-2026"]');
  await near.waitFor();
  assert.match(await near.innerText(), /cn-hangzhou/);

  const calls = await createCalls(page);
  assert.equal(calls.find((b) => b.name === 'far-bucket-2026')?.region, 'cn-beijing');
  assert.equal(calls.find((b) => b.name === 'near-bucket-2026')?.region, undefined, "the profile's region is the default, not sent");
  assert.deepEqual(errors, []);
});
