// Uploading local paths into a folder: picked in a dialog or dropped from the OS, asking first
// about the names that exist there. The folder list uploads this way.
import { objectListPage, pickFiles, pickFolder } from './api';
import { findConflicts, groupByPolicy, type Choice } from './conflicts';
import type { FileEntry } from './sort';
import { upload } from './transferStore.svelte';

/** An upload waiting for the user's choice about the names it would replace. */
export interface PendingUpload {
  bucket: string;
  prefix: string;
  paths: string[];
  conflicts: string[];
}

/** Names in `target` ("name", folders "name/"): `shown` when it is the folder shown, else its first page. */
export async function existingNames(bucket: string, target: string, shown: { prefix: string; names: Set<string> }): Promise<Set<string>> {
  if (target === shown.prefix) return shown.names;
  const page = await objectListPage({ bucket, prefix: target, continuationToken: null, maxKeys: 1000 });
  return new Set([...page.folders.map((f) => f.slice(target.length)), ...page.objects.map((o) => o.key.slice(target.length))]);
}

/** Starts uploading `paths` into `target`, or returns the names that exist there to ask about. */
export async function uploadPaths(bucket: string, target: string, paths: string[], existing: () => Promise<Set<string>>): Promise<PendingUpload | null> {
  if (paths.length === 0) return null;
  let conflicts: string[] = [];
  try {
    conflicts = findConflicts(paths, await existing());
  } catch {
    // Unknown: the engine refuses to overwrite unasked, and the panel offers the choice then.
  }
  if (conflicts.length > 0) return { bucket, prefix: target, paths, conflicts };
  void upload({ bucket, prefix: target, paths });
  return null;
}

/** Uploads what was asked about, each group with the choice made for it. */
export function uploadAnswered(pending: PendingUpload, answers: ReadonlyMap<string, Choice>): void {
  for (const group of groupByPolicy(pending.paths, answers)) {
    void upload({ bucket: pending.bucket, prefix: pending.prefix, paths: group.paths }, group.policy);
  }
}

/** The local paths picked in the system dialog (none when it was cancelled). */
export async function pickPaths(kind: 'files' | 'folder'): Promise<string[]> {
  const picked = kind === 'files' ? await pickFiles() : await pickFolder();
  return picked === null ? [] : Array.isArray(picked) ? picked : [picked];
}

/** The entry an upload link for a new name shares: a file that does not exist yet. */
export function newNameEntry(key: string): FileEntry {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return { kind: 'file', key, name, lower: name.toLowerCase(), size: 0, modified: Number.NaN, lastModified: null, etag: '', storageClass: null };
}
