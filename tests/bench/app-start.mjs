// Cold start and idle memory of the real app window, run by app-start.sh in a desktop session.
//   cold start  the app process's start (/proc/PID/stat, 10 ms ticks) → the web view's first
//               contentful paint of the start screen (Paint Timing, epoch ms); a fresh process and
//               fresh XDG homes each run; the median of RUNS
//   memory      RSS and PSS (/proc/PID/smaps_rollup; PSS shares libraries fairly between the
//               processes, so it adds up) of the app, WebKitWebProcess and WebKitNetworkProcess,
//               3 s after the start screen, and 3 s after a folder of 1,000 objects is drawn
//   where       the Rust process's RSS by kind of mapping: heap and anonymous (glibc arenas, thread
//               stacks), the binary, shared libraries, other files; and its thread count
// Usage: node app-start.mjs ENDPOINT BUCKET FOLDER RUNS   (OSSLITE_APP: a release build)
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { addSandboxProfile, appProcess, byTestId, groupProcesses, makeTempDir, openProfileBucket, startApp } from '../e2e/support.mjs';

const [endpoint, bucket, folder, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const CLOCK_TICKS = 100; // USER_HZ on Linux
const mib = (kib) => (kib / 1024).toFixed(0);

/** When the process started, in epoch milliseconds (10 ms resolution). */
function startedAtMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const uptimeSecs = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - (uptimeSecs - startTicks / CLOCK_TICKS) * 1000;
}

function rollup(pid) {
  const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: field('Rss'), pss: field('Pss') };
}

function memory(app, label) {
  const kinds = { app: [], WebKitWebProcess: [], WebKitNetworkProcess: [] };
  const own = appProcess(app);
  for (const p of groupProcesses(app.driver)) {
    if (own && p.pid === own.pid) kinds.app.push(p.pid);
    else if (p.comm.startsWith('WebKitWebProces')) kinds.WebKitWebProcess.push(p.pid);
    else if (p.comm.startsWith('WebKitNetworkPr')) kinds.WebKitNetworkProcess.push(p.pid);
  }
  let total = { rss: 0, pss: 0 };
  const parts = [];
  for (const [kind, pids] of Object.entries(kinds)) {
    const sum = pids.map(rollup).reduce((a, b) => ({ rss: a.rss + b.rss, pss: a.pss + b.pss }), { rss: 0, pss: 0 });
    total = { rss: total.rss + sum.rss, pss: total.pss + sum.pss };
    parts.push(`${kind} ${mib(sum.rss)}/${mib(sum.pss)}`);
  }
  console.log(`memory, ${label} (RSS/PSS MiB): ${parts.join(', ')}; all ${mib(total.rss)}/${mib(total.pss)}`);
  if (own) where(own.pid, label);
}

/** The Rust process's resident memory by kind of mapping. */
function where(pid, label) {
  const lines = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n');
  const byKind = {};
  let kind = null;
  for (const line of lines) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1];
      kind = name === '[heap]' ? 'heap' : name === '' ? 'anonymous (arenas, stacks)' : name.startsWith('[') ? 'other' : name === fs.realpathSync(`/proc/${pid}/exe`) ? 'binary' : /\.so/.test(name) ? 'shared libraries' : 'other files';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && kind) byKind[kind] = (byKind[kind] ?? 0) + Number(rss[1]);
  }
  const threads = /^Threads:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  const parts = Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${mib(v)}`);
  console.log(`  app process, ${label} (RSS MiB): ${parts.join(', ')}; ${threads} threads`);
}

async function coldStart() {
  const app = await startApp();
  try {
    const { browser } = app;
    await (await byTestId(browser, 'app-title')).waitForDisplayed({ timeout: 30_000 });
    const own = appProcess(app);
    const paintedAt = await browser.waitUntil(
      () => browser.execute(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return paint ? performance.timeOrigin + paint.startTime : null;
      }),
      { timeout: 10_000, timeoutMsg: 'the web view reported no first contentful paint' },
    );
    return { app, ms: paintedAt - startedAtMs(own.pid) };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

const times = [];
for (let run = 0; run < runs; run++) {
  const { app, ms } = await coldStart();
  times.push(ms);
  if (run === runs - 1) {
    await sleep(3_000);
    memory(app, 'start screen');
  }
  await app.stop();
}
times.sort((a, b) => a - b);
console.log(`cold start → first frame (ms, ${runs} runs): median ${times[Math.floor(runs / 2)].toFixed(0)}, min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}`);

const dataHome = makeTempDir('osslite-start-bench-');
const keys = { id: process.env.OSS_ACCESS_KEY_ID, secret: process.env.OSS_ACCESS_KEY_SECRET };
await addSandboxProfile(dataHome, { name: 'bench', region: 'cn-hangzhou', endpoint, keys });
const app = await startApp({ reuse: dataHome });
try {
  const { browser } = app;
  await openProfileBucket(browser, 'bench', bucket);
  const folderRow = await browser.$(`[data-testid="object-row"][data-key="${folder}"]`);
  await folderRow.waitForDisplayed({ timeout: 20_000 });
  await folderRow.doubleClick();
  await browser.$(`[data-testid="object-row"][data-key^="${folder}"]:not([data-key="${folder}"])`).waitForDisplayed({ timeout: 30_000 });
  await sleep(3_000);
  memory(app, `folder of 1,000 objects`);
} finally {
  await app.stop();
}
