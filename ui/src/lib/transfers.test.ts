import { describe, expect, it } from 'vitest';
import type { TransferSnapshot, UnfinishedTransfer } from './api';
import {
  applyEvent,
  baseName,
  canCancel,
  canPause,
  canResume,
  canRetry,
  countByFilter,
  formatEta,
  formatSpeed,
  isUnverified,
  landsIn,
  matchesFilter,
  parentDir,
  parseOssUrl,
  percent,
  splitUnfinished,
  transferName,
  unfinishedCount,
} from './transfers';

const snap = (over: Partial<TransferSnapshot> = {}): TransferSnapshot => ({
  id: 1,
  direction: 'upload',
  source: '/home/u/photos/a.jpg',
  destination: 'oss://media/photos/a.jpg',
  state: 'queued',
  done: 0,
  total: 0,
  bytesPerSec: 0,
  etaSecs: null,
  skipped: false,
  verification: null,
  error: null,
  ...over,
});

describe('speed and ETA', () => {
  it('shows speed per second, or a dash when nothing moves', () => {
    expect(formatSpeed(0)).toBe('–');
    expect(formatSpeed(-5)).toBe('–');
    expect(formatSpeed(512)).toBe('512 B/s');
    expect(formatSpeed(4.2 * 1024 * 1024)).toBe('4.2 MB/s');
  });

  it('shows time left as a clock', () => {
    expect(formatEta(null)).toBe('–');
    expect(formatEta(0)).toBe('0:00');
    expect(formatEta(7)).toBe('0:07');
    expect(formatEta(6.2)).toBe('0:07');
    expect(formatEta(725)).toBe('12:05');
    expect(formatEta(3723)).toBe('1:02:03');
    expect(formatEta(100 * 3600)).toBe('> 99 h');
  });

  it('computes the bar, unknown totals at 0', () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(0, 0, 'done')).toBe(100);
    expect(percent(50, 200)).toBe(25);
    expect(percent(300, 200)).toBe(100);
  });
});

describe('events fold into snapshots', () => {
  it('queued, progress, finished', () => {
    const rows = new Map<number, TransferSnapshot>();
    applyEvent(rows, { event: 'queued', transfer: snap() });
    applyEvent(rows, { event: 'progress', id: 1, state: 'running', done: 10, total: 100, bytesPerSec: 5, etaSecs: 18 });
    expect(rows.get(1)).toMatchObject({ state: 'running', done: 10, total: 100, bytesPerSec: 5, etaSecs: 18 });
    applyEvent(rows, { event: 'finished', id: 1, destination: 'oss://media/photos/a (1).jpg', done: 100, total: 100, skipped: false, verification: 'crc64' });
    expect(rows.get(1)).toMatchObject({ state: 'done', destination: 'oss://media/photos/a (1).jpg', bytesPerSec: 0, etaSecs: null });
    expect(transferName(rows.get(1) as TransferSnapshot)).toBe('a (1).jpg');
  });

  it('a download that came without a checksum is shown as not verified, never as verified', () => {
    const rows = new Map([[1, snap({ direction: 'download', state: 'verifying' })]]);
    applyEvent(rows, { event: 'finished', id: 1, destination: '/tmp/a.jpg', done: 9, total: 9, skipped: false, verification: 'none' });
    expect(rows.get(1)?.verification).toBe('none');
    expect(isUnverified(rows.get(1) as TransferSnapshot)).toBe(true);
    expect(isUnverified(snap({ state: 'done', verification: 'md5' }))).toBe(false);
    expect(isUnverified(snap({ state: 'done', verification: 'crc64' }))).toBe(false);
    expect(isUnverified(snap({ state: 'done', skipped: true, verification: null }))).toBe(false);
  });

  it('failed keeps the reason; a retry that progresses clears it; cancelled', () => {
    const rows = new Map([[1, snap({ state: 'running' })]]);
    applyEvent(rows, { event: 'failed', id: 1, done: 5, total: 9, error: { kind: 'network', message: 'reset' } });
    expect(rows.get(1)).toMatchObject({ state: 'failed', error: { kind: 'network', message: 'reset' } });
    applyEvent(rows, { event: 'progress', id: 1, state: 'running', done: 6, total: 9, bytesPerSec: 1, etaSecs: 3 });
    expect(rows.get(1)?.error).toBeNull();
    applyEvent(rows, { event: 'cancelled', id: 1, done: 6, total: 9 });
    expect(rows.get(1)?.state).toBe('cancelled');
  });

  it('ignores events of unknown transfers and never changes the old object', () => {
    const first = snap();
    const rows = new Map([[1, first]]);
    expect(applyEvent(rows, { event: 'cancelled', id: 2, done: 0, total: 0 })).toBeUndefined();
    applyEvent(rows, { event: 'progress', id: 1, state: 'paused', done: 1, total: 2, bytesPerSec: 0, etaSecs: null });
    expect(first.state).toBe('queued');
    expect(rows.get(1)?.state).toBe('paused');
  });
});

