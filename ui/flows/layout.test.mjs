// Layout at every size (issue 13): Name keeps its room and is cut in the middle, the details
// panel becomes a drawer in a narrow window, toolbar buttons that do not fit are in the "…"
// menu, the breadcrumb collapses its middle, "OSS Lite" never wraps, and the transfer panel
// (resizable, its height kept) always leaves rows of the list in view.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byTestId, enterBucket, screenshot, start } from './harness.mjs';

const LONG = 'very-long-name-of-the-quarterly-report-for-the-board-2026.csv';
const DEEP = 'archive/quarterly-reports-2026/board-meeting-materials/final-versions/';
const CONFIG = { bigCount: 50, extraObjects: { [`docs/${LONG}`]: 52_331, [`${DEEP}summary.csv`]: 2_048 } };
const SIZES = [
  { width: 760, height: 480 },
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
];
const TOOLBAR = ['share', 'download', 'delete', 'export'];

let h;
before(async () => {
  h = await start();
}, { timeout: 30_000 });
after(async () => {
  await h?.stop();
});

async function openDocs(size, storage = {}) {
  const session = await h.openBuckets({ config: CONFIG, storage });
  await session.page.setViewportSize(size);
  await enterBucket(session.page, 'media-assets');
  await session.page.locator('[data-testid="object-row"][data-key="docs/"]').dblclick();
  await session.page.locator(`[data-testid="object-row"][data-key="docs/${LONG}"]`).waitFor();
  return session;
}

/** The part of `locator`'s box inside the window, in px (0 when out of sight or hidden). */
async function visibleWidth(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') return 0;
    return Math.max(0, Math.min(r.right, window.innerWidth) - Math.max(r.left, 0));
  });
}

/** Each toolbar action: shown as a button, or listed in the "…" menu. */
async function reachableActions(page) {
  const shown = [];
  for (const id of TOOLBAR) if ((await byTestId(page, id).count()) > 0 && (await visibleWidth(byTestId(page, id))) > 20) shown.push(id);
  const inMenu = [];
  if ((await byTestId(page, 'toolbar-more').count()) > 0) {
    await byTestId(page, 'toolbar-more').click();
    await byTestId(page, 'toolbar-menu').waitFor();
    for (const id of TOOLBAR) if ((await page.locator(`[data-testid="toolbar-menu"] [data-testid="menu-${id}"]`).count()) > 0) inMenu.push(id);
    await page.keyboard.press('Escape');
    await byTestId(page, 'toolbar-menu').waitFor({ state: 'detached' });
  }
  return { shown, inMenu };
}

for (const size of SIZES) {
  test(`${size.width}×${size.height}: Name readable, every action reachable, one-line title, details in reach`, { timeout: 20_000 }, async () => {
    const { page, errors } = await openDocs(size);
    const row = page.locator(`[data-testid="object-row"][data-key="docs/${LONG}"]`);
    const name = row.locator('[data-testid="object-name"]');

    assert.ok((await visibleWidth(page.locator('.row.head .cell.name'))) >= 160, 'the Name column keeps at least 160 px');
    assert.ok((await visibleWidth(name)) >= 120, 'the name shows');
    assert.equal(await name.getAttribute('title'), LONG);
    const cut = await name.evaluate((el) => {
      const head = el.querySelector('.head');
      return { truncated: head.scrollWidth > head.clientWidth, tail: el.querySelector('.tail')?.textContent };
    });
    // The end of the name (its date and extension) is never cut.
    assert.equal(cut.tail, 'ard-2026.csv');
    if (size.width === 1024) assert.ok(cut.truncated, 'beside the details panel the name is cut in the middle');
    if (size.width === 1440) assert.ok(!cut.truncated, 'with room the name shows whole');

    const title = await byTestId(page, 'topbar').locator('.brand span').evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(title < 24, `"OSS Lite" stays on one line (${title} px tall)`);

    const { shown, inMenu } = await reachableActions(page);
    assert.deepEqual([...shown, ...inMenu].sort(), [...TOOLBAR].sort(), `every toolbar action is reachable: ${JSON.stringify({ shown, inMenu })}`);
    if (size.width === 760) assert.ok(inMenu.length > 0, 'at the minimum size some actions are in the "…" menu');
    if (size.width === 1440) assert.deepEqual(inMenu, []);

    // The details panel: a column beside the list when there is room; below 1000 px a drawer over
    // it, closed until the toggle opens it.
    assert.ok((await visibleWidth(byTestId(page, 'toggle-details'))) >= 30);
    await row.click();
    if (size.width < 1000) {
      assert.equal(await byTestId(page, 'details-panel').count(), 0);
      await screenshot(page, `size-${size.width}x${size.height}`);
      await byTestId(page, 'toggle-details').click();
    }
    await byTestId(page, 'details-panel').waitFor();
    const position = await byTestId(page, 'details-slot').evaluate((el) => getComputedStyle(el).position);
    assert.equal(position, size.width < 1000 ? 'absolute' : 'static');
    assert.ok((await visibleWidth(byTestId(page, 'details-panel'))) >= 280);
    if (size.width < 1000) {
      await screenshot(page, `size-${size.width}x${size.height}-details`);
      await byTestId(page, 'details-close').click();
      await byTestId(page, 'details-panel').waitFor({ state: 'detached' });
    } else {
      await screenshot(page, `size-${size.width}x${size.height}`);
    }

    // The "…" menu runs what it lists.
    if (inMenu.includes('download')) {
      await byTestId(page, 'toolbar-more').click();
      await page.locator('[data-testid="toolbar-menu"] [data-testid="menu-download"]').click();
      await page.waitForFunction(() => window.__FAKE__.calls.some((c) => c.cmd === 'transfer_download'));
    }
    assert.deepEqual(errors, []);
  });
}

