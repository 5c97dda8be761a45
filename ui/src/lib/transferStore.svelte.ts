// The app's transfer queue as the UI sees it: snapshots folded from the
// engine's events, shown at most a few times a second, and the actions on them.
import {
  toAppError,
  transferCancel,
  transferClearFinished,
  transferDiscard,
  transferDownload,
  transferList,
  transferPause,
  transferRestore,
  transferResume,
  transferSetJobs,
  transferUnfinished,
  transferUpload,
  type ConflictPolicy,
  type DownloadRequest,
  type TransferEvent,
  type TransferSnapshot,
  type UnfinishedTransfer,
  type UploadRequest,
} from './api';
import { t } from './i18n/locale.svelte';
import { browserStorage, loadTransferSettings, transferOptionsOf } from './settings';
import { showToast } from './toasts.svelte';
import type { Choice } from './conflicts';
import { applyEvent, baseName, canCancel, canPause, canResume, canRetry, isTerminal, parentDir, parseOssUrl } from './transfers';

/** Rows are redrawn at most this often, however many events arrive. */
export const RENDER_INTERVAL_MS = 250;
/** Transfers this page has no channel for (started before a reload) are polled this often. */
const POLL_MS = 1000;

const byId = new Map<number, TransferSnapshot>();
/** Ids whose events arrive through a channel of this page. */
const live = new Set<number>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;
/** When the rows were last redrawn (performance.now()). */
let lastFlush = Number.NEGATIVE_INFINITY;
let pollTimer: ReturnType<typeof setInterval> | null = null;

const view = $state<{ rows: readonly TransferSnapshot[]; open: boolean; unfinished: readonly UnfinishedTransfer[] }>({
  rows: [],
  open: false,
  unfinished: [],
});

type UploadListener = (bucket: string, key: string) => void;
const uploadListeners = new Set<UploadListener>();

/** All transfers, oldest first (redrawn at most every RENDER_INTERVAL_MS). */
export function transferRows(): readonly TransferSnapshot[] {
  return view.rows;
}

export function panelOpen(): boolean {
  return view.open;
}

export function setPanelOpen(open: boolean): void {
  view.open = open;
}

/** Transfers an earlier run left unfinished (from `transfer_unfinished`). */
export function unfinishedFromLastRun(): readonly UnfinishedTransfer[] {
  return view.unfinished;
}

/** Calls `listener` for each finished upload (not skipped); returns the unsubscribe. */
export function onUploadFinished(listener: UploadListener): () => void {
  uploadListeners.add(listener);
  return () => uploadListeners.delete(listener);
}

function flush() {
  flushTimer = null;
  lastFlush = performance.now();
  view.rows = [...byId.values()].sort((a, b) => a.id - b.id);
  const orphans = view.rows.some((r) => !live.has(r.id) && !isTerminal(r.state));
  if (orphans && pollTimer === null) pollTimer = setInterval(() => void poll(), POLL_MS);
  if (!orphans && pollTimer !== null) {
    clearInterval(pollTimer);
    pollTimer = null;
  }
}

/**
 * Redraws when RENDER_INTERVAL_MS have passed since the last redraw: at once after a quiet spell
 * (a transfer's first or last event, "done" included, shows without waiting out the interval),
 * and at most that often under a stream of events.
 */
function scheduleFlush() {
  flushTimer ??= setTimeout(flush, Math.max(0, lastFlush + RENDER_INTERVAL_MS - performance.now()));
}

/** Folds an engine event in; the rows follow on the next flush. */
export function ingest(event: TransferEvent): void {
  if (event.event === 'queued') live.add(event.transfer.id);
  const row = applyEvent(byId, event);
  if (row && event.event === 'finished' && row.direction === 'upload' && !row.skipped) {
    const target = parseOssUrl(row.destination);
    if (target) for (const listener of uploadListeners) listener(target.bucket, target.key);
  }
  scheduleFlush();
}

function merge(snapshots: readonly TransferSnapshot[]) {
  for (const snapshot of snapshots) {
    const known = byId.get(snapshot.id);
    // A channel's events are newer than a listing taken meanwhile.
    if (!known || !live.has(snapshot.id)) byId.set(snapshot.id, snapshot);
  }
  scheduleFlush();
}

async function poll() {
  try {
    merge(await transferList());
  } catch {
    // The next poll tries again.
  }
}

function options(onConflict: ConflictPolicy) {
  return { ...transferOptionsOf(loadTransferSettings(browserStorage())), onConflict };
}

/** On start: what the engine already holds, and what an earlier run left unfinished. */
export async function loadTransfers(): Promise<void> {
  const settings = loadTransferSettings(browserStorage());
  await transferSetJobs(settings.filesInFlight).catch(() => undefined);
  try {
    merge(await transferList());
  } catch {
    // Shown empty; new transfers still work.
  }
  try {
    view.unfinished = await transferUnfinished();
    // The offer to resume them lives in the panel: show it.
    if (view.unfinished.length > 0) view.open = true;
  } catch {
    view.unfinished = [];
  }
}

