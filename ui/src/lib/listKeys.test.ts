import { describe, expect, it, vi } from 'vitest';
import { runListKey, type ListKeyTarget } from './listKeys';

function target(over: Partial<ListKeyTarget> = {}): ListKeyTarget {
  return {
    rowCount: 50,
    cursor: 5,
    pageSize: 10,
    selectedCount: 1,
    textSelected: () => false,
    moveTo: vi.fn(),
    openAt: vi.fn(),
    goUp: vi.fn(),
    runMenuItem: vi.fn(() => true),
    copyLinks: vi.fn(),
    clearSelection: vi.fn(),
    toggleAt: vi.fn(),
    selectAll: vi.fn(),
    focusFilter: vi.fn(),
    search: vi.fn(),
    help: vi.fn(),
    quickLook: vi.fn(),
    remember: vi.fn(),
    paste: vi.fn(),
    ...over,
  };
}

describe('runListKey', () => {
  it('moves the cursor by one, a page, or to either end; Shift extends', () => {
    const list = target();
    runListKey('cursorDown', false, list);
    runListKey('pageUp', true, list);
    runListKey('last', false, list);
    expect(list.moveTo).toHaveBeenNthCalledWith(1, 6, false);
    expect(list.moveTo).toHaveBeenNthCalledWith(2, -5, true);
    expect(list.moveTo).toHaveBeenNthCalledWith(3, 49, false);
  });

  it('starts at the first row when there is no cursor', () => {
    const list = target({ cursor: -1 });
    runListKey('cursorUp', false, list);
    expect(list.moveTo).toHaveBeenCalledWith(0, false);
    expect(runListKey('open', false, list)).toBe(true);
    expect(list.openAt).not.toHaveBeenCalled();
    runListKey('quickLook', false, list);
    expect(list.quickLook).toHaveBeenCalledWith(false);
  });

  it('leaves Ctrl+C to the page when text is selected or nothing is', () => {
    expect(runListKey('copyLinks', false, target({ textSelected: () => true }))).toBe(false);
    expect(runListKey('copyLinks', false, target({ selectedCount: 0 }))).toBe(false);
    const list = target();
    expect(runListKey('copyLinks', false, list)).toBe(true);
    expect(list.copyLinks).toHaveBeenCalledOnce();
  });

  it('delete and rename go through the menu item, which may refuse', () => {
    const list = target({ runMenuItem: vi.fn(() => false) });
    expect(runListKey('rename', false, list)).toBe(false);
    expect(list.runMenuItem).toHaveBeenCalledWith('rename');
  });

  it('cut and copy remember the selection for paste', () => {
    const list = target();
    runListKey('cut', false, list);
    runListKey('copyObjects', false, list);
    runListKey('paste', false, list);
    expect(list.remember).toHaveBeenNthCalledWith(1, 'cut');
    expect(list.remember).toHaveBeenNthCalledWith(2, 'copy');
    expect(list.paste).toHaveBeenCalledOnce();
  });
});
