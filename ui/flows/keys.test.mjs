// Menus and keys (issue 13): the app's own context menu on a row or a selection (never WebKit's,
// except in text fields), keyboard navigation in it, the shortcut map (Enter, Backspace, Alt+↑,
// Ctrl+C, F2, Delete, Ctrl+F, ?), shortcuts ignored while typing, and tooltips taken down when
// a dialog opens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backendState, byTestId, enterBucket, screenshot, start } from './harness.mjs';

let h;
before(async () => {
  h = await start();
}, { timeout: 30_000 });
after(async () => {
  await h?.stop();
});

const row = (page, key) => page.locator(`[data-testid="object-row"][data-key="${key}"]`);

async function openDocs() {
  const session = await h.openBuckets({ config: { bigCount: 50 } });
  const { page } = session;
  await enterBucket(page, 'media-assets');
  await row(page, 'docs/').dblclick();
  await row(page, 'docs/notes.md').waitFor();
  // Each right-click remembers whether the page kept WebKit's own menu from showing.
  await page.evaluate(() => {
    window.__nativeMenu = [];
    window.addEventListener('contextmenu', (e) => setTimeout(() => window.__nativeMenu.push(!e.defaultPrevented)));
  });
  return session;
}

const nativeMenus = (page) => page.evaluate(() => window.__nativeMenu);
const menuItems = (page) => page.locator('[data-testid="context-menu"] [role="menuitem"]').evaluateAll((items) => items.map((i) => i.dataset.testid));
const lastToast = (page) => byTestId(page, 'toast').last().innerText();

test('right-click opens the app menu for the row or the selection; WebKit’s menu only in text fields', { timeout: 20_000 }, async () => {
  const { page, errors } = await openDocs();

  await row(page, 'docs/notes.md').click({ button: 'right' });
  await byTestId(page, 'context-menu').waitFor();
  assert.deepEqual(await menuItems(page), ['menu-share', 'menu-copyUrl', 'menu-copyPath', 'menu-download', 'menu-rename', 'menu-moveTo', 'menu-copyTo', 'menu-delete', 'menu-properties']);
  assert.match(await byTestId(page, 'selection-count').innerText(), /^1 selected/);
  await screenshot(page, 'context-menu');

  // The keyboard: ↓ moves, Enter runs (Copy URL), and the menu closes.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-share');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-copyUrl');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-properties', '↑ wraps to the last item');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await byTestId(page, 'context-menu').waitFor({ state: 'detached' });
  await page.waitForFunction(() => window.__FAKE__.clipboard.length === 1);
  const [link] = (await backendState(page)).clipboard;
  assert.match(link, /^https:\/\/media-assets\.[^/]+\/docs\/notes\.md\?.*x-oss-expires=3600/);
  assert.equal(await lastToast(page), 'Copied 1 link, valid 1 hour');

  // A selection of a folder and a file: no Share, no link for the folder; Esc closes.
  await row(page, 'docs/handbook.pdf').click();
  await page.keyboard.down('Control');
  await row(page, 'docs/notes.md').click();
  await page.keyboard.up('Control');
  await row(page, 'docs/notes.md').click({ button: 'right' });
  await byTestId(page, 'context-menu').waitFor();
  assert.deepEqual(await menuItems(page), ['menu-copyUrl', 'menu-copyPath', 'menu-download', 'menu-moveTo', 'menu-copyTo', 'menu-delete', 'menu-properties']);
  await page.keyboard.press('Escape');
  await byTestId(page, 'context-menu').waitFor({ state: 'detached' });
  assert.match(await byTestId(page, 'selection-count').innerText(), /^2 selected/, 'Esc closes the menu and keeps the selection');

  // Copy oss:// path, for both.
  await row(page, 'docs/handbook.pdf').click({ button: 'right' });
  await byTestId(page, 'menu-copyPath').click();
  await page.waitForFunction(() => window.__FAKE__.clipboard.length === 2);
  assert.equal((await backendState(page)).clipboard[1], 'oss://media-assets/docs/handbook.pdf\noss://media-assets/docs/notes.md');

  // A right-click outside the selection selects that row; Delete… asks first.
  await row(page, 'docs/report-2024.pdf').click({ button: 'right' });
  assert.match(await byTestId(page, 'selection-count').innerText(), /^1 selected/);
  await byTestId(page, 'menu-delete').click();
  await byTestId(page, 'delete-dialog').waitFor();
  await page.keyboard.press('Escape');
  await byTestId(page, 'delete-dialog').waitFor({ state: 'detached' });

  // Elsewhere (the status line), no menu at all; in the filter field, WebKit's (Cut, Copy, Paste).
  await byTestId(page, 'status').click({ button: 'right' });
  await byTestId(page, 'filter').click({ button: 'right' });
  await page.waitForFunction(() => window.__nativeMenu.length === 6);
  assert.deepEqual(await nativeMenus(page), [false, false, false, false, false, true]);
  assert.equal(await byTestId(page, 'context-menu').count(), 0);
  assert.deepEqual(errors, []);
});