describe('states, filters and actions', () => {
  it('offers the actions each state allows', () => {
    expect([canPause('running'), canPause('queued'), canPause('paused'), canPause('verifying')]).toEqual([true, true, false, false]);
    expect([canResume('paused'), canResume('failed')]).toEqual([true, false]);
    expect([canRetry('failed'), canRetry('cancelled')]).toEqual([true, false]);
    expect(['queued', 'running', 'paused', 'verifying', 'done', 'failed', 'cancelled'].map((s) => canCancel(s as never))).toEqual([
      true, true, true, true, false, false, false,
    ]);
  });

  it('filters and counts', () => {
    const rows = (['queued', 'running', 'verifying', 'paused', 'failed', 'done', 'cancelled'] as const).map((state, id) => snap({ id, state }));
    expect(countByFilter(rows)).toEqual({ all: 7, active: 3, paused: 1, failed: 1, finished: 2 });
    expect(unfinishedCount(rows)).toBe(4);
    expect(matchesFilter('finished', 'cancelled')).toBe(true);
    expect(matchesFilter('active', 'paused')).toBe(false);
  });
});

describe('names and places', () => {
  it('takes base names of local paths and OSS URLs', () => {
    expect(baseName('/home/u/a.txt')).toBe('a.txt');
    expect(baseName('C:\\Users\\u\\docs\\')).toBe('docs');
    expect(baseName('oss://b/photos/x.jpg')).toBe('x.jpg');
    expect(parentDir('/home/u/a.txt')).toBe('/home/u');
    expect(parentDir('C:\\d\\a.txt')).toBe('C:\\d');
    expect(parseOssUrl('oss://b/photos/x.jpg')).toEqual({ bucket: 'b', key: 'photos/x.jpg' });
    expect(parseOssUrl('/tmp/x')).toBeNull();
  });

  it('knows which uploads change the shown folder', () => {
    expect(landsIn('photos/x.jpg', 'photos/')).toBe(true);
    expect(landsIn('photos/new/x.jpg', 'photos/')).toBe(true);
    expect(landsIn('docs/x.jpg', 'photos/')).toBe(false);
    expect(landsIn('x.jpg', '')).toBe(true);
  });
});

describe('splitUnfinished', () => {
  const unfinished = (checkpoint: string, belongsTo: string | null): UnfinishedTransfer => ({
    checkpoint,
    direction: 'download',
    source: 'oss://b/k',
    destination: '/tmp/k',
    done: 0,
    total: 10,
    endpoint: 'https://oss-cn-hangzhou.aliyuncs.com/',
    profile: belongsTo ?? 'work',
    belongsTo,
  });

  it('keeps what the open profile may resume apart from what other profiles started', () => {
    const { ours, theirs } = splitUnfinished([
      unfinished('a', null),
      unfinished('b', 'home'),
      unfinished('c', ''),
      unfinished('d', 'home'),
    ]);
    expect(ours.map((u) => u.checkpoint)).toEqual(['a']);
    expect(theirs.map(([profile, list]) => [profile, list.map((u) => u.checkpoint)])).toEqual([
      ['home', ['b', 'd']],
      ['', ['c']],
    ]);
  });
});
