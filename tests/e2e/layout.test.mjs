// End-to-end test of the layout at every size (issue 13) in the real OSS Lite window, against the
// local sandbox: with a folder open, the window is resized to 760×480, 1024×700 and 1440×900; at
// each size the Name column is visible and a screenshot is saved (e2e-size-WxH.png, shown in the
// README). Then a right-click on a row opens the app's own menu, not WebKit's.
// Run it through ./run.sh (Xvfb, a session bus, an unlocked keyring). Environment: see support.mjs.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  CLI,
  assertPrerequisites,
  byTestId as byTestIdIn,
  doubleClickRow as doubleClickRowIn,
  openProfileBucket,
  run,
  scenario,
  screenshot as screenshotOf,
  startSandboxApp,
  stopSandboxApp,
  waitFor,
} from './support.mjs';

const BUCKET = 'layout-bucket';
const REGION = 'cn-hangzhou';
const PROFILE = 'E2E layout';
const FOLDER = 'reports/2026/';
const LONG = 'very-long-name-of-the-quarterly-report-for-the-board-2026.csv';
const KEYS = { id: 'LTAI5tE2eLayoutKey42', secret: `e2e-${crypto.randomBytes(12).toString('hex')}` };
const OBJECTS = [`${FOLDER}${LONG}`, `${FOLDER}summary.md`, `${FOLDER}figures.png`, 'index.html'];
const SIZES = [
  [760, 480],
  [1024, 700],
  [1440, 900],
];

let setup;
let sandbox;
let app;
let browser;

const byTestId = (id) => byTestIdIn(browser, id);
const screenshot = (name) => screenshotOf(browser, name);

before(
  async () => {
    assertPrerequisites([
      ['the CLI binary, which serves the sandbox (set OSSLITE_CLI or run `cargo build -p osslite-cli`)', CLI],
      ['xdotool', '/usr/bin/xdotool'],
    ]);
    setup = await startSandboxApp({
      name: 'layout',
      buckets: [BUCKET],
      region: REGION,
      keys: KEYS,
      seed: OBJECTS.map((key) => ({ key, body: Buffer.from(`${key}\n`) })),
      profile: PROFILE,
    });
    ({ sandbox, app, browser } = setup);
  },
  { timeout: 60_000 },
);

after(() => stopSandboxApp(setup), { timeout: 30_000 });

const step = scenario(async (slug) => {
  if (app?.browser) await screenshot(`e2e-failure-layout-${slug}.png`).catch(() => {});
  console.error(`[e2e] tauri-driver output:\n${app?.log() ?? ''}\n[e2e] sandbox output:\n${sandbox?.log() ?? ''}`);
});

/** The web view's size in CSS px. */
const viewport = () => browser.execute(() => ({ width: window.innerWidth, height: window.innerHeight }));

/**
 * Resizes the app window so that its web view is `width`×`height` (the minimum size, 760×480, is
 * the window's): WebDriver's Set Window Rect, or xdotool where the driver refuses.
 */
async function resizeTo(width, height) {
  try {
    await browser.setWindowSize(width, height);
  } catch {
    const { stdout } = await run('xdotool', ['search', '--onlyvisible', '--name', '^OSS Lite$'], { timeout: 5_000 });
    for (const id of stdout.toString().split(/\s+/).filter(Boolean)) {
      await run('xdotool', ['windowsize', '--sync', id, String(width), String(height)], { timeout: 5_000 }).catch(() => {});
    }
  }
  return waitFor(
    async () => {
      const size = await viewport();
      // Client-side decorations may take a few px of the window.
      return Math.abs(size.width - width) <= 40 && Math.abs(size.height - height) <= 60 ? size : null;
    },
    { timeout: 10_000, what: `the web view becoming about ${width}×${height}` },
  );
}

/** What shows of the Name column and of the long name's cell, in px. */
function nameColumn() {
  return browser.execute((key) => {
    const visible = (el) => {
      if (!el) return 0;
      const r = el.getBoundingClientRect();
      return Math.max(0, Math.min(r.right, window.innerWidth) - Math.max(r.left, 0));
    };
    const row = document.querySelector(`[data-testid="object-row"][data-key="${key}"]`);
    const name = row?.querySelector('[data-testid="object-name"]');
    return { header: visible(document.querySelector('.row.head .cell.name')), name: visible(name), title: name?.getAttribute('title'), tail: name?.querySelector('.tail')?.textContent ?? null };
  }, `${FOLDER}${LONG}`);
}

step('open: the profile, the bucket and a folder with a long file name', 60_000, async () => {
  await openProfileBucket(browser, PROFILE, BUCKET);
  await doubleClickRowIn(browser, 'reports/');
  await doubleClickRowIn(browser, FOLDER);
  await browser.$(`[data-testid="object-row"][data-key="${FOLDER}${LONG}"]`).waitForDisplayed({ timeout: 15_000 });
});

for (const [width, height] of SIZES) {
  step(`${width}×${height}: the Name column is visible, and the screenshot`, 40_000, async () => {
    const size = await resizeTo(width, height);
    await browser.waitUntil(async () => (await nameColumn()).header >= 160, { timeout: 5_000, timeoutMsg: 'the Name column never got 160 px' });
    const name = await nameColumn();
    assert.ok(name.name >= 120, `the long name shows (${JSON.stringify({ size, name })})`);
    assert.equal(name.title, LONG);
    assert.equal(name.tail, 'ard-2026.csv', 'the end of the name is never cut');
    const title = await browser.execute(() => document.querySelector('[data-testid="topbar"] .brand span').getBoundingClientRect().height);
    assert.ok(title < 24, `"OSS Lite" stays on one line (${title} px)`);
    await screenshot(`e2e-size-${width}x${height}.png`);
  });
}

step('right-click on a row opens the app menu, and Esc closes it', 30_000, async () => {
  const row = await browser.$(`[data-testid="object-row"][data-key="${FOLDER}summary.md"]`);
  await row.click({ button: 'right' });
  const menu = await byTestId('context-menu');
  await menu.waitForDisplayed({ timeout: 5_000 });
  const items = await browser.execute(() => [...document.querySelectorAll('[data-testid="context-menu"] [role="menuitem"]')].map((b) => b.dataset.testid));
  assert.deepEqual(items, ['menu-share', 'menu-copyUrl', 'menu-copyPath', 'menu-download', 'menu-rename', 'menu-moveTo', 'menu-copyTo', 'menu-delete', 'menu-properties']);
  await screenshot('e2e-context-menu.png');
  await browser.keys(['Escape']);
  await menu.waitForExist({ reverse: true, timeout: 5_000 });
});