test('the breadcrumb collapses its middle into "…", whose menu opens the hidden folders', { timeout: 20_000 }, async () => {
  const { page, errors } = await h.openBuckets({ config: CONFIG });
  await page.setViewportSize({ width: 760, height: 480 });
  await enterBucket(page, 'media-assets');
  let prefix = '';
  for (const part of DEEP.split('/').filter(Boolean)) {
    prefix += `${part}/`;
    await page.locator(`[data-testid="object-row"][data-key="${prefix}"]`).dblclick();
  }
  await page.locator(`[data-testid="object-row"][data-key="${DEEP}summary.csv"]`).waitFor();

  await byTestId(page, 'crumb-more').waitFor();
  const current = page.locator('[data-testid="crumb"][aria-current="location"]');
  assert.equal(await current.innerText(), 'final-versions');
  assert.ok((await visibleWidth(current)) >= 60, 'the current folder stays readable');
  assert.ok((await visibleWidth(byTestId(page, 'crumb-buckets'))) > 40);
  const crumbs = await byTestId(page, 'breadcrumbs').evaluate((nav) => {
    const edge = nav.getBoundingClientRect().right;
    return [...nav.querySelectorAll(':scope > button')].every((b) => b.getBoundingClientRect().right <= edge + 1);
  });
  assert.ok(crumbs, 'nothing in the breadcrumb is cut off at the edge');

  await byTestId(page, 'crumb-more').click();
  const menu = byTestId(page, 'crumb-menu');
  await menu.waitFor();
  const hidden = await menu.locator('[role="menuitem"]').allInnerTexts();
  assert.equal(hidden[0].trim(), 'media-assets');
  assert.ok(hidden.map((s) => s.trim()).includes('archive'));
  await screenshot(page, 'crumbs-collapsed');
  await menu.getByText('archive', { exact: true }).click();
  await page.locator('[data-testid="object-row"][data-key="archive/quarterly-reports-2026/"]').waitFor();
  // With room again, every part shows.
  await byTestId(page, 'crumb-more').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('the transfer panel never hides the list; its height follows the handle and is kept', { timeout: 20_000 }, async () => {
  const { page, errors } = await openDocs({ width: 760, height: 480 });
  await byTestId(page, 'toggle-transfers').click();
  await byTestId(page, 'transfer-panel').waitFor();

  /** Rows of the object list wholly in view. */
  const rowsInView = () =>
    page.evaluate(() => {
      const list = document.querySelector('[data-testid="object-list"]').getBoundingClientRect();
      return [...document.querySelectorAll('[data-testid="object-row"]')].filter((r) => {
        const b = r.getBoundingClientRect();
        return b.top >= list.top - 1 && b.bottom <= list.bottom + 1 && b.height > 0;
      }).length;
    });
  assert.ok((await rowsInView()) >= 1, 'a row shows with the panel open at 760×480');

  // Dragged as high as it goes: the list keeps its rows.
  const handle = byTestId(page, 'transfer-resize');
  const box = await handle.boundingBox();
  await page.mouse.move(box.x + 100, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 100, 5, { steps: 5 });
  await page.mouse.up();
  assert.ok((await rowsInView()) >= 1, 'a row still shows with the panel dragged to the top');
  await screenshot(page, 'transfers-760x480');

  // At 1024×700: drag it to about 220 px, and it is that tall again after a restart.
  await page.setViewportSize({ width: 1024, height: 700 });
  const dock = byTestId(page, 'transfer-dock');
  const before = await dock.boundingBox();
  const grip = await handle.boundingBox();
  await page.mouse.move(grip.x + 100, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(grip.x + 100, grip.y + grip.height / 2 + (before.height - 220), { steps: 5 });
  await page.mouse.up();
  const dragged = Math.round((await dock.boundingBox()).height);
  assert.ok(Math.abs(dragged - 220) <= 2, `the panel follows the handle (${dragged} px)`);
  await page.reload();
  await byTestId(page, 'browser').waitFor();
  if ((await byTestId(page, 'transfer-panel').count()) === 0) await byTestId(page, 'toggle-transfers').click();
  await byTestId(page, 'transfer-panel').waitFor();
  assert.equal(Math.round((await byTestId(page, 'transfer-dock').boundingBox()).height), dragged);
  assert.deepEqual(errors, []);
});
