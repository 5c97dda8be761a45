// Where a download goes and what it would overwrite there: the default download
// folder (or the one picked, with "Ask every time"), and the local names that clash.
import { downloadFolder, localExisting, pickFolder } from './api';
import { browserStorage, loadAskDownloadFolder } from './settings';

/** The folder to download into, or null when the user cancelled the dialog. */
export async function downloadTarget(): Promise<string | null> {
  if (loadAskDownloadFolder(browserStorage())) return pickFolder();
  return (await downloadFolder()).path;
}

/** What a selected key becomes in the download folder: its name below `base` ("a.jpg", "docs/"). */
export function localName(key: string, base: string): string {
  return key.startsWith(base) ? key.slice(base.length) : key;
}

/** The selected keys whose file or folder exists already in `folder`. */
export async function localClashes(folder: string, keys: readonly string[], base: string): Promise<string[]> {
  const existing = new Set(await localExisting(folder, keys.map((k) => localName(k, base))));
  return keys.filter((k) => existing.has(localName(k, base)));
}
