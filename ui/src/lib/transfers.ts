// Transfer rows: folding the engine's events into snapshots, and the helpers
// the transfer panel shows them with (speed, ETA, names, filters). Pure.
import type { TransferEvent, TransferSnapshot, TransferStatus, UnfinishedTransfer } from './api';
import { formatSize } from './format';

export type StateFilter = 'all' | 'active' | 'paused' | 'failed' | 'finished';
export const STATE_FILTERS: readonly StateFilter[] = ['all', 'active', 'paused', 'failed', 'finished'];

const TERMINAL: ReadonlySet<TransferStatus> = new Set(['done', 'failed', 'cancelled']);

/** Done, failed or cancelled: nothing more happens unless a failed one is retried. */
export function isTerminal(state: TransferStatus): boolean {
  return TERMINAL.has(state);
}

export function matchesFilter(filter: StateFilter, state: TransferStatus): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return state === 'queued' || state === 'running' || state === 'verifying';
    case 'paused':
      return state === 'paused';
    case 'failed':
      return state === 'failed';
    case 'finished':
      return state === 'done' || state === 'cancelled';
  }
}

/** Done, with bytes moved that nothing could be checked against: never shown as verified. */
export function isUnverified(t: Pick<TransferSnapshot, 'state' | 'skipped' | 'verification'>): boolean {
  return t.state === 'done' && !t.skipped && t.verification === 'none';
}

export const canPause = (s: TransferStatus): boolean => s === 'queued' || s === 'running';
export const canResume = (s: TransferStatus): boolean => s === 'paused';
export const canRetry = (s: TransferStatus): boolean => s === 'failed';
export const canCancel = (s: TransferStatus): boolean => !isTerminal(s);

/**
 * Folds one event into `rows` (mutated); returns the snapshot it changed, or
 * undefined for an event about a transfer it has not seen queued.
 */
export function applyEvent(rows: Map<number, TransferSnapshot>, event: TransferEvent): TransferSnapshot | undefined {
  if (event.event === 'queued') {
    const row = { ...event.transfer };
    rows.set(row.id, row);
    return row;
  }
  const old = rows.get(event.id);
  if (!old) return undefined;
  const row: TransferSnapshot = { ...old, done: event.done, total: event.total };
  switch (event.event) {
    case 'progress':
      row.state = event.state;
      row.bytesPerSec = event.bytesPerSec;
      row.etaSecs = event.etaSecs;
      row.error = null;
      break;
    case 'finished':
      row.state = 'done';
      row.destination = event.destination;
      row.skipped = event.skipped;
      row.verification = event.verification;
      row.bytesPerSec = 0;
      row.etaSecs = null;
      break;
    case 'failed':
      row.state = 'failed';
      row.error = event.error;
      row.bytesPerSec = 0;
      row.etaSecs = null;
      break;
    case 'cancelled':
      row.state = 'cancelled';
      row.bytesPerSec = 0;
      row.etaSecs = null;
      break;
  }
  rows.set(row.id, row);
  return row;
}

/** "4.2 MB/s"; "–" when nothing moves. */
export function formatSpeed(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec <= 0) return '–';
  return `${formatSize(bytesPerSec)}/s`;
}

/** Time left as a clock: "0:07", "12:05", "1:02:03"; "–" when unknown; "> 99 h" past that. */
export function formatEta(secs: number | null | undefined): string {
  if (secs === null || secs === undefined || !Number.isFinite(secs) || secs < 0) return '–';
  const s = Math.ceil(secs);
  if (s >= 100 * 3600) return '> 99 h';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** 0..100; 0 while the total is unknown, 100 for an empty file that is done. */
export function percent(done: number, total: number, state?: TransferStatus): number {
  if (total <= 0) return state === 'done' ? 100 : 0;
  return Math.min(100, Math.max(0, (done / total) * 100));
}

/** The last segment of a local path (either separator) or of `oss://bucket/key`. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const at = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return at >= 0 ? trimmed.slice(at + 1) : trimmed;
}

/** The folder part of a local path, without the trailing separator. */
export function parentDir(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const at = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return at > 0 ? trimmed.slice(0, at) : at === 0 ? trimmed.slice(0, 1) : '';
}

/** The name a row shows: what is being moved (the destination after a rename). */
export function transferName(t: Pick<TransferSnapshot, 'direction' | 'source' | 'destination' | 'state'>): string {
  // A management job names its selection: `oss://b/photos/ (+2 more)` → `photos/ (+2 more)`.
  if (t.direction !== 'upload' && t.direction !== 'download') return t.source.replace(/^oss:\/\/[^/]+\//, '');
  return baseName(t.state === 'done' ? t.destination : t.source);
}

/** `oss://bucket/a/b.txt` → { bucket, key }; null for anything else. */
export function parseOssUrl(url: string): { bucket: string; key: string } | null {
  const m = /^oss:\/\/([^/]+)\/(.*)$/.exec(url);
  return m ? { bucket: m[1], key: m[2] } : null;
}

/** Whether an upload that wrote `key` changes the listing of `prefix` (itself or a new subfolder). */
export function landsIn(key: string, prefix: string): boolean {
  return key.startsWith(prefix) && key.length > prefix.length;
}

/** Counts per filter, for the chips. */
export function countByFilter(rows: Iterable<TransferSnapshot>): Record<StateFilter, number> {
  const counts: Record<StateFilter, number> = { all: 0, active: 0, paused: 0, failed: 0, finished: 0 };
  for (const row of rows) {
    for (const filter of STATE_FILTERS) if (matchesFilter(filter, row.state)) counts[filter] += 1;
  }
  return counts;
}

/**
 * Unfinished transfers the open profile may resume, and those another profile
 * (or endpoint) started, grouped by that profile's name ('' when unknown):
 * those may only be discarded here.
 */
export function splitUnfinished(list: readonly UnfinishedTransfer[]): {
  ours: UnfinishedTransfer[];
  theirs: [profile: string, transfers: UnfinishedTransfer[]][];
} {
  const ours: UnfinishedTransfer[] = [];
  const theirs = new Map<string, UnfinishedTransfer[]>();
  for (const u of list) {
    if (u.belongsTo === null) ours.push(u);
    else theirs.set(u.belongsTo, [...(theirs.get(u.belongsTo) ?? []), u]);
  }
  return { ours, theirs: [...theirs.entries()] };
}

/** The top bar's badge: transfers not yet done, failed or cancelled. */
export function unfinishedCount(rows: Iterable<TransferSnapshot>): number {
  let n = 0;
  for (const row of rows) if (!isTerminal(row.state)) n += 1;
  return n;
}
