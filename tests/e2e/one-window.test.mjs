// One window, where the user left it (src-tauri/src/one_window.rs), in the real app:
// - the size and position saved in the config folder's .window-state.json come back on start;
// - a second start of the app exits and the running window is focused: still one window.
// - About (Settings → About OSS Lite) names this build and lists the bundled licences.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { APP, assertPrerequisites, byTestId, makeTempDir, run, screenshot, startApp, waitFor, windowsTitled } from './support.mjs';

const SAVED = { width: 900, height: 620, x: 60, y: 40 };
let app;

before(
  async () => {
    assertPrerequisites();
    // What the window-state plugin writes when the window closes, as a previous run left it.
    const dataHome = makeTempDir('osslite-e2e-window-');
    const configDir = path.join(dataHome, 'config', 'dev.osslite.desktop');
    fs.mkdirSync(configDir, { recursive: true });
    const state = { ...SAVED, prev_x: SAVED.x, prev_y: SAVED.y, maximized: false, visible: true, decorated: true, fullscreen: false };
    fs.writeFileSync(path.join(configDir, '.window-state.json'), JSON.stringify({ main: state }));
    app = await startApp({ reuse: dataHome });
  },
  { timeout: 40_000 },
);

after(() => app?.stop(), { timeout: 20_000 });

test('the window comes back at its saved size', { timeout: 30_000 }, async () => {
  const { browser } = app;
  await (await byTestId(browser, 'app-title')).waitForDisplayed({ timeout: 20_000 });
  const size = await browser.execute(() => [window.innerWidth, window.innerHeight]);
  assert.deepEqual(size, [SAVED.width, SAVED.height], `the window is ${size.join('x')}, not the saved ${SAVED.width}x${SAVED.height}`);
});

test('a second start focuses the running window and exits', { timeout: 40_000 }, async () => {
  const { browser } = app;
  assert.equal((await windowsTitled('OSS Lite')).length, 1);
  // Same session bus and homes as the first: the single-instance plugin finds it and hands over.
  await run(APP, [], { env: app.env, timeout: 20_000 });
  assert.equal((await windowsTitled('OSS Lite')).length, 1, 'a second window opened');
  assert.equal(await browser.getTitle(), 'OSS Lite', 'the first window stopped answering');
  const logs = path.join(app.dataHome, 'data', 'dev.osslite.desktop', 'logs');
  await waitFor(
    () => fs.readdirSync(logs).some((file) => fs.readFileSync(path.join(logs, file), 'utf8').includes('a second start of OSS Lite')),
    { timeout: 10_000, what: 'the running app logging the second start' },
  );
});

test('About names this build and the licences of what it bundles', { timeout: 60_000 }, async () => {
  const { browser } = app;
  await (await byTestId(browser, 'profile-sandbox')).click();
  const settings = await byTestId(browser, 'open-settings');
  await settings.waitForDisplayed({ timeout: 30_000 });
  await settings.click();
  await (await byTestId(browser, 'open-about')).click();
  const version = await byTestId(browser, 'about-version');
  await version.waitForDisplayed({ timeout: 10_000 });
  assert.match(await version.getText(), /^\d+\.\d+\.\d+$/);
  assert.match(await (await byTestId(browser, 'about-commit')).getText(), /^([0-9a-f]{10}|unknown)$/);
  assert.match(await (await byTestId(browser, 'about-build-date')).getText(), /^\d{4}-\d{2}-\d{2}$/);
  const names = await browser.execute(() => [...document.querySelectorAll('[data-testid="about-license"]')].map((row) => row.dataset.name));
  for (const bundled of ['tauri', 'tokio', 'reqwest', 'svelte', '@tauri-apps/api']) {
    assert.ok(names.includes(bundled), `${bundled} is not in the licence list`);
  }
  await screenshot(browser, 'e2e-about.png');
  await (await byTestId(browser, 'about-done')).click();
});