test('keys: Enter, Backspace, Alt+↑, Ctrl+C, Delete, F2, Ctrl+F, and none of them while typing', { timeout: 20_000 }, async () => {
  const { page, errors } = await openDocs();

  // Enter on a file shows its details (hidden first); on a folder, opens it.
  await byTestId(page, 'toggle-details').click();
  await byTestId(page, 'details-panel').waitFor({ state: 'detached' });
  await row(page, 'docs/notes.md').click();
  await page.keyboard.press('Enter');
  await byTestId(page, 'details-panel').waitFor();
  await page.keyboard.press('Backspace');
  await row(page, 'docs/').waitFor();
  await row(page, 'photos/').click();
  await page.keyboard.press('Enter');
  await row(page, 'photos/cover.jpg').waitFor();
  await page.keyboard.press('Alt+ArrowUp');
  await row(page, 'docs/').waitFor();
  await row(page, 'docs/').dblclick();
  await row(page, 'docs/notes.md').waitFor();

  // Ctrl+C: a link per selected file, with the default validity, and a toast that says so.
  await row(page, 'docs/handbook.pdf').click();
  await page.keyboard.press('Shift+End');
  assert.match(await byTestId(page, 'selection-count').innerText(), /^3 selected/);
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => window.__FAKE__.clipboard.length === 1);
  const links = (await backendState(page)).clipboard[0].split('\n');
  assert.equal(links.length, 3);
  for (const link of links) assert.match(link, /x-oss-expires=3600/);
  assert.equal(await lastToast(page), 'Copied 3 links, valid 1 hour');

  // F2: renames one entry only (three are selected), so nothing opens; Delete asks first.
  await page.keyboard.press('F2');
  assert.equal(await page.locator('dialog[open]').count(), 0);
  await page.keyboard.press('Delete');
  await byTestId(page, 'delete-dialog').waitFor();
  await page.keyboard.press('Escape');
  await byTestId(page, 'delete-dialog').waitFor({ state: 'detached' });

  // Ctrl+F: the filter; typed there, Backspace, ?, Delete and Ctrl+C are text, not shortcuts.
  await page.keyboard.press('Control+F');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'filter');
  await page.keyboard.type('no?');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Delete');
  assert.equal(await byTestId(page, 'filter').inputValue(), 'no');
  assert.equal(await page.locator('dialog[open]').count(), 0);
  assert.equal(await page.locator('[data-testid="crumb"][aria-current="location"]').innerText(), 'docs', 'Backspace in the field does not go up');
  assert.deepEqual(errors, []);
});

test('? lists every shortcut; a tooltip under the pointer goes when a dialog opens', { timeout: 15_000 }, async () => {
  const { page, errors } = await openDocs();
  const toggle = byTestId(page, 'toggle-details');
  await toggle.hover();
  assert.equal(await toggle.getAttribute('title'), 'Details panel');

  await row(page, 'docs/notes.md').click();
  await toggle.hover();
  await page.keyboard.press('Shift+?');
  const help = byTestId(page, 'help-overlay');
  await help.waitFor();
  const text = await help.innerText();
  for (const key of ['Enter', 'Backspace', 'Alt+↑', 'Ctrl+C', 'F2', 'Delete', 'Ctrl+F', '?']) assert.ok(text.includes(key), `the help lists ${key}`);
  assert.ok((await help.locator('[data-testid="shortcut"]').count()) >= 12);
  assert.equal(await toggle.getAttribute('title'), null, 'the hovered button’s tooltip is taken down while the dialog is open');
  await screenshot(page, 'help');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  assert.equal(await toggle.getAttribute('title'), 'Details panel', 'and comes back when it closes');
  assert.deepEqual(errors, []);
});
