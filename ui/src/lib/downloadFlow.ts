// Downloading selected keys: into the download folder, asking first about the local files that
// would be replaced. The folder list and the search results both download this way.
import { toAppError } from './api';
import { groupByPolicy, type Choice } from './conflicts';
import { downloadTarget, localClashes } from './downloadTarget';
import { t } from './i18n/locale.svelte';
import { showToast } from './toasts.svelte';
import { download } from './transferStore.svelte';

/** A download waiting for the user's choice about the local files it would replace. */
export interface PendingDownload {
  bucket: string;
  base: string;
  keys: string[];
  conflicts: string[];
  folder: string;
}

/** Starts downloading `keys` (their paths below `base` kept), or returns the clashes to ask about. */
export async function downloadKeys(bucket: string, base: string, keys: string[]): Promise<PendingDownload | null> {
  if (keys.length === 0) return null;
  try {
    const folder = await downloadTarget();
    if (folder === null) return null;
    let conflicts: string[] = [];
    try {
      conflicts = await localClashes(folder, keys, base);
    } catch {
      // Unknown: the engine refuses to overwrite unasked, and the panel offers the choice then.
    }
    if (conflicts.length > 0) return { bucket, base, keys, conflicts, folder };
    await download({ bucket, base, keys, folder });
  } catch (reason) {
    showToast(t('upload.pickFailed'), 'error', toAppError(reason));
  }
  return null;
}

/** Downloads what was asked about, each group with the choice made for it. */
export function downloadAnswered(pending: PendingDownload, answers: ReadonlyMap<string, Choice>): void {
  for (const group of groupByPolicy(pending.keys, answers)) {
    void download({ bucket: pending.bucket, base: pending.base, keys: group.paths, folder: pending.folder }, group.policy);
  }
}
