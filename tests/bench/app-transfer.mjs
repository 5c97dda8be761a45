// Issue 7's benchmark, run by app-transfer.sh inside a desktop session (Xvfb, a session bus, an
// unlocked keyring) against a running sandbox: one file uploaded and downloaded with
// `osslite-cli cp` and through the real app window, same settings, in ROUNDS rounds of
//   both uploads (the CLI's to another key, deleted afterwards), then both downloads of the object
//   the app uploaded, each compared with the file and deleted; who goes first alternates.
// The app's transfers start as a user starts them: Upload → "Upload files" → the GTK dialog, and
// a click on the object → Download → the GTK "Choose a folder" dialog. Two times for the app:
//   Return → "done": from the Return that answers the dialog (taken here) to the change where its
//     panel row says "done" (a MutationObserver in the web view; the panel redraws at most every
//     250 ms, so this can trail the engine by up to 250 ms); it includes the GTK dialog's own time;
//   command → "finished": from the page sending the transfer command to its channel delivering
//     the `finished` event (the engine's time in the app, without the dialog and the redraw).
// The CLI's time runs from its start to its exit. Memory: RSS of each process, sampled every
// 200 ms during each transfer (peak and median), plus the exact high-water marks (GNU time for
// the CLI; VmHWM after resetting it through /proc/PID/clear_refs for the app's process). CPU:
// user + system seconds during the transfer.
// Usage: node app-transfer.mjs ENDPOINT BUCKET FILE WORKDIR [ROUNDS]
//   (OSSLITE_APP, OSSLITE_CLI: release builds; OSS_ACCESS_KEY_ID/SECRET: the sandbox's keys)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  APP,
  CLI,
  addSandboxProfile,
  answerFileDialog,
  byTestId,
  dismissWindows,
  groupProcesses,
  makeTempDir,
  openProfileBucket,
  removeTempDir,
  run,
  screenshotDisplay,
  spawnGroup,
  startApp,
} from '../e2e/support.mjs';

const [endpoint, bucket, file, work] = process.argv.slice(2);
assert.ok(endpoint && bucket && file && work, 'usage: node app-transfer.mjs ENDPOINT BUCKET FILE WORKDIR [ROUNDS]');
const PROFILE = 'bench';
const REGION = 'cn-hangzhou';
const UPLOAD_DIALOG = 'Upload files';
const FOLDER_DIALOG = 'Choose a folder';
const SAMPLE_MS = 200;
const MIB = 1024 * 1024;
const size = fs.statSync(file).size;
const name = path.basename(file);
const CLI_KEY = `cli-${name}`;
// Generous: 1 MiB/s would be a failure anyway.
const TRANSFER_TIMEOUT_MS = Math.max(120_000, (size / MIB) * 1000);
/** The sandbox server (app-transfer.sh passes its pid), whose CPU time is shown too. */
const SANDBOX_PID = Number(process.env.OSSLITE_SANDBOX_PID) || null;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

const log = (line) => console.log(line);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

// ------------------------------------------------------------------ processes and memory

/** Which figure a process counts towards, by its (15-character) kernel name. */
function roleOf(comm) {
  if (comm === path.basename(CLI).slice(0, 15)) return 'cli';
  if (comm === path.basename(APP).slice(0, 15)) return 'app';
  if (comm.startsWith('WebKitWebProces')) return 'web';
  if (comm.startsWith('WebKitNetworkPr')) return 'network';
  return null;
}

/** User + system CPU seconds of a process so far, or null when it is gone. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

function highWaterKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Resets a process's VmHWM to its current RSS; false when the kernel refuses (not ours, old kernel). */
function resetHighWater(pid) {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const median = (values) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
};

/**
 * Samples the RSS of the processes in `group` (a spawnGroup child) every SAMPLE_MS by role
 * (cli, app, web, network; web view = web + network), and their CPU time. stop() returns
 * { role: { peakKiB, medianKiB, hwmKiB, cpuSecs }, samples, sandboxCpuSecs }.
 */
