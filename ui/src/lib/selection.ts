// Multi-selection over the rows currently shown (sorted and filtered), the
// way desktop file managers do it. Pure: every function returns a new value.
//
// - click: select only that row; it becomes the anchor for Shift.
// - Ctrl/Cmd-click: toggle that row; it becomes the anchor.
// - Shift-click: select the range anchor..row (replacing the selection);
//   with Ctrl/Cmd as well, add the range to the selection.
// - Ctrl/Cmd-A: select every row shown.
// - Arrows move the cursor; with Shift they extend the range from the anchor.

export interface Selection {
  readonly keys: ReadonlySet<string>;
  /** Where a Shift range starts. */
  readonly anchor: string | null;
  /** The focused row (keyboard cursor). */
  readonly cursor: string | null;
}

export interface Row {
  readonly key: string;
}

export interface Modifiers {
  shift?: boolean;
  /** Ctrl, or Cmd on macOS. */
  toggle?: boolean;
}

export const EMPTY_SELECTION: Selection = { keys: new Set(), anchor: null, cursor: null };

function indexOfKey(rows: readonly Row[], key: string | null): number {
  if (key === null) return -1;
  for (let i = 0; i < rows.length; i++) if (rows[i].key === key) return i;
  return -1;
}

function range(rows: readonly Row[], from: number, to: number, into: Set<string> = new Set()): Set<string> {
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  for (let i = lo; i <= hi; i++) into.add(rows[i].key);
  return into;
}

/** The selection after clicking row `index` of `rows` with `mods`. */
export function clickRow(selection: Selection, rows: readonly Row[], index: number, mods: Modifiers = {}): Selection {
  const row = rows[index];
  if (!row) return selection;
  if (mods.shift) {
    const anchorIndex = indexOfKey(rows, selection.anchor);
    if (anchorIndex >= 0) {
      const keys = range(rows, anchorIndex, index, mods.toggle ? new Set(selection.keys) : new Set());
      return { keys, anchor: selection.anchor, cursor: row.key };
    }
  }
  if (mods.toggle) {
    const keys = new Set(selection.keys);
    if (keys.has(row.key)) keys.delete(row.key);
    else keys.add(row.key);
    return { keys, anchor: row.key, cursor: row.key };
  }
  return { keys: new Set([row.key]), anchor: row.key, cursor: row.key };
}

/** Every row shown, keeping anchor and cursor. */
export function selectAll(selection: Selection, rows: readonly Row[]): Selection {
  const keys = new Set<string>();
  for (const row of rows) keys.add(row.key);
  return { keys, anchor: selection.anchor ?? rows[0]?.key ?? null, cursor: selection.cursor ?? rows[0]?.key ?? null };
}

/** Index of the cursor in `rows`, or -1. */
export function cursorIndex(selection: Selection, rows: readonly Row[]): number {
  return indexOfKey(rows, selection.cursor);
}

/**
 * Moves the cursor to `target` (clamped to the rows). Without Shift the row
 * under the cursor becomes the only selection; with Shift the range from the
 * anchor to it does.
 */
export function moveCursor(selection: Selection, rows: readonly Row[], target: number, shift = false): Selection {
  if (rows.length === 0) return selection;
  const index = Math.max(0, Math.min(rows.length - 1, target));
  return clickRow(selection, rows, index, { shift });
}

/** Drops selected keys that are no longer shown (after filtering or a refresh). */
export function retainShown(selection: Selection, rows: readonly Row[]): Selection {
  if (selection.keys.size === 0) return selection;
  const shown = new Set<string>();
  for (const row of rows) if (selection.keys.has(row.key)) shown.add(row.key);
  if (shown.size === selection.keys.size) return selection;
  const has = (key: string | null) => (key !== null && indexOfKey(rows, key) >= 0 ? key : null);
  return { keys: shown, anchor: has(selection.anchor), cursor: has(selection.cursor) };
}

/** The selected rows in display order. */
export function selectedRows<T extends Row>(selection: Selection, rows: readonly T[]): T[] {
  if (selection.keys.size === 0) return [];
  return rows.filter((row) => selection.keys.has(row.key));
}
