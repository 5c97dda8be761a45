// Management jobs (copy, move, rename, headers, ACL, class, restore) as the UI starts them: each
// runs in the transfer queue (the panel shows its progress, pause, cancel and resume), and who
// shows a bucket's objects hears when one that changed it ends.
import { manageStart, objectListPage, toAppError, type ConflictPolicy, type ManageRequest, type TransferEvent } from './api';
import { findConflicts } from './conflicts';
import { t } from './i18n/locale.svelte';
import type { KeyClipboard } from './manage';
import { showToast } from './toasts.svelte';
import { ingest, setPanelOpen } from './transferStore.svelte';

type Listener = (buckets: readonly string[]) => void;
const listeners = new Set<Listener>();

/** Calls `listener` with the buckets a job changed, when it ends (done, failed or cancelled). */
export function onJobFinished(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The buckets a request writes to. */
export function bucketsOf(request: ManageRequest): string[] {
  const action = request.action;
  if (action.type === 'copy' || action.type === 'move') return [...new Set([request.bucket, action.target.bucket])];
  return [request.bucket];
}

/** Queues one job; resolves its transfer id (null when it could not start: a toast says why). */
export async function startJob(request: ManageRequest, onConflict: ConflictPolicy = 'fail'): Promise<number | null> {
  const buckets = bucketsOf(request);
  const onEvent = (event: TransferEvent) => {
    ingest(event);
    if (event.event === 'finished' || event.event === 'failed' || event.event === 'cancelled') {
      for (const listener of listeners) listener(buckets);
    }
  };
  try {
    const id = await manageStart(request, { onConflict }, onEvent);
    setPanelOpen(true);
    return id;
  } catch (reason) {
    showToast(t('manage.startFailed'), 'error', toAppError(reason));
    return null;
  }
}

/** Names in `prefix` of `bucket` (files "name", folders "name/"), from its first page. */
export async function namesIn(bucket: string, prefix: string): Promise<Set<string>> {
  const page = await objectListPage({ bucket, prefix, continuationToken: null, maxKeys: 1000 });
  return new Set([...page.folders.map((f) => f.slice(prefix.length)), ...page.objects.map((o) => o.key.slice(prefix.length))]);
}

export interface CopyPlan {
  bucket: string;
  keys: string[];
  destBucket: string;
  destPrefix: string;
  move: boolean;
}

/** The keys of `plan` whose names exist in the destination already (unknown: none). */
export async function copyConflicts(plan: CopyPlan): Promise<string[]> {
  try {
    return findConflicts(plan.keys, await namesIn(plan.destBucket, plan.destPrefix));
  } catch {
    // Unknown: the job refuses to overwrite unasked and names the clash.
    return [];
  }
}

/** Starts the copy or move of `keys` of `plan` into its folder. */
export function startCopy(plan: CopyPlan, keys: string[], policy: ConflictPolicy): Promise<number | null> {
  const target = { type: 'intoFolder' as const, bucket: plan.destBucket, prefix: plan.destPrefix };
  return startJob({ bucket: plan.bucket, keys, action: plan.move ? { type: 'move', target } : { type: 'copy', target } }, policy);
}

// ------------------------------------------------------------ the app's clipboard of objects

const clip = $state<{ value: KeyClipboard | null }>({ value: null });

export function keyClipboard(): KeyClipboard | null {
  return clip.value;
}

export function setKeyClipboard(value: KeyClipboard | null): void {
  clip.value = value;
}
