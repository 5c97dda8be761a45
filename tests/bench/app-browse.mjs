// Browsing 100,000 objects in the real app window (issue 6's benchmark), run by app-browse.sh inside
// a desktop session. The sandbox is already populated; this script opens the app on a profile for
// it and measures, with timestamps taken inside the web view (performance.now()):
//   first rows  the double-click on the folder → the frame after its first rows are in the DOM
//   load all    the "Load all" click → the status bar saying every object is loaded
//   sort        a click on the size column over everything loaded → the frame after the reorder
//   scrolling   a jump to the middle and to the end of the list → the next frame, and frame
//               intervals while scrolling 200 steps through it
//   memory      RSS of the web view (WebKitWebProcess) and of the app's Rust process, all loaded
//   export      the CSV export of the folder: preview count, then writing the file (progress shown
//               → "Saved N rows"); the CSV is checked for one row per object
// Usage: node app-browse.mjs ENDPOINT BUCKET FOLDER COUNT   (OSSLITE_APP, OSSLITE_CLI: release builds)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  addSandboxProfile,
  answerFileDialog,
  appProcess,
  byTestId,
  dismissWindows,
  groupProcesses,
  makeTempDir,
  openProfileBucket,
  removeTempDir,
  startApp,
} from '../e2e/support.mjs';

const [endpoint, bucket, folder, countText] = process.argv.slice(2);
const count = Number(countText);
const PROFILE = 'bench';
const SAVE_DIALOG_TITLE = 'Export URL list';

/** Resolves once the page holds `window.__bench[name]` (a timestamp), which it returns. */
async function mark(browser, name, timeout = 120_000) {
  await browser.waitUntil(async () => (await browser.execute((n) => window.__bench?.[n] ?? null, name)) !== null, {
    timeout,
    interval: 50,
    timeoutMsg: `${name} was never reached`,
  });
  return browser.execute((n) => window.__bench[n], name);
}

/**
 * In the page: after `event` on an element matching `trigger`, stamps `start`, then stamps `name` one
 * animation frame after the first frame where `ready` holds (the frame that shows it). `ready` is
 * data, not code (the app's CSP forbids eval): an element matching `ready.selector`, optionally with
 * its text matching `ready.text` (a RegExp source) or its `ready.attribute[0]` equal to `[1]`.
 * Starts watching at once; resolves immediately.
 */
