// What the end-to-end tests share: paths, timeouts, starting and stopping tauri-driver (which
// starts WebKitWebDriver, which starts the app), child processes that can never outlive the run,
// screenshots, and small helpers for commands with a time limit.
//
// Environment:
//   TAURI_DRIVER  path to tauri-driver (default: ~/.cargo/bin/tauri-driver)
//   OSSLITE_APP   path to the app binary (default: <repo>/target/debug/osslite)
//   OSSLITE_CLI   path to the CLI binary (default: <repo>/target/debug/osslite-cli)
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { remote } from 'webdriverio';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const TAURI_DRIVER = process.env.TAURI_DRIVER || path.join(os.homedir(), '.cargo', 'bin', 'tauri-driver');
export const APP = path.resolve(process.env.OSSLITE_APP || path.join(REPO, 'target', 'debug', 'osslite'));
export const CLI = path.resolve(process.env.OSSLITE_CLI || path.join(REPO, 'target', 'debug', 'osslite-cli'));
export const SCREENSHOTS = path.join(REPO, 'target', 'screenshots');
export const HOST = '127.0.0.1';

/** Resolves true when something accepts TCP connections on host:port. */
export function portAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A TCP port that was free a moment ago (another e2e run may share the machine). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Rejects after `ms` so that no WebDriver call can hang the run. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it returns a truthy value, which is returned. */
export async function waitFor(check, { timeout = 10_000, interval = 100, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen within ${timeout} ms${last ? `: ${last.message}` : ''}`);
    }
    await sleep(interval);
  }
}

/**
 * Runs a command to completion with a time limit; resolves { stdout, stderr } as Buffers and
 * rejects (with both outputs in the message) on a non-zero exit or the time limit.
 */
export function run(file, args, { timeout = 15_000, env, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout, killSignal: 'SIGKILL', encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: env ?? process.env },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed ? `was killed after ${timeout} ms` : `failed (${error.code ?? error.signal})`;
          reject(new Error(`${path.basename(file)} ${args.join(' ')} ${why}\n${stderr}\n${String(stdout).slice(0, 2000)}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    if (input !== undefined) child.stdin.end(input);
  });
}

// Every process group started here, killed on exit even when an after hook never ran: also on
// SIGTERM/SIGINT/SIGHUP (run.sh's `timeout` signals the test processes, not these groups).
const groups = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const child of groups) signalGroup(child, 'SIGKILL');
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});
for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    console.error(`[e2e] ${signal}: stopping everything this test started`);
    process.exit(code); // runs the 'exit' handler above
  });
}

function alive(child) {
  return child.exitCode === null && child.signalCode === null;
}