function startSampling(group) {
  const cpuAtStart = new Map();
  const sandboxAtStart = SANDBOX_PID ? cpuSeconds(SANDBOX_PID) : null;
  const resetPids = new Set();
  for (const p of groupProcesses(group)) {
    if (!roleOf(p.comm)) continue;
    cpuAtStart.set(p.pid, cpuSeconds(p.pid) ?? 0);
    if (resetHighWater(p.pid)) resetPids.add(p.pid);
  }
  const series = { cli: [], app: [], web: [], network: [], webview: [] };
  const lastCpu = new Map();
  const roles = new Map();
  let count = 0;
  const sample = () => {
    const sums = { cli: 0, app: 0, web: 0, network: 0 };
    for (const p of groupProcesses(group)) {
      const role = roleOf(p.comm);
      if (!role) continue;
      sums[role] += p.rssKiB;
      roles.set(p.pid, role);
      const cpu = cpuSeconds(p.pid);
      if (cpu !== null) lastCpu.set(p.pid, cpu);
    }
    for (const role of Object.keys(sums)) if (sums[role] > 0) series[role].push(sums[role]);
    if (sums.web + sums.network > 0) series.webview.push(sums.web + sums.network);
    count++;
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const sandboxNow = SANDBOX_PID ? cpuSeconds(SANDBOX_PID) : null;
      const summary = { samples: count, sandboxCpuSecs: sandboxAtStart !== null && sandboxNow !== null ? sandboxNow - sandboxAtStart : null };
      for (const [role, values] of Object.entries(series)) {
        const pids = [...roles].filter(([, r]) => r === role || (role === 'webview' && (r === 'web' || r === 'network')));
        const hwm = pids.map(([pid]) => (resetPids.has(pid) ? highWaterKiB(pid) : null));
        summary[role] = {
          peakKiB: values.length ? Math.max(...values) : 0,
          medianKiB: median(values),
          // One process's exact peak (the web view's are several processes: no single figure).
          hwmKiB: pids.length === 1 && hwm[0] !== null ? hwm[0] : null,
          cpuSecs: pids.reduce((sum, [pid]) => sum + ((lastCpu.get(pid) ?? 0) - (cpuAtStart.get(pid) ?? 0)), 0),
        };
      }
      return summary;
    },
  };
}

// ------------------------------------------------------------------ the CLI

const connection = ['--endpoint', endpoint, '--region', REGION, '--addressing', 'path'];

/** Runs `osslite-cli cp` under GNU time, sampled like the app; returns seconds and memory. */
async function cliCopy(from, to, settings) {
  const timeFile = path.join(work, 'time.txt');
  const args = [
    'cp', from, to, ...connection,
    '--checkpoint-dir', path.join(work, 'checkpoints'),
    '--part-size', `${settings.partSizeMiB}M`,
    '--parallel', String(settings.partsInFlight),
    '--jobs', String(settings.filesInFlight),
    '--multipart-threshold', `${settings.multipartThresholdMiB}M`,
    '--on-conflict', 'overwrite',
  ];
  await settle();
  const load = loadavg();
  const started = performance.now();
  const child = spawnGroup('/usr/bin/time', ['-f', 'RSS %M CPU %U %S', '-o', timeFile, CLI, ...args]);
  const sampling = startSampling(child);
  const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(c ?? signal)));
  const secs = (performance.now() - started) / 1000;
  const memory = sampling.stop();
  assert.equal(code, 0, `osslite-cli ${args.join(' ')} failed:\n${child.log()}`);
  const [, rss, user, sys] = /RSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(fs.readFileSync(timeFile, 'utf8'));
  memory.cli.hwmKiB = Number(rss);
  memory.cli.cpuSecs = Number(user) + Number(sys);
  return { secs, memory, load };
}

