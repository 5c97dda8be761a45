// Settings' "Open log folder" and "Copy diagnostics" against the fake backend.
// Run with `npm run test:flows`; the screenshot goes to target/screenshots/ui-settings-logs.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backendState, byTestId, screenshot, start } from './harness.mjs';

let h;
before(async () => {
  h = await start();
}, { timeout: 30_000 });
after(async () => {
  await h?.stop();
});

test('settings open the log folder and copy diagnostics without keys', { timeout: 15_000 }, async () => {
  const { page, errors } = await h.openBuckets();
  await byTestId(page, 'open-settings').click();
  await byTestId(page, 'settings-dialog').waitFor();

  await byTestId(page, 'settings-open-logs').click();
  await byTestId(page, 'toast').filter({ hasText: 'Opened the log folder.' }).waitFor();
  const opens = await page.evaluate(() => window.__FAKE__.calls.filter((c) => c.cmd === 'log_folder_open'));
  assert.equal(opens.length, 1);
  assert.deepEqual(opens[0].args, {}, 'the web view names no folder');

  await byTestId(page, 'settings-copy-diagnostics').click();
  await byTestId(page, 'toast').filter({ hasText: 'Diagnostics copied to the clipboard.' }).waitFor();
  const { clipboard } = await backendState(page);
  const text = clipboard.at(-1);
  assert.match(text, /^OSS Lite 0\.1\.0$/m);
  assert.match(text, /^- Production: region cn-/m);
  assert.doesNotMatch(text, /secret/i);
  assert.doesNotMatch(text, /LTAI/);
  await screenshot(page, 'settings-logs');
  assert.deepEqual(errors, []);
});
