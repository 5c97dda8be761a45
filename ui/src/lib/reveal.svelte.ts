// "Show in folder" from a search: the object to select once its folder's list shows it. Reactive,
// so that a list already showing that folder selects it too.
import { EMPTY_SELECTION, clickRow, type Row, type Selection } from './selection';

let revealing = $state<{ bucket: string; key: string } | null>(null);

export function revealLater(bucket: string, key: string): void {
  revealing = { bucket, key };
}

/** The selection of the object asked for by `revealLater`, once `rows` (a folder's list) hold it. */
export function revealedSelection(bucket: string, rows: readonly Row[]): Selection | null {
  const wanted = revealing;
  if (wanted?.bucket !== bucket) return null;
  const at = rows.findIndex((row) => row.key === wanted.key);
  if (at < 0) return null;
  revealing = null;
  return clickRow(EMPTY_SELECTION, rows, at);
}