/** Writes out dirty pages and lets the machine settle, so no run pays for the previous one's writes. */
async function settle() {
  await run('sync', [], { timeout: 300_000 });
  await sleep(2_000);
}

async function sameAsSource(copy) {
  await run('cmp', [file, copy], { timeout: 600_000 }).catch((error) => {
    throw new Error(`${copy} differs from ${file}: ${error.message}`);
  });
}

// ------------------------------------------------------------------ the app

/** The transfer settings as the app's settings dialog shows them (what its transfers use). */
async function appSettings(browser) {
  await (await byTestId(browser, 'open-settings')).click();
  await (await byTestId(browser, 'settings-dialog')).waitForDisplayed({ timeout: 5_000 });
  const settings = {};
  for (const field of ['partSizeMiB', 'multipartThresholdMiB', 'filesInFlight', 'partsInFlight']) {
    settings[field] = Number(await (await byTestId(browser, `settings-${field}`)).getValue());
    assert.ok(Number.isInteger(settings[field]) && settings[field] > 0, `settings-${field}: ${settings[field]}`);
  }
  await (await byTestId(browser, 'settings-done')).click();
  await (await byTestId(browser, 'settings-dialog')).waitForExist({ timeout: 5_000, reverse: true });
  return settings;
}

/**
 * In the page: stamps (Date.now(), comparable with this process's clock) when the panel row of
 * the next transfer (the id its channel's `queued` event gives) appears and when it says done; a
 * failed or cancelled row stamps `failed` with the reason. Also stamps when the dialog's answer
 * reached the page (the pick_files / pick_folder response), when the transfer command was sent
 * and answered, and when its channel delivered the first and the `finished` event, counting the
 * events. Tauri's invoke cannot be wrapped (a read-only property), but the IPC goes through
 * `fetch` (commands) and the `callbacks` map (responses and channel messages), which can.
 */
