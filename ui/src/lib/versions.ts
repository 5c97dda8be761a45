// Small pure helpers for the versions UI: short version IDs and which versions can be acted on.
import type { ObjectVersion, VersioningStatus } from './api';

/** Characters of a version ID shown in lists and messages. */
const SHORT = 10;

/** `CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2…` → `CAEQNhiBgM…`; "null" (written before versioning) stays. */
export function shortVersion(versionId: string): string {
  return versionId.length > SHORT + 1 ? `${versionId.slice(0, SHORT)}…` : versionId;
}

/** The bucket keeps (or kept) versions: the versions UI is shown. */
export function hasVersions(status: VersioningStatus | null): boolean {
  return status === 'enabled' || status === 'suspended';
}

/** An upload onto an existing name keeps the old object as a version instead of replacing it. */
export function uploadsKeepVersions(status: VersioningStatus | null): boolean {
  return status === 'enabled';
}

/** Versions with content (not delete markers) that are not the latest: the ones to restore. */
export function restorable(version: ObjectVersion): boolean {
  return !version.isDeleteMarker && !version.isLatest;
}
