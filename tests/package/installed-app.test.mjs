// The INSTALLED app (OSSLITE_APP=/usr/bin/osslite, from the .deb) in the real window: start screen
// → Local sandbox → share README.txt → curl fetches exactly that object through the shown URL.
// Run by install-test.sh inside tests/e2e/desktop-session.sh; shares tests/e2e/support.mjs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP, assertPrerequisites, byTestId, run, screenshot, startApp } from '../e2e/support.mjs';

let app;

before(
  async () => {
    assertPrerequisites();
    assert.ok(APP.startsWith('/usr/bin/'), `this test runs the installed app, not ${APP}`);
    app = await startApp();
  },
  { timeout: 40_000 },
);

after(() => app?.stop(), { timeout: 20_000 });

test('installed app: Local sandbox → share → the link downloads the object', { timeout: 90_000 }, async () => {
  const { browser } = app;
  try {
    const title = await byTestId(browser, 'app-title');
    await title.waitForDisplayed({ timeout: 20_000 });
    assert.equal(await title.getText(), 'OSS Lite');

    await (await byTestId(browser, 'profile-sandbox')).click();
    const bucket = await browser.$('[data-testid="bucket-row"][data-name="osslite-demo"] button');
    await bucket.waitForDisplayed({ timeout: 30_000 });
    await bucket.click();
    const readme = await browser.$('[data-testid="object-row"][data-key="README.txt"]');
    await readme.waitForDisplayed({ timeout: 15_000 });
    await readme.click();
    await (await byTestId(browser, 'share')).click();
    const shareUrl = await byTestId(browser, 'share-url');
    await shareUrl.waitForExist({ timeout: 10_000 });
    const url = await shareUrl.getValue();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/osslite-demo\/README\.txt\?/);
    await screenshot(browser, 'installed-share.png');

    const { stdout } = await run('curl', ['--silent', '--show-error', '--fail', '--max-time', '15', url], { timeout: 20_000 });
    assert.match(stdout.toString(), /^Welcome to OSS Lite's local sandbox\./);
  } catch (error) {
    await screenshot(browser, 'installed-failure.png').catch(() => {});
    console.error(`[e2e] tauri-driver output:\n${app.log()}`);
    throw error;
  }
});
