// End-to-end test of the real OSS Lite window: tauri-driver → WebKitWebDriver → the app.
// Needs an X display and a session bus: run it through ./run.sh (Xvfb + dbus-run-session).
//
// Environment:
//   TAURI_DRIVER  path to tauri-driver (default: ~/.cargo/bin/tauri-driver)
//   OSSLITE_APP   path to the app binary (default: <repo>/target/debug/osslite)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const TAURI_DRIVER = process.env.TAURI_DRIVER || path.join(os.homedir(), '.cargo', 'bin', 'tauri-driver');
const APP = path.resolve(process.env.OSSLITE_APP || path.join(REPO, 'target', 'debug', 'osslite'));
const SCREENSHOTS = path.join(REPO, 'target', 'screenshots');
const HOST = '127.0.0.1';
const PORT = 4444;
const NATIVE_PORT = 4445;

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

/** Resolves when something accepts TCP connections on host:port. */
function portAnswers(host, port) {
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

/** Rejects after `ms` so that no WebDriver call can hang the run. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let driver; // the tauri-driver child process (leader of its own process group)
let driverLog = '';
let browser; // the WebdriverIO session
let dataHome; // a fresh XDG data/config/cache home, so localStorage starts empty

function stopDriver(signal) {
  if (!driver || driver.exitCode !== null || driver.signalCode !== null) return;
  try {
    // Negative pid: the whole group we started (tauri-driver, WebKitWebDriver, the app).
    process.kill(-driver.pid, signal);
  } catch {
    // Already gone.
  }
}

// Last resort if the process exits without running the after hook.
process.on('exit', () => stopDriver('SIGKILL'));

before(
  async () => {
    for (const [what, file] of [
      ['tauri-driver (set TAURI_DRIVER)', TAURI_DRIVER],
      ['the app binary (set OSSLITE_APP or run `cargo build -p osslite`)', APP],
    ]) {
      assert.ok(fs.existsSync(file), `${what} not found at ${file}`);
    }
    assert.ok(process.env.DISPLAY, 'DISPLAY is not set: run this through tests/e2e/run.sh (xvfb-run)');
    assert.equal(await portAnswers(HOST, PORT), false, `port ${PORT} is already in use`);

    dataHome = fs.mkdtempSync(path.join(os.tmpdir(), 'osslite-e2e-'));
    const env = {
      ...process.env,
      XDG_DATA_HOME: path.join(dataHome, 'data'),
      XDG_CONFIG_HOME: path.join(dataHome, 'config'),
      XDG_CACHE_HOME: path.join(dataHome, 'cache'),
    };
    driver = spawn(TAURI_DRIVER, ['--port', String(PORT), '--native-port', String(NATIVE_PORT)], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk) => {
      driverLog = (driverLog + chunk.toString()).slice(-20_000);
    };
    driver.stdout.on('data', collect);
    driver.stderr.on('data', collect);

    const deadline = Date.now() + 10_000;
    while (!(await portAnswers(HOST, PORT))) {
      if (driver.exitCode !== null || driver.signalCode !== null) {
        throw new Error(`tauri-driver exited early (${driver.exitCode ?? driver.signalCode}):\n${driverLog}`);
      }
      if (Date.now() > deadline) throw new Error(`tauri-driver did not open port ${PORT}:\n${driverLog}`);
      await sleep(100);
    }

    browser = await withTimeout(
      remote({
        hostname: HOST,
        port: PORT,
        logLevel: 'warn',
        connectionRetryCount: 0,
        connectionRetryTimeout: 20_000,
        waitforTimeout: 10_000,
        capabilities: { 'tauri:options': { application: APP } },
      }),
      20_000,
      'opening the WebDriver session',
    );
  },
  { timeout: 30_000 },
);

after(
  async () => {
    try {
      if (browser) await withTimeout(browser.deleteSession(), 8_000, 'deleting the session');
    } catch (error) {
      console.error(`[e2e] ${error.message}`);
    } finally {
      stopDriver('SIGTERM');
      for (let i = 0; i < 30 && driver && driver.exitCode === null && driver.signalCode === null; i++) {
        await sleep(100);
      }
      stopDriver('SIGKILL');
      if (dataHome) fs.rmSync(dataHome, { recursive: true, force: true });
    }
  },
  { timeout: 15_000 },
);

const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

async function screenshot(name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await withTimeout(browser.saveScreenshot(file), 10_000, `screenshot ${name}`);
  return file;
}

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
    if (driverLog) console.error(`[e2e] tauri-driver output:\n${driverLog}`);
    throw error;
  }
});
