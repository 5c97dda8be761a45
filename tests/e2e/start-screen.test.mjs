// End-to-end test of the real OSS Lite window: tauri-driver → WebKitWebDriver → the app.
// Needs an X display and a session bus: run it through ./run.sh (Xvfb + dbus-run-session).
// Environment: see support.mjs (TAURI_DRIVER, OSSLITE_APP).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, assertPrerequisites, byTestId as byTestIdIn, screenshot as screenshotOf, startApp, withTimeout } from './support.mjs';

/** The `version` of `[workspace.package]` in the root Cargo.toml. */
function workspaceVersion() {
  const toml = fs.readFileSync(path.join(REPO, 'Cargo.toml'), 'utf8');
  let section = '';
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const version = /^version\s*=\s*"([^"]+)"$/.exec(line);
    if (section === 'workspace.package' && version) return version[1];
  }
  throw new Error('Cargo.toml has no version in [workspace.package]');
}

let app; // { browser, log(), stop() } from support.mjs
let browser; // the WebdriverIO session

before(
  async () => {
    assertPrerequisites();
    app = await startApp();
    browser = app.browser;
  },
  { timeout: 40_000 },
);

after(
  async () => {
    await app?.stop();
  },
  { timeout: 20_000 },
);

const byTestId = (id) => byTestIdIn(browser, id);
const screenshot = (name) => screenshotOf(browser, name);

test('start screen: title, version, validity picker', { timeout: 40_000 }, async () => {
  try {
    const title = await byTestId('app-title');
    await title.waitUntil(async () => (await title.getText()) === 'OSS Lite', {
      timeout: 15_000,
      timeoutMsg: 'the start screen did not show "OSS Lite"',
    });
    assert.equal(await browser.getTitle(), 'OSS Lite');

    // Footer version comes from the Rust side (app_info) and must match Cargo.toml.
    const version = await byTestId('app-version');
    await version.waitUntil(async () => /v\d/.test(await version.getText()), {
      timeout: 10_000,
      timeoutMsg: 'the footer never showed a version',
    });
    assert.equal(await version.getText(), `OSS Lite v${workspaceVersion()}`);
    assert.equal(await (await byTestId('error-banner')).isExisting(), false, 'an error banner is shown');

    // Fresh data home: the default validity is the 1 hour preset.
    assert.equal(await (await byTestId('validity-preset-3600')).getAttribute('aria-pressed'), 'true');
    await screenshot('start-screen-initial.png');

    // 59 seconds is refused with a message naming the 60 s minimum.
    await (await byTestId('validity-custom-unit')).selectByAttribute('value', 'seconds');
    await (await byTestId('validity-custom-amount')).setValue('59');
    const error = await byTestId('validity-error');
    await error.waitForDisplayed({ timeout: 5_000 });
    const message = await error.getText();
    assert.match(message, /\b60\b/, `error text does not mention 60: ${message}`);
    assert.match(message, /59 s is too short/);
    assert.equal(await (await byTestId('validity-expiry')).isExisting(), false);
    await screenshot('start-screen-error.png');

    // A preset replaces the error with the exact expiry.
    const startedAt = Date.now();
    await (await byTestId('validity-preset-900')).click();
    const expiry = await byTestId('validity-expiry');
    await expiry.waitForDisplayed({ timeout: 5_000 });
    assert.equal(await (await byTestId('validity-error')).isExisting(), false);
    assert.equal(await (await byTestId('validity-preset-900')).getAttribute('aria-pressed'), 'true');
    const utc = await (await byTestId('validity-expiry-utc')).getText();
    assert.match(utc, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const offsetSeconds = (Date.parse(utc) - startedAt) / 1000;
    assert.ok(offsetSeconds > 890 && offsetSeconds < 960, `expiry ${utc} is not about 15 minutes from now`);
    assert.match(await (await byTestId('validity-expiry-local')).getText(), /\(UTC[+-]\d{2}:\d{2}\)$/);
    assert.match(await (await byTestId('validity-saved')).getText(), /Saved as your default: 15 minutes/);

    const file = await screenshot('start-screen.png');
    assert.ok(fs.statSync(file).size > 1000, 'the screenshot is empty');

    // The choice survives a reload (localStorage).
    await withTimeout(browser.refresh(), 15_000, 'reloading the page');
    const preset = await byTestId('validity-preset-900');
    await preset.waitForExist({ timeout: 10_000 });
    assert.equal(await preset.getAttribute('aria-pressed'), 'true');
  } catch (error) {
    if (browser) {
      await screenshot('start-screen-failure.png').catch(() => {});
    }
    if (app) console.error(`[e2e] tauri-driver output:\n${app.log()}`);
    throw error;
  }
});
