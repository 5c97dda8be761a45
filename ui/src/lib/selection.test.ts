import { describe, expect, it } from 'vitest';
import { clickRow, cursorIndex, EMPTY_SELECTION, moveCursor, retainShown, selectAll, selectedRows, type Selection } from './selection';

const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ key }));
const sorted = (s: Selection) => [...s.keys].sort();

describe('clicks', () => {
  it('a plain click selects only that row and sets the anchor', () => {
    let s = clickRow(EMPTY_SELECTION, rows, 1);
    s = clickRow(s, rows, 3);
    expect(sorted(s)).toEqual(['d']);
    expect([s.anchor, s.cursor]).toEqual(['d', 'd']);
  });

  it('Shift-click selects the range from the anchor, either way, replacing the selection', () => {
    let s = clickRow(EMPTY_SELECTION, rows, 1);
    s = clickRow(s, rows, 4, { shift: true });
    expect(sorted(s)).toEqual(['b', 'c', 'd', 'e']);
    expect([s.anchor, s.cursor]).toEqual(['b', 'e']);
    s = clickRow(s, rows, 0, { shift: true });
    expect(sorted(s)).toEqual(['a', 'b']);
  });

  it('Shift-click without an anchor acts as a click', () => {
    expect(sorted(clickRow(EMPTY_SELECTION, rows, 2, { shift: true }))).toEqual(['c']);
  });

  it('Ctrl/Cmd-click toggles one row and moves the anchor', () => {
    let s = clickRow(EMPTY_SELECTION, rows, 0);
    s = clickRow(s, rows, 2, { toggle: true });
    expect(sorted(s)).toEqual(['a', 'c']);
    s = clickRow(s, rows, 0, { toggle: true });
    expect(sorted(s)).toEqual(['c']);
    expect(s.anchor).toBe('a');
  });

  it('Ctrl+Shift-click adds the range to the selection', () => {
    let s = clickRow(EMPTY_SELECTION, rows, 0);
    s = clickRow(s, rows, 3, { toggle: true });
    s = clickRow(s, rows, 5, { shift: true, toggle: true });
    expect(sorted(s)).toEqual(['a', 'd', 'e', 'f']);
  });

  it('ignores a click outside the rows', () => {
    const s = clickRow(EMPTY_SELECTION, rows, 0);
    expect(clickRow(s, rows, 99)).toBe(s);
  });
});

describe('select all and keyboard', () => {
  it('Ctrl-A selects every row shown', () => {
    const s = selectAll(EMPTY_SELECTION, rows);
    expect(s.keys.size).toBe(6);
    expect(selectAll(EMPTY_SELECTION, []).keys.size).toBe(0);
  });

  it('arrows move a single selection; Shift+arrows extend from the anchor', () => {
    let s = moveCursor(EMPTY_SELECTION, rows, 0);
    s = moveCursor(s, rows, cursorIndex(s, rows) + 1);
    expect(sorted(s)).toEqual(['b']);
    s = moveCursor(s, rows, cursorIndex(s, rows) + 1, true);
    s = moveCursor(s, rows, cursorIndex(s, rows) + 1, true);
    expect(sorted(s)).toEqual(['b', 'c', 'd']);
    s = moveCursor(s, rows, cursorIndex(s, rows) - 3, true);
    expect(sorted(s)).toEqual(['a', 'b']);
  });

  it('clamps at both ends', () => {
    expect(moveCursor(EMPTY_SELECTION, rows, -5).cursor).toBe('a');
    expect(moveCursor(EMPTY_SELECTION, rows, 50).cursor).toBe('f');
    expect(moveCursor(EMPTY_SELECTION, [], 1)).toBe(EMPTY_SELECTION);
  });
});

describe('after the rows change', () => {
  it('drops rows no longer shown and keeps the rest', () => {
    let s = selectAll(clickRow(EMPTY_SELECTION, rows, 1), rows);
    s = retainShown(s, rows.slice(2));
    expect(sorted(s)).toEqual(['c', 'd', 'e', 'f']);
    expect(s.anchor).toBeNull();
    const same = retainShown(s, rows);
    expect(same).toBe(s);
  });

  it('lists the selected rows in display order', () => {
    let s = clickRow(EMPTY_SELECTION, rows, 4);
    s = clickRow(s, rows, 1, { toggle: true });
    expect(selectedRows(s, rows).map((r) => r.key)).toEqual(['b', 'e']);
  });
});
