// The versioning state of each bucket as last read or set, shared by the bucket details (where it
// changes) and the object browser (which shows the versions UI on versioned buckets).
import type { VersioningStatus } from './api';

const known = $state<Record<string, VersioningStatus>>({});

export function versioningOf(bucket: string): VersioningStatus | null {
  return known[bucket] ?? null;
}

export function rememberVersioning(bucket: string, status: VersioningStatus): void {
  known[bucket] = status;
}
