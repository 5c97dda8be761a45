// End-to-end test of buckets in every region in the real OSS Lite window, against the local
// OSS-compatible sandbox with a bucket in another region than the profile's
// (`osslite-cli sandbox --region cn-hangzhou --bucket-region far-e2e=cn-beijing`):
//   → the bucket table shows far-e2e in cn-beijing; it opens, its object is listed and previewed
//     (every request sent for cn-beijing, as OSS wants)
//   → a new bucket created with the Region drop-down set to cn-shanghai shows in cn-shanghai.
//
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sandboxAppSession } from './support.mjs';

const NEAR = 'near-e2e';
const FAR = 'far-e2e';
const REGION = 'cn-hangzhou';
const FAR_REGION = 'cn-beijing';
const PROFILE = 'E2E regions';
const KEYS = { id: 'LTAI5tE2eRegionsKey1', secret: `e2e-${crypto.randomBytes(12).toString('hex')}` };

let browser;
const session = sandboxAppSession(
  {
    name: 'regions',
    buckets: [NEAR],
    region: REGION,
    keys: KEYS,
    sandboxArgs: ['--bucket-region', `${FAR}=${FAR_REGION}`],
    seed: [{ bucket: FAR, region: FAR_REGION, key: 'notes/hello.txt', body: Buffer.from('hello from beijing\n') }],
    profile: PROFILE,
  },
  { started: (setup) => ({ browser } = setup) },
);
const { byTestId, screenshot, objectRow, waitForText, step } = session;
const bucketRow = (name) => browser.$(`[data-testid="bucket-row"][data-name="${name}"]`);

step('a bucket of another region: listed with its region, opened, its file previewed', 60_000, async () => {
  const item = await browser.$(`[data-testid="profile-item"][data-name="${PROFILE}"]`);
  await item.waitForDisplayed({ timeout: 20_000 });
  await (await item.$('[data-testid="profile-open"]')).click();
  const far = await bucketRow(FAR);
  await far.waitForDisplayed({ timeout: 15_000 });
  assert.match(await far.getText(), new RegExp(FAR_REGION));
  assert.match(await (await bucketRow(NEAR)).getText(), new RegExp(REGION));
  await (await far.$('button')).click();
  const folder = await objectRow('notes/');
  await folder.waitForDisplayed({ timeout: 10_000 });
  await folder.doubleClick();
  const file = await objectRow('notes/hello.txt');
  await file.waitForDisplayed({ timeout: 10_000 });
  await file.click();
  await waitForText('preview-text', /hello from beijing/);
  await screenshot('e2e-regions-far-bucket.png');
});

step('a new bucket in the region chosen in the drop-down', 45_000, async () => {
  await (await byTestId('crumb-buckets')).click();
  await (await byTestId('bucket-create')).click();
  const region = await byTestId('bucket-create-region');
  await region.waitForDisplayed({ timeout: 10_000 });
  assert.equal(await region.getValue(), REGION);
  await (await byTestId('bucket-create-name')).setValue('made-in-shanghai');
  await region.selectByAttribute('value', 'cn-shanghai');
  await (await byTestId('bucket-create-confirm')).click();
  const created = await bucketRow('made-in-shanghai');
  await created.waitForDisplayed({ timeout: 10_000 });
  assert.match(await created.getText(), /cn-shanghai/);
});