function arm(browser, { trigger, event = 'click', start, name, ready }) {
  return browser.execute(
    (trigger, event, start, name, ready) => {
      window.__bench ??= {};
      const isReady = () => {
        const element = document.querySelector(ready.selector);
        if (!element) return false;
        if (ready.text && !new RegExp(ready.text).test(element.textContent.trim())) return false;
        if (ready.attribute && element.getAttribute(ready.attribute[0]) !== ready.attribute[1]) return false;
        return true;
      };
      document.addEventListener(
        event,
        (e) => {
          if (!e.target.closest(trigger)) return;
          window.__bench[start] = performance.now();
          const check = () => {
            if (isReady()) requestAnimationFrame(() => (window.__bench[name] = performance.now()));
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        },
        { capture: true, once: true },
      );
    },
    trigger,
    event,
    start,
    name,
    ready,
  );
}

/** In the page: scrolls the object list to `fraction` of its height; resolves the ms to the next frame. */
function jump(browser, fraction) {
  return browser.execute(
    (fraction) =>
      new Promise((resolve) => {
        const list = document.querySelector('[data-testid="object-table"] .viewport');
        const started = performance.now();
        list.scrollTop = (list.scrollHeight - list.clientHeight) * fraction;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
      }),
    fraction,
  );
}

/** In the page: scrolls through the whole list in `steps` frames; resolves the frame intervals (ms). */
function scrollThrough(browser, steps) {
  return browser.execute(
    (steps) =>
      new Promise((resolve) => {
        const list = document.querySelector('[data-testid="object-table"] .viewport');
        const frames = [];
        let last = performance.now();
        let step = 0;
        const began = performance.now();
        const next = () => {
          const now = performance.now();
          frames.push(now - last);
          last = now;
          // At most 10 s: WebDriver gives a script 20 s.
          if (step === steps || now - began > 10_000) return resolve(frames.slice(1));
          step++;
          list.scrollTop = ((list.scrollHeight - list.clientHeight) * step) / steps;
          requestAnimationFrame(next);
        };
        list.scrollTop = 0;
        requestAnimationFrame(next);
      }),
    steps,
  );
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const mib = (kib) => (kib / 1024).toFixed(0);

async function main() {
  const dataHome = makeTempDir('osslite-bench-browse-');
  const csv = path.join(dataHome, 'export.csv');
  const keys = { id: process.env.OSS_ACCESS_KEY_ID, secret: process.env.OSS_ACCESS_KEY_SECRET };
  await addSandboxProfile(dataHome, { name: PROFILE, region: 'cn-hangzhou', endpoint, keys });
  const app = await startApp({ reuse: dataHome });
  const { browser } = app;
  const results = [];
  const report = (what, value) => {
    results.push([what, value]);
    console.log(`${what.padEnd(48)} ${value}`);
  };
  try {
    await openProfileBucket(browser, PROFILE, bucket);
    const folderRow = await browser.$(`[data-testid="object-row"][data-key="${folder}"]`);
    await folderRow.waitForDisplayed({ timeout: 20_000 });

    await arm(browser, {
      trigger: `[data-testid="object-row"][data-key="${folder}"]`,
      event: 'dblclick',
      start: 'open',
      name: 'firstRows',
      ready: { selector: `[data-testid="object-row"][data-key^="${folder}"]:not([data-key="${folder}"])` },
    });
    await folderRow.doubleClick();
    const firstRows = (await mark(browser, 'firstRows')) - (await mark(browser, 'open'));
    report('folder opened → first rows drawn', `${firstRows.toFixed(0)} ms`);

    await arm(browser, {
      trigger: '[data-testid="load-all"]',
      start: 'loadAllClicked',
      name: 'allLoaded',
      ready: { selector: '[data-testid="status-count"]', text: `^${count.toLocaleString('en-US')} items$` },
    });
    await (await byTestId(browser, 'load-all')).click();
    const loadAll = (await mark(browser, 'allLoaded')) - (await mark(browser, 'loadAllClicked'));
    report(`"Load all" → ${count.toLocaleString('en-US')} rows loaded`, `${(loadAll / 1000).toFixed(2)} s`);

    await arm(browser, {
      trigger: '[data-testid="sort-size"]',
      start: 'sortClicked',
      name: 'sorted',
      ready: { selector: '[role="columnheader"]:has(> [data-testid="sort-size"])', attribute: ['aria-sort', 'descending'] },
    });
    await (await byTestId(browser, 'sort-size')).click();
    const sort = (await mark(browser, 'sorted')) - (await mark(browser, 'sortClicked'));
    report('sort all by size → frame drawn', `${sort.toFixed(0)} ms`);
    const top = await browser.execute(() => document.querySelector('[data-testid="object-row"] .size')?.textContent.trim());
    assert.equal(top, '1023 B', 'the largest object is not first after sorting by size');

    const jumps = [await jump(browser, 0.5), await jump(browser, 1), await jump(browser, 0)];
    report('jump to middle / end / top → frame drawn', jumps.map((ms) => `${ms.toFixed(0)} ms`).join(' / '));
    const frames = await scrollThrough(browser, 100);
    report(`scrolling through all rows, ${frames.length} frames: frame p50 / p95 / max`, [50, 95, 100].map((p) => `${percentile(frames, p).toFixed(0)} ms`).join(' / '));

    await sleep(1_000);
    const processes = groupProcesses(app.driver);
    const webview = processes.filter((p) => p.comm.startsWith('WebKitWebProces')).reduce((sum, p) => sum + p.rssKiB, 0);
    const network = processes.filter((p) => p.comm.startsWith('WebKitNetworkPr')).reduce((sum, p) => sum + p.rssKiB, 0);
    const rust = appProcess(app)?.rssKiB ?? 0;
    report('RSS with all loaded: web view / app (Rust) / WebKit network', `${mib(webview)} / ${mib(rust)} / ${mib(network)} MiB`);

    await (await byTestId(browser, 'export')).click();
    await (await byTestId(browser, 'export-dialog')).waitForDisplayed({ timeout: 5_000 });
    await arm(browser, {
      trigger: '[data-testid="export-scope-folder"]',
      start: 'scopeClicked',
      name: 'counted',
      ready: { selector: '[data-testid="export-count"]', text: `^${count.toLocaleString('en-US')} objects match$` },
    });
    await (await byTestId(browser, 'export-scope-folder')).click();
    const counted = (await mark(browser, 'counted')) - (await mark(browser, 'scopeClicked'));
    report('export preview: count the folder', `${counted.toFixed(0)} ms`);

    // The progress block appears when writing starts (after the save dialog) and goes when it ends.
    await browser.execute(() => {
      const observer = new MutationObserver(() => {
        if (window.__bench.exportStarted === undefined && document.querySelector('[data-testid="export-progress"]')) {
          window.__bench.exportStarted = performance.now();
        }
        if (document.querySelector('[data-testid="export-done"]')) {
          window.__bench.exportDone = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const clicking = byTestId(browser, 'export-csv').then((button) => button.click());
    clicking.catch(() => {});
    await answerFileDialog(SAVE_DIALOG_TITLE, csv);
    await clicking;
    const exported = (await mark(browser, 'exportDone')) - (await mark(browser, 'exportStarted'));
    const rows = fs.readFileSync(csv, 'utf8').split('\n').filter(Boolean).length - 1;
    assert.equal(rows, count, 'the CSV does not hold one row per object');
    report(`CSV export of ${rows.toLocaleString('en-US')} rows (progress → saved)`, `${(exported / 1000).toFixed(2)} s`);
  } finally {
    await dismissWindows(SAVE_DIALOG_TITLE).catch(() => {});
    await app.stop();
    removeTempDir(dataHome);
  }
  return results;
}

await main();
process.exit(0);
