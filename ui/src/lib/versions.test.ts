import { describe, expect, it } from 'vitest';
import type { ObjectVersion } from './api';
import { hasVersions, restorable, shortVersion, uploadsKeepVersions } from './versions';

const version = (over: Partial<ObjectVersion>): ObjectVersion => ({
  key: 'a.txt',
  versionId: 'v',
  isLatest: false,
  isDeleteMarker: false,
  lastModified: null,
  etag: '"e"',
  size: 1,
  storageClass: 'Standard',
  ...over,
});

describe('versions', () => {
  it('shortens long version IDs to their distinct end', () => {
    expect(shortVersion('CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2')).toBe('CAEQ…MGZjZGI2');
    expect(shortVersion('null')).toBe('null');
  });

  it('shows versions on enabled and suspended buckets, new versions on enabled ones only', () => {
    expect([hasVersions('off'), hasVersions('enabled'), hasVersions('suspended'), hasVersions(null)]).toEqual([false, true, true, false]);
    expect([uploadsKeepVersions('enabled'), uploadsKeepVersions('suspended')]).toEqual([true, false]);
  });

  it('restores old versions with content, not the latest or delete markers', () => {
    expect(restorable(version({}))).toBe(true);
    expect(restorable(version({ isLatest: true }))).toBe(false);
    expect(restorable(version({ isDeleteMarker: true }))).toBe(false);
  });
});
