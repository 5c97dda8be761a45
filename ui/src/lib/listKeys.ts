// What each key of the shortcut map (shortcuts.ts) does to the object list. Pure dispatch: the
// component passes the list's state and the operations that change it.
import { EXTENDS_WITH_SHIFT, type ShortcutAction } from './shortcuts';

/** The object list as the keyboard sees it. */
export interface ListKeyTarget {
  rowCount: number;
  /** The cursor row, or -1. */
  cursor: number;
  pageSize: number;
  selectedCount: number;
  /** Text selected on the page (a detail, say): Ctrl+C copies it as text then. */
  textSelected(): boolean;
  moveTo(index: number, extend: boolean): void;
  openAt(index: number): void;
  goUp(): void;
  /** Runs the context-menu item of that id; false when it does not apply. */
  runMenuItem(id: 'delete' | 'rename'): boolean;
  copyLinks(): void;
  clearSelection(): void;
  toggleAt(index: number): void;
  selectAll(): void;
  focusFilter(): void;
  search(): void;
  help(): void;
  quickLook(open: boolean): void;
  remember(kind: 'cut' | 'copy'): void;
  paste(): void;
}

/** Runs `action` on the list; false when it means nothing here (the key then does its default). */
export function runListKey(action: ShortcutAction, shift: boolean, list: ListKeyTarget): boolean {
  const current = list.cursor;
  const extend = shift && EXTENDS_WITH_SHIFT.has(action);
  switch (action) {
    case 'cursorDown':
      list.moveTo(current < 0 ? 0 : current + 1, extend);
      break;
    case 'cursorUp':
      list.moveTo(current < 0 ? 0 : current - 1, extend);
      break;
    case 'pageDown':
      list.moveTo(Math.max(0, current) + list.pageSize, extend);
      break;
    case 'pageUp':
      list.moveTo(Math.max(0, current) - list.pageSize, extend);
      break;
    case 'first':
      list.moveTo(0, extend);
      break;
    case 'last':
      list.moveTo(list.rowCount - 1, extend);
      break;
    case 'open':
      if (current >= 0) list.openAt(current);
      break;
    case 'up':
      list.goUp();
      break;
    case 'delete':
    case 'rename':
      return list.runMenuItem(action);
    case 'copyLinks':
      if (list.selectedCount === 0 || list.textSelected()) return false;
      list.copyLinks();
      break;
    case 'clearSelection':
      list.clearSelection();
      break;
    case 'toggleSelected':
      if (current >= 0) list.toggleAt(current);
      break;
    case 'selectAll':
      list.selectAll();
      break;
    case 'focusFilter':
      list.focusFilter();
      break;
    case 'search':
      list.search();
      break;
    case 'help':
      list.help();
      break;
    case 'quickLook':
      list.quickLook(current >= 0);
      break;
    case 'cut':
      list.remember('cut');
      break;
    case 'copyObjects':
      list.remember('copy');
      break;
    case 'paste':
      list.paste();
      break;
  }
  return true;
}
