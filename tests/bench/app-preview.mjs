// Preview of a 20 MB JPEG in the real app window, run by app-preview.sh inside a desktop session.
// The sandbox holds FOLDER/photo.jpg (20,000,000 bytes) and FOLDER/small.png. Each round clicks
// small.png, waits for its preview, then clicks photo.jpg; the page stamps performance.now() at the
// click (a capturing listener) and at the `load` event of the preview image whose src is a new
// preview URL (each click opens a new token, so nothing comes from a cache). Reports the median
// and the spread. Usage: node app-preview.mjs ENDPOINT BUCKET FOLDER ROUNDS
import { setTimeout as sleep } from 'node:timers/promises';
import { addSandboxProfile, makeTempDir, openProfileBucket, removeTempDir, startApp } from '../e2e/support.mjs';

const [endpoint, bucket, folder, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const PROFILE = 'bench';

/** In the page: stamps the next click on `key`'s row and the load of a preview image drawn after it. */
function arm(browser, key) {
  return browser.execute((key) => {
    window.__preview = { clicked: null, loaded: null, width: null, src: null };
    const before = document.querySelector('[data-testid="preview-image"]')?.src ?? null;
    document.addEventListener(
      'click',
      (event) => {
        if (event.target.closest(`[data-testid="object-row"][data-key="${key}"]`)) window.__preview.clicked = performance.now();
      },
      { capture: true, once: true },
    );
    const onLoad = (event) => {
      const image = event.target;
      if (image.dataset?.testid !== 'preview-image' || image.src === before) return;
      window.__preview.loaded = performance.now();
      window.__preview.width = image.naturalWidth;
      window.__preview.src = image.src;
      document.removeEventListener('load', onLoad, true);
    };
    document.addEventListener('load', onLoad, true);
  }, key);
}

async function waitLoaded(browser) {
  await browser.waitUntil(async () => (await browser.execute(() => window.__preview?.loaded ?? null)) !== null, {
    timeout: 30_000,
    interval: 20,
    timeoutMsg: 'the preview image never loaded',
  });
  return browser.execute(() => window.__preview);
}

async function clickAndWait(browser, key) {
  await arm(browser, key);
  await (await browser.$(`[data-testid="object-row"][data-key="${key}"]`)).click();
  return waitLoaded(browser);
}

async function main() {
  const dataHome = makeTempDir('osslite-bench-preview-');
  const keys = { id: process.env.OSS_ACCESS_KEY_ID, secret: process.env.OSS_ACCESS_KEY_SECRET };
  await addSandboxProfile(dataHome, { name: PROFILE, region: 'cn-hangzhou', endpoint, keys });
  const app = await startApp({ reuse: dataHome });
  const { browser } = app;
  try {
    await openProfileBucket(browser, PROFILE, bucket);
    const folderRow = await browser.$(`[data-testid="object-row"][data-key="${folder}"]`);
    await folderRow.waitForDisplayed({ timeout: 20_000 });
    await folderRow.doubleClick();
    await (await browser.$(`[data-testid="object-row"][data-key="${folder}photo.jpg"]`)).waitForDisplayed({ timeout: 20_000 });
    const times = [];
    let width = 0;
    // One warm-up round (the first click starts the session's connection pool), then ROUNDS.
    for (let round = 0; round <= rounds; round++) {
      await clickAndWait(browser, `${folder}small.png`);
      await sleep(300);
      const stamp = await clickAndWait(browser, `${folder}photo.jpg`);
      width = stamp.width;
      if (round > 0) times.push(stamp.loaded - stamp.clicked);
      await sleep(300);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`20 MB JPEG: click → thumbnail loaded (${width} px wide), ${rounds} clicks`);
    console.log(`median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms`);
    if (width > 1024) throw new Error(`the preview was ${width} px wide: the original, not a thumbnail`);
  } finally {
    await app.stop();
    removeTempDir(dataHome);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
