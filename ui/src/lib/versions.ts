// Small pure helpers for the versions UI: short version IDs and which versions can be acted on.
import type { ObjectVersion, VersioningStatus } from './api';

/** Characters kept from the end of a version ID: OSS's IDs share their beginning ("CAEQ…"). */
const TAIL = 8;

/** `CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2` → `CAEQ…MGZjZGI2`; "null" (written before versioning) stays. */
export function shortVersion(versionId: string): string {
  return versionId.length > TAIL + 6 ? `${versionId.slice(0, 4)}…${versionId.slice(-TAIL)}` : versionId;
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