export async function upload(request: UploadRequest, onConflict: ConflictPolicy = 'fail'): Promise<number[]> {
  if (request.paths.length === 0) return [];
  try {
    const ids = await transferUpload(request, options(onConflict), ingest);
    view.open = true;
    return ids;
  } catch (reason) {
    showToast(t('transfers.startFailed'), 'error', toAppError(reason));
    return [];
  }
}

export async function download(request: DownloadRequest, onConflict: ConflictPolicy = 'fail'): Promise<number[]> {
  if (request.keys.length === 0) return [];
  try {
    const ids = await transferDownload(request, options(onConflict), ingest);
    view.open = true;
    return ids;
  } catch (reason) {
    showToast(t('transfers.startFailed'), 'error', toAppError(reason));
    return [];
  }
}

async function act(run: (id: number) => Promise<unknown>, ids: readonly number[]) {
  for (const id of ids) {
    try {
      await run(id);
    } catch (reason) {
      showToast(t('transfers.actionFailed'), 'error', toAppError(reason));
      return;
    }
  }
}

const idsWhere = (test: (s: TransferSnapshot['state']) => boolean) => view.rows.filter((r) => test(r.state)).map((r) => r.id);

export const pause = (id: number) => act(transferPause, [id]);
export const resume = (id: number) => act(transferResume, [id]);
/** A failed transfer starts again from its checkpoint. */
export const retry = (id: number) => act(transferResume, [id]);
export const cancel = (id: number) => act(transferCancel, [id]);
export const pauseAll = () => act(transferPause, idsWhere(canPause));
export const resumeAll = () => act(transferResume, idsWhere((s) => canResume(s) || canRetry(s)));
export const cancelAll = () => act(transferCancel, idsWhere(canCancel));

/** Forgets done and cancelled transfers, here and in the engine. */
export async function clearFinished(): Promise<void> {
  try {
    await transferClearFinished();
  } catch (reason) {
    showToast(t('transfers.actionFailed'), 'error', toAppError(reason));
    return;
  }
  for (const [id, row] of byId) if (row.state === 'done' || row.state === 'cancelled') byId.delete(id);
  flush();
}

/**
 * Drops failed rows from the panel (after a conflict was answered by starting
 * them again with a policy). The engine keeps them until the app restarts.
 */
export function hide(ids: readonly number[]): void {
  for (const id of ids) byId.delete(id);
  flush();
}

/**
 * Queues what the last run left unfinished under the open profile again, from
 * the checkpoints; those of other profiles stay listed (only discardable here).
 */
export async function resumeUnfinished(): Promise<void> {
  const checkpoints = view.unfinished.filter((u) => u.belongsTo === null).map((u) => u.checkpoint);
  view.unfinished = view.unfinished.filter((u) => u.belongsTo !== null);
  try {
    await transferRestore(checkpoints, options('fail'), ingest);
    view.open = true;
  } catch (reason) {
    showToast(t('transfers.startFailed'), 'error', toAppError(reason));
  }
}

/** Forgets the given unfinished transfers (their checkpoints go). */
export async function discardUnfinished(list: readonly UnfinishedTransfer[]): Promise<void> {
  const checkpoints = list.map((u) => u.checkpoint);
  view.unfinished = view.unfinished.filter((u) => !checkpoints.includes(u.checkpoint));
  try {
    await transferDiscard(checkpoints);
  } catch (reason) {
    showToast(t('transfers.actionFailed'), 'error', toAppError(reason));
  }
}

/** Applies a new "files in flight" setting to the engine. */
export async function applyJobs(jobs: number): Promise<void> {
  await transferSetJobs(jobs).catch((reason: unknown) => showToast(t('transfers.actionFailed'), 'error', toAppError(reason)));
}

/**
 * Starts failed-because-it-exists transfers again with the answers of the
 * conflict dialog (by destination), and drops the failed rows.
 */
export async function resolveConflicts(rows: readonly TransferSnapshot[], answers: ReadonlyMap<string, Choice>): Promise<void> {
  const restarted: number[] = [];
  for (const row of rows) {
    const choice = answers.get(row.destination);
    if (!choice) continue;
    if (row.direction === 'upload') {
      const target = parseOssUrl(row.destination);
      if (!target) continue;
      const prefix = target.key.slice(0, target.key.length - baseName(target.key).length);
      const ids = await upload({ bucket: target.bucket, prefix, paths: [row.source] }, choice);
      if (ids.length > 0) restarted.push(row.id);
    } else {
      const source = parseOssUrl(row.source);
      if (!source) continue;
      const base = source.key.slice(0, source.key.length - baseName(source.key).length);
      const ids = await download({ bucket: source.bucket, base, keys: [source.key], folder: parentDir(row.destination) }, choice);
      if (ids.length > 0) restarted.push(row.id);
    }
  }
  hide(restarted);
}
