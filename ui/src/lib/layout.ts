// Layout arithmetic for small windows: what fits in a toolbar, which
// breadcrumb parts collapse, where a long name is cut, how tall the transfer
// panel may be. Pure; the components measure and apply.

/**
 * How many of the items (widths in px, in order) fit in `available` px with `gap` between
 * them. When not all fit, room is kept for the overflow button (`moreWidth`).
 */
export function fitCount(widths: readonly number[], available: number, gap: number, moreWidth: number): number {
  const total = widths.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, widths.length - 1);
  if (total <= available) return widths.length;
  let used = moreWidth;
  let count = 0;
  for (const w of widths) {
    const next = used + gap + w;
    if (next > available) break;
    used = next;
    count += 1;
  }
  return count;
}

/**
 * Breadcrumb parts (widths in px) shown in `available` px: the first and the last always, then
 * as many of the last ones before it as fit; the rest go behind one "…" part. Returns how many
 * parts after the first are hidden (0: all shown).
 */
export function hiddenCrumbs(widths: readonly number[], available: number, ellipsisWidth: number): number {
  const total = widths.reduce((sum, w) => sum + w, 0);
  if (widths.length <= 2 || total <= available) return 0;
  let used = widths[0] + widths[widths.length - 1] + ellipsisWidth;
  let shownMiddle = 0;
  for (let i = widths.length - 2; i >= 1; i--) {
    if (used + widths[i] > available) break;
    used += widths[i];
    shownMiddle += 1;
  }
  return widths.length - 2 - shownMiddle;
}

/**
 * A name split for a cut in the middle: the head shrinks behind an ellipsis, the tail (the
 * extension and a few characters before it) always shows, as in `very-long-na…2026.csv`.
 */
export function splitName(name: string, tailChars = 8): { head: string; tail: string } {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 10 ? name.length - dot : 0;
  const keep = Math.min(name.length, extension + tailChars);
  // Short names are not split: there is nothing to keep apart.
  if (name.length <= keep + 4) return { head: name, tail: '' };
  return { head: name.slice(0, name.length - keep), tail: name.slice(name.length - keep) };
}

/** The transfer panel's height bounds: never under `MIN_PANEL`, and the list keeps `listReserve` px. */
export const MIN_PANEL = 120;
export const DEFAULT_PANEL = 280;

/** `wanted` px of panel in a window `windowHeight` px tall, where the rest needs `listReserve` px. */
export function clampPanelHeight(wanted: number, windowHeight: number, listReserve: number): number {
  const max = Math.max(MIN_PANEL, windowHeight - listReserve);
  const value = Number.isFinite(wanted) ? wanted : DEFAULT_PANEL;
  return Math.round(Math.min(max, Math.max(MIN_PANEL, value)));
}

export const PANEL_HEIGHT_KEY = 'osslite.transferPanelHeight.v1';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The saved panel height, or the default when none (or nothing readable) is saved. */
export function loadPanelHeight(store: KeyValueStore | undefined): number {
  try {
    const n = Number(store?.getItem(PANEL_HEIGHT_KEY) ?? '');
    return Number.isFinite(n) && n >= MIN_PANEL ? n : DEFAULT_PANEL;
  } catch {
    return DEFAULT_PANEL;
  }
}

export function savePanelHeight(store: KeyValueStore | undefined, height: number): void {
  try {
    store?.setItem(PANEL_HEIGHT_KEY, String(Math.round(height)));
  } catch {
    // Not remembered; the height still applies now.
  }
}
