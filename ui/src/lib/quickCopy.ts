// Ctrl+C and the context menu's Copy items: links to the selected files with
// the default validity, or their oss:// paths, straight to the clipboard.
import { clipboardWrite, exportCopyUrls, toAppError, type ProfileView } from './api';
import { duration, t } from './i18n/locale.svelte';
import { ossPaths } from './objectMenu';
import { loadDefaultValidity, browserStorage } from './settings';
import type { Entry, FileEntry } from './sort';
import { showToast } from './toasts.svelte';
import { resolveChoice, type ValidityRange } from './validity';

/** The default validity in seconds (Settings), or the range's lower bound if none valid is saved. */
export function defaultValiditySeconds(range: ValidityRange): number {
  const result = resolveChoice(loadDefaultValidity(browserStorage(), range), range);
  return result.ok ? result.seconds : range.min;
}

/** Signs and copies one link per file (one a line); the toast says how many and for how long. */
export async function copyLinks(profile: ProfileView, bucket: string, files: readonly FileEntry[], range: ValidityRange): Promise<void> {
  if (files.length === 0) {
    showToast(t('menu.noFiles'), 'info');
    return;
  }
  const expiresSecs = defaultValiditySeconds(range);
  try {
    const copied = await exportCopyUrls(
      { bucket, keys: files.map((f) => f.key), folders: [], recursive: false, include: [], exclude: [] },
      { expiresSecs, https: profile.https, excelBom: false, rawValues: true, domain: { kind: 'default' } },
    );
    showToast(t('menu.copiedLinks', { count: copied.count, validity: duration(expiresSecs) }));
  } catch (reason) {
    showToast(t('menu.copyFailed'), 'error', toAppError(reason));
  }
}

export async function copyPaths(bucket: string, entries: readonly Entry[]): Promise<void> {
  try {
    await clipboardWrite(ossPaths(bucket, entries));
    showToast(t('menu.copiedPaths', { count: entries.length }));
  } catch (reason) {
    showToast(t('menu.copyFailed'), 'error', toAppError(reason));
  }
}