function signalGroup(child, signal) {
  if (!child || !alive(child)) return;
  try {
    // Negative pid: the whole group (the child and everything it started).
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts a long-running command as the leader of its own process group; its output is kept
 * (the last 20,000 characters) for failure messages as `child.log()`.
 */
export function spawnGroup(file, args, { env } = {}) {
  const child = spawn(file, args, { env: env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const collect = (chunk) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.log = () => log;
  groups.add(child);
  child.once('exit', () => groups.delete(child));
  return child;
}

/** A new temporary folder, removed by `removeTempDir` or, at the latest, when the process exits. */
export function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader has exited. */
export async function stopGroup(child, graceMs = 3_000) {
  if (!child) return;
  signalGroup(child, 'SIGTERM');
  for (let waited = 0; alive(child) && waited < graceMs; waited += 100) await sleep(100);
  signalGroup(child, 'SIGKILL');
  for (let waited = 0; alive(child) && waited < 2_000; waited += 100) await sleep(100);
  groups.delete(child);
}

/** Fails early, with a clear message, when a tool or binary the tests need is missing. */
export function assertPrerequisites(extra = []) {
  for (const [what, file] of [
    ['tauri-driver (set TAURI_DRIVER)', TAURI_DRIVER],
    ['the app binary (set OSSLITE_APP or run `cargo build -p osslite`)', APP],
    ...extra,
  ]) {
    assert.ok(fs.existsSync(file), `${what} not found at ${file}`);
  }
  assert.ok(process.env.DISPLAY, 'DISPLAY is not set: run this through tests/e2e/run.sh (xvfb-run)');
}

/** The app's XDG data, config and cache homes under `dataHome`. */
export function xdgHomes(dataHome) {
  return {
    XDG_DATA_HOME: path.join(dataHome, 'data'),
    XDG_CONFIG_HOME: path.join(dataHome, 'config'),
    XDG_CACHE_HOME: path.join(dataHome, 'cache'),
  };
}

/**
 * Starts tauri-driver on free ports and opens a WebDriver session, which starts the app with
 * fresh XDG data/config/cache homes (so localStorage and the profile list start empty), or with
 * those of `reuse` (an earlier app's `dataHome`, as a restart would find them; then stop() keeps them).
 * Returns { browser, dataHome, env, driver, log(), stop() }; stop() never throws and never hangs.
 */
export async function startApp({ reuse } = {}) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();

  const dataHome = reuse ?? makeTempDir('osslite-e2e-app-');
  const env = { ...process.env, ...xdgHomes(dataHome) };
  const driver = spawnGroup(TAURI_DRIVER, ['--port', String(port), '--native-port', String(nativePort)], { env });
  const app = {
    browser: null,
    dataHome,
    env,
    driver,
    log: () => driver.log(),
    async stop() {
      try {
        if (app.browser) await withTimeout(app.browser.deleteSession(), 8_000, 'deleting the session');
      } catch (error) {
        console.error(`[e2e] ${error.message}`);
      } finally {
        app.browser = null;
        await stopGroup(driver);
        if (!reuse) removeTempDir(dataHome);
      }
    },
  };

  try {
    await waitFor(
      async () => {
        if (!alive(driver)) throw new Error(`tauri-driver exited early (${driver.exitCode ?? driver.signalCode}):\n${driver.log()}`);
        // tauri-driver forwards to WebKitWebDriver, which starts listening a moment later: a
        // session requested before that fails with "connection refused".
        return (await portAnswers(HOST, port)) && (await portAnswers(HOST, nativePort));
      },
      { timeout: 10_000, what: `tauri-driver (port ${port}) and WebKitWebDriver (port ${nativePort}) listening` },
    );
    app.browser = await withTimeout(
      remote({
        hostname: HOST,
        port,
        logLevel: 'warn',
        connectionRetryCount: 0,
        connectionRetryTimeout: 20_000,
        waitforTimeout: 10_000,
        capabilities: { 'tauri:options': { application: APP } },
      }),
      20_000,
      'opening the WebDriver session',
    );
  } catch (error) {
    await app.stop();
    throw new Error(`${error.message}\n[tauri-driver output]\n${driver.log()}`);
  }
  return app;
}

/** The element with this `data-testid`. */
export const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/**
 * Opens the bucket's root through the breadcrumbs: its crumb, or, when a narrow bar has folded it
 * into "…", the first entry of that menu.
 */
export async function goToBucketRoot(browser) {
  const crumb = await byTestId(browser, 'crumb-bucket');
  if (await crumb.isDisplayed()) return crumb.click();
  await (await byTestId(browser, 'crumb-more')).click();
  await (await byTestId(browser, 'menu-crumb-0')).click();
}

/**
 * Saves a WebDriver screenshot of the web view to target/screenshots/NAME. WebKitGTK's screenshot
 * is the last frame it presented, which can lag the DOM by several steps (seen: a form before its
 * last four inputs): wait for two animation frames (at most 1 s) first, so the frame is current.
 * Painted without compositing (no GPU), WebKitGTK answers a screenshot only after its next paint,
 * and an idle page never paints: a near-transparent pixel in the corner flickers for 2 s to give
 * it paints to answer after (it does not show in the image).
 */
export async function screenshot(browser, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await withTimeout(
    browser.execute(
      () =>
        new Promise((resolve) => {
          const pixel = document.createElement('div');
          pixel.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0.01;pointer-events:none;background:#000';
          document.body.append(pixel);
          let flips = 0;
          const flicker = setInterval(() => {
            pixel.style.background = flips++ % 2 ? '#000' : '#fff';
            if (flips > 40) {
              clearInterval(flicker);
              pixel.remove();
            }
          }, 50);
          setTimeout(resolve, 1000);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        }),
    ),
    5_000,
    `waiting for a frame before screenshot ${name}`,
  );
  await withTimeout(browser.saveScreenshot(file), 10_000, `screenshot ${name}`);
  return file;
}

/** Saves a screenshot of the whole X display (native windows included) to target/screenshots/NAME. */
export async function screenshotDisplay(name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await run('/usr/bin/import', ['-window', 'root', file], { timeout: 15_000 });
  return file;
}

/** Window ids of mapped native windows titled exactly `title` (a GTK file dialog, say). */
export async function windowsTitled(title) {
  try {
    const { stdout } = await run('xdotool', ['search', '--onlyvisible', '--name', `^${title}$`], { timeout: 5_000 });
    return stdout.toString().split(/\s+/).filter(Boolean);
  } catch {
    return []; // xdotool search exits 1 when nothing matches
  }
}

/**
 * Answers the GTK file dialog titled `title` (rfd opens it on the app's main thread: save, open or
 * folder chooser) by typing `file` into its location field and pressing Return; resolves, once the
 * dialog has closed, the Date.now() taken just before Return. `beforeReturn()` runs right before
 * it; `screenshotName` saves the whole display while the dialog is open.
 */
export async function answerFileDialog(title, file, { screenshotName, beforeReturn } = {}) {
  const [dialog] = await waitFor(
    async () => {
      const ids = await windowsTitled(title);
      return ids.length > 0 ? ids : null;
    },
    { timeout: 15_000, what: `the "${title}" window` },
  );
  await run('xdotool', ['windowfocus', '--sync', dialog], { timeout: 5_000 });
  await sleep(500); // let GTK finish mapping and focus the name field
  if (screenshotName) await screenshotDisplay(screenshotName);
  // Alt+Home leaves "Recent", where GTK opens without a start folder: there a folder chooser
  // ignores a typed path (Return does nothing). Ctrl+L then shows the location field (an open or
  // folder chooser has none until then, and would take the first typed '/' to open it, losing the
  // next characters); a save dialog focuses its name field.
  for (const key of ['alt+Home', 'ctrl+l']) {
    await run('xdotool', ['key', '--clearmodifiers', key], { timeout: 5_000 });
    await sleep(300);
  }
  await run('xdotool', ['key', '--clearmodifiers', 'ctrl+a'], { timeout: 5_000 });
  await run('xdotool', ['type', '--delay', '15', file], { timeout: 15_000 });
  await sleep(500); // the location field's completion settles
  beforeReturn?.();
  const pressed = Date.now();
  await run('xdotool', ['key', 'Return'], { timeout: 5_000 });
  await waitFor(async () => (await windowsTitled(title)).length === 0, { timeout: 10_000, what: `the "${title}" window closing` });
  return pressed;
}

/** Opens the saved profile `name` from the profile screen, then its bucket `bucket`. */
export async function openProfileBucket(browser, name, bucket) {
  const profile = await browser.$(`[data-testid="profile-item"][data-name="${name}"] [data-testid="profile-open"]`);
  await profile.waitForDisplayed({ timeout: 20_000 });
  await profile.click();
  const bucketButton = await browser.$(`[data-testid="bucket-row"][data-name="${bucket}"] button`);
  await bucketButton.waitForDisplayed({ timeout: 20_000 });
  await bucketButton.click();
}

/** Presses Escape in every open window titled `title` (a dialog a failed step left open). */
export async function dismissWindows(title) {
  for (const id of await windowsTitled(title)) {
    await run('xdotool', ['windowfocus', id], { timeout: 3_000 }).catch(() => {});
    await run('xdotool', ['key', 'Escape'], { timeout: 3_000 }).catch(() => {});
  }
}

/**
 * Processes of `group` (a spawnGroup child: tauri-driver, say, whose group holds WebKitWebDriver,
 * the app and its WebKit processes) as [{ pid, comm, rssKiB }].
 */
export function groupProcesses(group) {
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const pgrp = Number(stat.slice(close + 2).split(' ')[2]);
      if (pgrp !== group.pid) continue;
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${name}/status`, 'utf8'));
      found.push({ pid: Number(name), comm, rssKiB: rss ? Number(rss[1]) : 0 });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** The app's own process (the Rust side) under a startApp() driver, or null. */
export function appProcess(app) {
  const comm = path.basename(APP).slice(0, 15); // the kernel keeps 15 characters of the name
  return groupProcesses(app.driver).find((p) => p.comm === comm) ?? null;
}

/** Deterministic bytes from a seed (so a failure can be replayed): printable text or binary. */
export function patternBytes(size, seed, text = false) {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = text ? 32 + (x % 95) : x & 0xff;
  }
  return out;
}

/**
 * Starts `osslite-cli sandbox ARGS...` (the local OSS-compatible server, on a free loopback port);
 * resolves { server, endpoint } once it has printed where it listens. Stop it with stopGroup(server).
 */
export async function startSandbox(args) {
  const server = spawnGroup(CLI, ['sandbox', ...args]);
  const match = await waitFor(
    () => {
      if (!alive(server)) throw new Error(`the sandbox exited:\n${server.log()}`);
      return /^endpoint: (http:\/\/127\.0\.0\.1:\d+)\s*$/m.exec(server.log());
    },
    { timeout: 10_000, what: 'the sandbox printing its endpoint' },
  );
  return { server, endpoint: match[1] };
}

/**
 * Uploads `body` through a URL presigned by the CLI (outside the app; the same signing, no SDK);
 * resolves the ETag. `keys` is { id, secret }.
 */
export async function putObject({ endpoint, region, bucket, key, body, keys }) {
  const { stdout } = await run(
    CLI,
    ['presign', `oss://${bucket}/${key}`, '--method', 'put', '--endpoint', endpoint, '--addressing', 'path', '--region', region],
    { env: { ...process.env, OSS_ACCESS_KEY_ID: keys.id, OSS_ACCESS_KEY_SECRET: keys.secret } },
  );
  const response = await fetch(stdout.toString().trim(), { method: 'PUT', body, signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200, `PUT ${key}: ${response.status} ${await response.text()}`);
  return (response.headers.get('etag') ?? '').replace(/"/g, '');
}

/**
 * Saves a profile for a sandbox with `osslite-cli profile add` into the XDG homes under `dataHome`
 * (start the app with startApp({ reuse: dataHome }) to find it). The secret goes to the session's
 * keyring through stdin, never an argument. `keys` is { id, secret }; `addressing` is path unless
 * given (cname with `presetPath` oss://BUCKET/ for a custom domain bound to BUCKET).
 */
export async function addSandboxProfile(dataHome, { name, region, endpoint, keys, addressing = 'path', presetPath }) {
  await run(
    CLI,
    [
      'profile', 'add', name, '--region', region, '--endpoint', endpoint, '--addressing', addressing,
      ...(presetPath ? ['--path', presetPath] : []),
      '--access-key-id', keys.id,
    ],
    { env: { ...process.env, ...xdgHomes(dataHome) }, input: `${keys.secret}\n` },
  );
}

/**
 * The set-up most e2e files share: a sandbox (under `work`, a new temporary folder named after
 * `name`) serving `buckets` with `keys` ({ id, secret }) and `sandboxArgs` besides, the objects of
 * `seed` ([{ key, body, bucket?, region? }], into the first bucket unless named, signed for `region`
 * unless that bucket is served in another one) put into it, then the app:
 * with a path-style profile `profile` for the sandbox saved first, or with no profile.
 * `prepare({ work, endpoint, appHome })` runs just before the app starts (appHome: null without `profile`).
 * Resolves { work, sandbox, endpoint, etags (key → ETag), app, browser }; `stopSandboxApp` ends it.
 */
export async function startSandboxApp({ name, buckets, region, keys, seed = [], sandboxArgs = [], profile, prepare }) {
  const setup = { work: makeTempDir(`osslite-e2e-${name}-`), sandbox: null, endpoint: null, etags: new Map(), app: null, browser: null };
  try {
    ({ server: setup.sandbox, endpoint: setup.endpoint } = await startSandbox([
      '--root', path.join(setup.work, 'sandbox'),
      ...buckets.flatMap((bucket) => ['--bucket', bucket]),
      '--region', region,
      '--access-key-id', keys.id,
      '--access-key-secret', keys.secret,
      ...sandboxArgs,
    ]));
    const { endpoint } = setup;
    for (const { key, body, bucket = buckets[0], region: bucketRegion = region } of seed) {
      setup.etags.set(key, await putObject({ endpoint, region: bucketRegion, bucket, key, body, keys }));
    }
    const appHome = profile ? makeTempDir('osslite-e2e-app-') : null;
    if (profile) await addSandboxProfile(appHome, { name: profile, region, endpoint, keys });
    await prepare?.({ work: setup.work, endpoint, appHome });
    setup.app = await startApp(appHome ? { reuse: appHome } : {});
    setup.browser = setup.app.browser;
    return setup;
  } catch (error) {
    await stopSandboxApp(setup);
    throw error;
  }
}

/** Stops what `startSandboxApp` started and removes its folders; never throws. */
export async function stopSandboxApp(setup) {
  try {
    await setup?.app?.stop();
  } finally {
    await stopGroup(setup?.sandbox);
    removeTempDir(setup?.app?.dataHome);
    removeTempDir(setup?.work);
  }
}

/**
 * One window on one sandbox for a whole test file: a before hook checks the binaries, runs
 * `startSandboxApp(options)`, then `started(setup)` (a hook of the file's own would run alongside,
 * not after: node:test does not wait for one top-level hook before starting the next); an after
 * hook runs `beforeStop()` (dismissing a native dialog a failed step left open, say), then
 * `stopSandboxApp`. Returns the session: `setup` and `browser` once started, helpers bound to that
 * window, and `step`, a scenario that saves both screenshots and the driver's and sandbox's output
 * when a step fails.
 */
export function sandboxAppSession(options, { started, beforeStop } = {}) {
  const session = {
    setup: null,
    get browser() {
      return session.setup?.browser;
    },
    byTestId: (id) => byTestId(session.browser, id),
    objectRow: (key) => session.browser.$(`[data-testid="object-row"][data-key="${key}"]`),
    screenshot: (name) => screenshot(session.browser, name),
    doubleClickRow: (key) => doubleClickRow(session.browser, key),
    waitForText: (id, pattern, timeout) => waitForText(session.browser, id, pattern, timeout),
    shownKeys: () => shownKeys(session.browser),
    step: scenario(async (slug) => {
      await screenshot(session.browser, `e2e-failure-${slug}.png`).catch(() => {});
      await screenshotDisplay(`e2e-failure-${slug}-display.png`).catch(() => {});
      const { app, sandbox } = session.setup ?? {};
      console.error(`[e2e] tauri-driver output:\n${app?.log() ?? ''}\n[e2e] sandbox output:\n${sandbox?.log() ?? ''}`);
    }),
  };
  before(
    async () => {
      assertPrerequisites([['the CLI binary, which serves the sandbox (set OSSLITE_CLI or run `cargo build -p osslite-cli`)', CLI]]);
      session.setup = await startSandboxApp(options);
      started?.(session.setup);
    },
    { timeout: 60_000 },
  );
  after(
    async () => {
      try {
        await beforeStop?.();
      } finally {
        await stopSandboxApp(session.setup);
      }
    },
    { timeout: 30_000 },
  );
  return session;
}

/**
 * Steps of one scenario on one window, run in order: after a failed (or timed-out) step the rest
 * are skipped. `onFailure(slug)` saves what helps to understand the failure.
 */
export function scenario(onFailure) {
  let unfinished = null;
  return function step(name, timeout, body) {
    test(name, { timeout }, async (t) => {
      if (unfinished) {
        t.skip(`"${unfinished}" did not pass`);
        return;
      }
      unfinished = name;
      try {
        await body();
        unfinished = null;
      } catch (error) {
        await onFailure(name.split(':')[0].replace(/[^a-z0-9]+/gi, '-').toLowerCase()).catch(() => {});
        throw error;
      }
    });
  };
}

/** Waits until [data-testid=ID] exists with text matching `pattern`; returns the text. */
export async function waitForText(browser, id, pattern, timeout = 10_000) {
  let last = '';
  await browser.waitUntil(
    async () => {
      const element = await byTestId(browser, id);
      if (!(await element.isExisting())) return false;
      last = await element.getText();
      return pattern.test(last);
    },
    { timeout, timeoutMsg: `[data-testid="${id}"] never matched ${pattern} (last: ${JSON.stringify(last)})` },
  );
  return last;
}

/** Keys of the object rows in the order shown. */
export const shownKeys = (browser) =>
  browser.execute(() => [...document.querySelectorAll('[data-testid="object-row"]')].map((row) => row.dataset.key));

/**
 * Double-clicks an object row, as a user opening a folder. Waits out the double-click time first:
 * the pointer is still where the previous double-click was, and GTK would count these clicks as the
 * 3rd and 4th of a series, which is no double-click.
 */
export async function doubleClickRow(browser, key) {
  const row = await browser.$(`[data-testid="object-row"][data-key="${key}"]`);
  await row.waitForDisplayed({ timeout: 10_000 });
  await sleep(600);
  await row.doubleClick();
}
