import { describe, expect, it } from 'vitest';
import { en } from './i18n/en';
import { keepsNativeMenu } from './nativeMenu';
import { actionFor, isTypingTarget, opensMenu, SHORTCUT_HELP, type KeyInput } from './shortcuts';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('the key map', () => {
  it('opens, goes up with Backspace or Alt+↑, renames, deletes', () => {
    expect(actionFor(key('Enter'))).toBe('open');
    expect(actionFor(key('Backspace'))).toBe('up');
    expect(actionFor(key('ArrowUp', { altKey: true }))).toBe('up');
    expect(actionFor(key('F2'))).toBe('rename');
    expect(actionFor(key('Delete'))).toBe('delete');
  });

  it('Ctrl (or Cmd) with C, F, A copies links, focuses the filter, selects all, whatever the case', () => {
    expect(actionFor(key('c', { ctrlKey: true }))).toBe('copyLinks');
    expect(actionFor(key('C', { metaKey: true }))).toBe('copyLinks');
    expect(actionFor(key('f', { ctrlKey: true }))).toBe('focusFilter');
    expect(actionFor(key('a', { ctrlKey: true }))).toBe('selectAll');
  });

  it('plain letters and other modifier combinations mean nothing', () => {
    expect(actionFor(key('c'))).toBeNull();
    expect(actionFor(key('f'))).toBeNull();
    expect(actionFor(key('q', { ctrlKey: true }))).toBeNull();
    expect(actionFor(key('c', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(actionFor(key('ArrowDown', { altKey: true }))).toBeNull();
    expect(actionFor(key('Delete', { shiftKey: true }))).toBeNull();
  });

  it('Ctrl+C copies links, Ctrl+Shift+C the objects; Ctrl+X cuts and Ctrl+V pastes them', () => {
    expect(actionFor(key('c', { ctrlKey: true }))).toBe('copyLinks');
    expect(actionFor(key('C', { ctrlKey: true, shiftKey: true }))).toBe('copyObjects');
    expect(actionFor(key('x', { ctrlKey: true }))).toBe('cut');
    expect(actionFor(key('v', { metaKey: true }))).toBe('paste');
    expect(actionFor(key('v', { ctrlKey: true, shiftKey: true }))).toBeNull();
  });

  it('arrows move, and with Shift still move (to extend); ? opens the help, typed with Shift or not', () => {
    expect(actionFor(key('ArrowDown'))).toBe('cursorDown');
    expect(actionFor(key('ArrowUp', { shiftKey: true }))).toBe('cursorUp');
    expect(actionFor(key('End', { shiftKey: true }))).toBe('last');
    expect(actionFor(key('?', { shiftKey: true }))).toBe('help');
    expect(actionFor(key('?'))).toBe('help');
  });

  it('Space opens quick look (as in Finder); Ctrl+Space toggles the selection of the focused row', () => {
    expect(actionFor(key(' '))).toBe('quickLook');
    expect(actionFor(key(' ', { ctrlKey: true }))).toBe('toggleSelected');
    expect(actionFor(key(' ', { metaKey: true }))).toBe('toggleSelected');
    expect(actionFor(key(' ', { shiftKey: true }))).toBeNull();
  });

  it('Shift+F10 and the Menu key open the context menu', () => {
    expect(opensMenu(key('F10', { shiftKey: true }))).toBe(true);
    expect(opensMenu(key('ContextMenu'))).toBe(true);
    expect(opensMenu(key('F10'))).toBe(false);
  });
});

describe('typing targets', () => {
  it('text fields, selects, text areas and editable content take the keys', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('checkboxes, buttons, the list and nothing at all do not', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('the help overlay', () => {
  it('lists every action of the map, each with an English label', () => {
    const labels = SHORTCUT_HELP.map((h) => h.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const label of labels) expect(Object.keys(en)).toContain(label);
    const shown = SHORTCUT_HELP.flatMap((h) => h.keys);
    for (const k of ['Enter', 'Backspace', 'Alt+↑', 'Ctrl+C', 'F2', 'Delete', 'Ctrl+F', '?']) expect(shown).toContain(k);
  });
});

describe("WebKit's own context menu", () => {
  it('stays in text fields only, and with Shift in a debug build (for the inspector)', () => {
    expect(keepsNativeMenu({ tagName: 'INPUT', type: 'text' }, false, false)).toBe(true);
    expect(keepsNativeMenu({ tagName: 'DIV' }, false, false)).toBe(false);
    expect(keepsNativeMenu({ tagName: 'DIV' }, false, true)).toBe(false);
    expect(keepsNativeMenu({ tagName: 'DIV' }, true, true)).toBe(true);
    expect(keepsNativeMenu({ tagName: 'BUTTON' }, true, false)).toBe(false);
  });
});