function armTransferWatch(browser) {
  return browser.execute(() => {
    const watch = {
      shown: null, done: null, failed: null, id: null,
      picked: null, called: null, answered: null, firstEvent: null, verifying: null, finished: null, events: 0,
    };
    window.__transfer = watch;
    if (!window.__benchWrapped) {
      window.__benchWrapped = true;
      const fetch = window.fetch.bind(window);
      window.fetch = (url, init) => {
        const w = window.__transfer;
        const command = /^ipc:\/\/localhost\/([a-z_]+)/.exec(String(url))?.[1];
        const response = fetch(url, init);
        if (command === 'pick_files' || command === 'pick_folder') {
          response.then(() => (w.picked ??= Date.now()), () => {});
        } else if (command === 'transfer_upload' || command === 'transfer_download') {
          w.called ??= Date.now();
          response.then(() => (w.answered ??= Date.now()), () => {});
        }
        return response;
      };
      const callbacks = window.__TAURI_INTERNALS__.callbacks;
      const get = Map.prototype.get;
      callbacks.get = function (id) {
        const callback = get.call(this, id);
        if (!callback) return callback;
        return (data) => {
          const event = data?.message?.event;
          if (typeof event === 'string' && typeof data.index === 'number') {
            const w = window.__transfer;
            w.events++;
            w.firstEvent ??= Date.now();
            if (event === 'queued') w.id ??= String(data.message.transfer.id);
            if (data.message.state === 'verifying') w.verifying ??= Date.now();
            if (event === 'finished') w.finished ??= Date.now();
          }
          return callback(data);
        };
      };
    }
    const check = () => {
      const row = watch.id === null ? null : document.querySelector(`[data-testid="transfer-row"][data-id="${watch.id}"]`);
      if (!row) return;
      watch.shown ??= Date.now();
      if (row.dataset.state === 'done') watch.done = Date.now();
      else if (row.dataset.state === 'failed' || row.dataset.state === 'cancelled') {
        watch.failed = `${row.dataset.state}: ${row.querySelector('[data-testid="transfer-reason"]')?.textContent ?? ''}`;
      }
      if (watch.done !== null || watch.failed !== null) observer.disconnect();
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state', 'data-id'] });
  });
}

/**
 * Clicks `button` (answered by WebKitWebDriver only after the dialog it opens has closed), answers
 * the dialog; `beforeReturn` runs just before the Return that starts the transfer.
 */
async function throughDialog(button, title, text, beforeReturn) {
  const clicking = button.click();
  clicking.catch(() => {}); // awaited below
  const pressed = await answerFileDialog(title, text, { beforeReturn });
  await clicking;
  return pressed;
}

/**
 * Waits for the watched row to be done; returns the page's stamps. Each WebDriver call waits in
 * the page for up to 10 s (WebKitWebDriver runs its scripts through the app's process: polling
 * from here twice a second would add work to what is measured).
 */
async function transferDone(browser) {
  const deadline = Date.now() + TRANSFER_TIMEOUT_MS;
  for (;;) {
    const watch = await browser.execute(
      (ms) =>
        new Promise((resolve) => {
          const until = Date.now() + ms;
          const check = () => {
            const w = window.__transfer;
            if (w.done !== null || w.failed !== null || Date.now() > until) resolve(w);
            else setTimeout(check, 50);
          };
          check();
        }),
      10_000,
    );
    if (watch.failed) throw new Error(`the transfer ${watch.failed}`);
    if (watch.done !== null) return watch;
    if (Date.now() > deadline) throw new Error(`the transfer row did not say done within ${TRANSFER_TIMEOUT_MS} ms`);
  }
}

/** The figures of one app transfer from the page's stamps. */
function appFigures(pressed, watch, memory, load) {
  return {
    secs: (watch.done - pressed) / 1000,
    engineSecs: (watch.finished - watch.called) / 1000,
    pressed,
    watch,
    memory,
    load,
  };
}

async function appUpload(app, browser) {
  // The listing must not show the name any more (a conflict dialog would ask about it).
  await (await byTestId(browser, 'refresh')).click();
  await browser.$(`[data-testid="object-row"][data-key="${name}"]`).waitForExist({ timeout: 20_000, reverse: true });
  await settle();
  const load = loadavg();
  await armTransferWatch(browser);
  await (await byTestId(browser, 'upload')).click();
  const item = await byTestId(browser, 'upload-files');
  await item.waitForDisplayed({ timeout: 5_000 });
  let sampling;
  const pressed = await throughDialog(item, UPLOAD_DIALOG, file, () => (sampling = startSampling(app.driver)));
  const watch = await transferDone(browser);
  return appFigures(pressed, watch, sampling.stop(), load);
}

async function appDownload(app, browser, folder) {
  const row = await browser.$(`[data-testid="object-row"][data-key="${name}"]`);
  await row.waitForDisplayed({ timeout: 20_000 });
  await row.click();
  await browser.waitUntil(async () => (await (await byTestId(browser, 'download')).getAttribute('disabled')) === null, {
    timeout: 5_000,
    timeoutMsg: 'Download stays disabled after selecting the object',
  });
  await settle();
  const load = loadavg();
  await armTransferWatch(browser);
  let sampling;
  const pressed = await throughDialog(await byTestId(browser, 'download'), FOLDER_DIALOG, folder, () => (sampling = startSampling(app.driver)));
  const watch = await transferDone(browser);
  return appFigures(pressed, watch, sampling.stop(), load);
}

// ------------------------------------------------------------------ the run

const mib = (kib) => (kib ? (kib / 1024).toFixed(0) : '–');
const rate = (secs) => size / MIB / secs;
const spread = (values, digits = 2) => {
  const m = median(values).toFixed(digits);
  return values.length > 1 ? `${m} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : m;
};

function printTable(settings, rounds, results) {
  const widths = [9, 26, 22, 6, 7, 16, 16, 11, 9];
  const line = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' ');
  console.log(
    `${size / MIB} MiB file; ${settings.partSizeMiB} MiB parts, ${settings.partsInFlight} parts in flight, ` +
      `${settings.filesInFlight} files at once, multipart above ${settings.multipartThresholdMiB} MiB (the app's settings, given to the CLI); ` +
      `loopback sandbox; ${os.cpus().length} cores; ${rounds} round(s): median (min–max), memory over all rounds`,
  );
  console.log(line(['direction', 'run', 'seconds', 'MiB/s', 'vs CLI', 'process RSS MiB', 'web view RSS', 'CPU s', 'load']));
  console.log(line(['', '', '', '', '', 'peak (median)', 'peak (median)', 'proc+view', '1 min']));
  for (const direction of ['upload', 'download']) {
    const { cli, app } = results[direction];
    const cliSecs = median(cli.map((r) => r.secs));
    const memoryOf = (runs, role) => {
      const figures = runs.map((r) => r.memory[role]);
      return `${mib(Math.max(...figures.map((f) => f.peakKiB)))} (${mib(median(figures.map((f) => f.medianKiB)))})`;
    };
    const loads = (runs) => spread(runs.map((r) => Number(r.load.split(' ')[0])), 1).split(' ')[0];
    console.log(
      line([
        direction,
        'osslite-cli cp: start→exit',
        spread(cli.map((r) => r.secs)),
        rate(cliSecs).toFixed(0),
        '',
        memoryOf(cli, 'cli'),
        '–',
        median(cli.map((r) => r.memory.cli.cpuSecs)).toFixed(1),
        loads(cli),
      ]),
    );
    const appSecs = median(app.map((r) => r.secs));
    const cpu = `${median(app.map((r) => r.memory.app.cpuSecs)).toFixed(1)}+${median(app.map((r) => r.memory.webview.cpuSecs)).toFixed(1)}`;
    console.log(
      line(['', 'app: Return→row "done"', spread(app.map((r) => r.secs)), rate(appSecs).toFixed(0), (rate(appSecs) / rate(cliSecs)).toFixed(2), memoryOf(app, 'app'), memoryOf(app, 'webview'), cpu, loads(app)]),
    );
    const engineSecs = median(app.map((r) => r.engineSecs));
    console.log(line(['', 'app: command→"finished"', spread(app.map((r) => r.engineSecs)), rate(engineSecs).toFixed(0), (rate(engineSecs) / rate(cliSecs)).toFixed(2), '', '', '', '']));
  }
  console.log("exact peaks over all rounds (high-water marks), the web view's processes (sampled); the sandbox server's CPU s (median):");
  for (const direction of ['upload', 'download']) {
    const { cli, app } = results[direction];
    const most = (runs, pick) => mib(Math.max(...runs.map(pick)));
    const server = (runs) => (runs.every((r) => r.memory.sandboxCpuSecs !== null) ? median(runs.map((r) => r.memory.sandboxCpuSecs)).toFixed(1) : '–');
    console.log(
      `  ${direction.padEnd(8)} osslite-cli ${most(cli, (r) => r.memory.cli.hwmKiB ?? 0)} MiB; app process ${most(app, (r) => r.memory.app.hwmKiB ?? 0)} MiB; ` +
        `WebKitWebProcess ${most(app, (r) => r.memory.web.peakKiB)} MiB, WebKitNetworkProcess ${most(app, (r) => r.memory.network.peakKiB)} MiB; ` +
        `sandbox ${server(cli)} s with the CLI, ${server(app)} s with the app`,
    );
  }
  console.log(
    "the app's steps after the dialog's Return, ms (median): answer in the page / transfer command sent / answered / " +
      "first channel event / first 'verifying' (all bytes sent) / 'finished' event / row drawn \"done\"; channel events",
  );
  for (const direction of ['upload', 'download']) {
    const runs = results[direction].app;
    const at = (key) => median(runs.map((r) => r.watch[key] - r.pressed)).toFixed(0);
    console.log(
      `  ${direction.padEnd(8)} ${['picked', 'called', 'answered', 'firstEvent', 'verifying', 'finished', 'done'].map(at).join(' / ')}; ` +
        `${median(runs.map((r) => r.watch.events))} events`,
    );
  }
}

async function main() {
  const rounds = Number(process.argv[6] ?? 1);
  assert.ok(Number.isInteger(rounds) && rounds > 0, `ROUNDS must be a positive whole number, not ${process.argv[6]}`);
  const dataHome = makeTempDir('osslite-bench-transfer-');
  const downloads = path.join(work, 'app-downloads');
  fs.mkdirSync(downloads, { recursive: true });
  await addSandboxProfile(dataHome, {
    name: PROFILE,
    region: REGION,
    endpoint,
    keys: { id: process.env.OSS_ACCESS_KEY_ID, secret: process.env.OSS_ACCESS_KEY_SECRET },
  });
  const app = await startApp({ reuse: dataHome });
  const { browser } = app;
  const results = { upload: { cli: [], app: [] }, download: { cli: [], app: [] } };
  let settings;
  try {
    await openProfileBucket(browser, PROFILE, bucket);
    await (await byTestId(browser, 'upload')).waitForDisplayed({ timeout: 20_000 });

    settings = await appSettings(browser);
    log(`the app's transfer settings: ${JSON.stringify(settings)}`);
    const cliDownload = path.join(work, `cli-${name}`);
    const appDownloaded = path.join(downloads, name);

    // Each round: both uploads, then both downloads of the object the app uploaded; who goes
    // first alternates from round to round.
    for (let round = 1; round <= rounds; round++) {
      const cliFirst = round % 2 === 1;
      const uploads = [
        async () => {
          results.upload.cli.push(await cliCopy(file, `oss://${bucket}/${CLI_KEY}`, settings));
          log(`round ${round}: CLI upload ${results.upload.cli.at(-1).secs.toFixed(2)} s (load ${results.upload.cli.at(-1).load})`);
          await run(CLI, ['rm', `oss://${bucket}/${CLI_KEY}`, ...connection], { timeout: 60_000 });
        },
        async () => {
          results.upload.app.push(await appUpload(app, browser));
          log(`round ${round}: app upload ${results.upload.app.at(-1).secs.toFixed(2)} s (load ${results.upload.app.at(-1).load})`);
        },
      ];
      const downloadsInOrder = [
        async () => {
          results.download.cli.push(await cliCopy(`oss://${bucket}/${name}`, cliDownload, settings));
          log(`round ${round}: CLI download ${results.download.cli.at(-1).secs.toFixed(2)} s (load ${results.download.cli.at(-1).load})`);
          await sameAsSource(cliDownload);
          fs.rmSync(cliDownload);
        },
        async () => {
          results.download.app.push(await appDownload(app, browser, downloads));
          log(`round ${round}: app download ${results.download.app.at(-1).secs.toFixed(2)} s (load ${results.download.app.at(-1).load})`);
          await sameAsSource(appDownloaded);
          fs.rmSync(appDownloaded);
        },
      ];
      if (!cliFirst) {
        uploads.reverse();
        downloadsInOrder.reverse();
      }
      for (const step of [...uploads, ...downloadsInOrder]) await step();
      await run(CLI, ['rm', `oss://${bucket}/${name}`, ...connection], { timeout: 60_000 });
    }
  } catch (error) {
    await screenshotDisplay('bench-app-transfer-failure.png').catch(() => {});
    console.error(`tauri-driver output:\n${app.log()}`);
    throw error;
  } finally {
    await dismissWindows(UPLOAD_DIALOG).catch(() => {});
    await dismissWindows(FOLDER_DIALOG).catch(() => {});
    await app.stop();
    removeTempDir(dataHome);
  }
  printTable(settings, rounds, results);
}

await main();
process.exit(0);
