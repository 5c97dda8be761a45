// The UI-flow harness: serves the BUILT UI with `vite preview` on 127.0.0.1,
// drives Debian's Chromium through playwright-core, and injects the fake
// backend (flows/.build/fake-ipc.js, Tauri's mockIPC) before the app loads.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const UI = path.resolve(HERE, '..');
export const REPO = path.resolve(UI, '..');
export const SCREENSHOTS = path.join(REPO, 'target', 'screenshots');
const FAKE_IPC = path.join(HERE, '.build', 'fake-ipc.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const VIEWPORT = { width: 1180, height: 760 };

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** What the app reopens by itself at start: profile "Production". */
export const LAST_PROFILE = { 'osslite.lastProfile.v1': 'Production' };

/** Starts `vite preview` of ui/dist and Chromium; `stop()` ends both. */
export async function start() {
  for (const [what, file] of [
    ['the built UI (npm run build)', path.join(UI, 'dist', 'index.html')],
    ['the fake backend bundle (npm run test:flows builds it)', FAKE_IPC],
    [`Chromium (set CHROMIUM)`, CHROMIUM],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}`);
  }
  const port = await freePort();
  let log = '';
  const preview = spawn(
    process.execPath,
    [path.join(UI, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: UI, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  preview.stdout.on('data', (c) => (log += c));
  preview.stderr.on('data', (c) => (log += c));
  const stopPreview = () => {
    if (preview.exitCode === null && preview.signalCode === null) {
      try {
        process.kill(-preview.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', stopPreview);
  const deadline = Date.now() + 15_000;
  while (!(await portAnswers(port))) {
    if (preview.exitCode !== null) throw new Error(`vite preview exited early:\n${log}`);
    if (Date.now() > deadline) throw new Error(`vite preview did not listen on ${port}:\n${log}`);
    await sleep(50);
  }

  // launch() starts Chromium with a fresh temporary --user-data-dir of its own and
  // deletes it on close; each test then gets its own context (empty storage).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
    ],
  });
  const fakeScript = fs.readFileSync(FAKE_IPC, 'utf8');

  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    /**
     * A fresh page (own context: empty localStorage) with the fake backend.
     * `config` goes to the backend; `storage` pre-fills localStorage; `locale` sets navigator.language.
     */
    async open({ config = {}, storage = {}, locale = 'en-US' } = {}) {
      const context = await browser.newContext({ viewport: VIEWPORT, locale, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(new Error(message.text()));
      });
      await page.addInitScript(
        ({ config, storage }) => {
          window.__FAKE_CONFIG__ = config;
          if (!sessionStorage.getItem('flows.seeded')) {
            for (const [key, value] of Object.entries(storage)) localStorage.setItem(key, value);
            sessionStorage.setItem('flows.seeded', '1');
          }
        },
        { config, storage },
      );
      await page.addInitScript({ content: fakeScript });
      await page.goto(`http://127.0.0.1:${port}/`);
      return { page, context, errors };
    },
    /**
     * The app reopening profile "Production" of the fake's demo profiles, at its bucket list.
     * `config` and `storage` add to that; `locale` as for `open`.
     */
    async openBuckets({ config = {}, storage = {}, locale } = {}) {
      const session = await this.open({ config: { profiles: 'some', ...config }, storage: { ...LAST_PROFILE, ...storage }, locale });
      await byTestId(session.page, 'bucket-table').waitFor();
      return session;
    },
    async stop() {
      await browser.close().catch(() => {});
      stopPreview();
    },
  };
}

/**
 * One harness for every test of a file: registers the before hook that starts it and the after
 * hook that stops it. Returns it (its `open`, `openBuckets`, … once the before hook has run).
 */
export function startForFile() {
  const harness = {};
  before(async () => Object.assign(harness, await start()), { timeout: 30_000 });
  after(() => harness.stop?.());
  return harness;
}

/** Saves target/screenshots/ui-<name>.png. */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `ui-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

/** The row of `key` in the object list. */
export const objectRow = (page, key) => page.locator(`[data-testid="object-row"][data-key="${key}"]`);

/** Opens bucket `name` from the bucket list. */
export const enterBucket = (page, name) => page.locator(`[data-testid="bucket-row"][data-name="${name}"] button`).click();

/** What the fake backend saw: calls and clipboard writes. */
export function backendState(page) {
  return page.evaluate(() => ({ calls: window.__FAKE__.calls.map((c) => c.cmd), clipboard: [...window.__FAKE__.clipboard], opened: [...window.__FAKE__.opened] }));
}
