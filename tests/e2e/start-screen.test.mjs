// End-to-end test of the real OSS Lite window: tauri-driver → WebKitWebDriver → the app.
// Needs an X display and a session bus: run it through ./run.sh (Xvfb + dbus-run-session).
// Environment: see support.mjs (TAURI_DRIVER, OSSLITE_APP).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO,
  assertPrerequisites,
  byTestId as byTestIdIn,
  makeTempDir,
  removeTempDir,
  screenshot as screenshotOf,
  startApp,
  startSandbox,
  stopGroup,
  waitForText as waitForTextIn,
  withTimeout,
} from './support.mjs';

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
const waitForText = (id, pattern, timeout) => waitForTextIn(browser, id, pattern, timeout);
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

test('start screen: the language is switched right there, without opening a profile', { timeout: 30_000 }, async () => {
  const tagline = await byTestId('app-tagline');
  const english = await tagline.getText();
  await (await byTestId('start-language')).selectByAttribute('value', 'zh');
  await waitForText('app-tagline', /[\u4e00-\u9fff]/);
  assert.notEqual(await tagline.getText(), english);
  await screenshot('start-screen-zh.png');
  await (await byTestId('start-language')).selectByAttribute('value', 'auto');
  await browser.waitUntil(async () => (await tagline.getText()) === english, {
    timeout: 5_000,
    timeoutMsg: 'the tagline did not return to English',
  });
});

test('profile form: "Test connection" with a wrong secret shows the refusal with "Edit profile"', { timeout: 60_000 }, async () => {
  const work = makeTempDir('osslite-e2e-test-connection-');
  const { server, endpoint } = await startSandbox([
    '--root', path.join(work, 'sandbox'),
    '--bucket', 'probe-bucket',
    '--region', 'cn-hangzhou',
    '--access-key-id', 'LTAI5tProbeKey0001',
    '--access-key-secret', 'the-right-secret',
  ]);
  try {
    await (await byTestId('profile-add')).click();
    await (await byTestId('profile-form')).waitForDisplayed({ timeout: 5_000 });
    await (await byTestId('profile-name')).setValue('Probe');
    await (await byTestId('profile-endpoint-custom')).click();
    await (await byTestId('profile-custom-url')).setValue(endpoint);
    // An IP endpoint is path-style, said in a note; virtual-hosted cannot be chosen.
    await (await byTestId('profile-path-forced')).waitForDisplayed({ timeout: 5_000 });
    assert.equal(await (await byTestId('profile-addressing-path')).getAttribute('aria-pressed'), 'true');
    await (await byTestId('profile-akid')).setValue('LTAI5tProbeKey0001');
    await (await byTestId('profile-secret')).setValue('a-wrong-secret');
    await (await byTestId('profile-test-connection')).click();
    const note = await browser.$('[data-testid="profile-form"] [data-testid="error-note"][data-kind="unauthenticated"]');
    await note.waitForDisplayed({ timeout: 15_000 });
    assert.equal(await (await byTestId('error-oss-code')).getText(), 'SignatureDoesNotMatch');
    const edit = await byTestId('error-edit-profile');
    assert.equal(await edit.getText(), 'Edit profile');
    assert.equal(await (await byTestId('error-retry')).isDisplayed(), true);
    await screenshot('e2e-test-connection-refused.png');
    await edit.click();
    assert.equal(await browser.execute(() => document.activeElement?.dataset.testid), 'profile-secret');

    // The right secret passes; nothing was stored by either test.
    await (await byTestId('profile-secret')).setValue('the-right-secret');
    await (await byTestId('profile-test-connection')).click();
    await waitForText('profile-test-ok', /Connected: 1 bucket/, 15_000);
    await browser.keys(['Escape']);
    await (await byTestId('profile-form')).waitForExist({ timeout: 5_000, reverse: true });
    assert.equal(await (await browser.$('[data-testid="profile-item"][data-name="Probe"]')).isExisting(), false);
  } finally {
    await stopGroup(server);
    removeTempDir(work);
  }
});
