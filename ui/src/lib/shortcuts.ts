// The browser's keyboard map: which key does what, and the list the help
// overlay shows. Pure; listKeys.ts runs the actions on the object list.
import type { MessageKey } from './i18n';

export type ShortcutAction =
  | 'open'
  | 'up'
  | 'copyLinks'
  | 'rename'
  | 'delete'
  | 'focusFilter'
  | 'search'
  | 'help'
  | 'selectAll'
  | 'clearSelection'
  | 'toggleSelected'
  | 'quickLook'
  | 'cursorDown'
  | 'cursorUp'
  | 'pageDown'
  | 'pageUp'
  | 'first'
  | 'last'
  | 'cut'
  | 'copyObjects'
  | 'paste';

/** The parts of a KeyboardEvent the map reads. */
export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Arrow-like actions extend the selection when Shift is held. */
export const EXTENDS_WITH_SHIFT: ReadonlySet<ShortcutAction> = new Set(['cursorDown', 'cursorUp', 'pageDown', 'pageUp', 'first', 'last']);

const PLAIN: Readonly<Record<string, ShortcutAction>> = {
  Enter: 'open',
  Backspace: 'up',
  F2: 'rename',
  Delete: 'delete',
  Escape: 'clearSelection',
  ' ': 'quickLook',
  '?': 'help',
  ArrowDown: 'cursorDown',
  ArrowUp: 'cursorUp',
  PageDown: 'pageDown',
  PageUp: 'pageUp',
  Home: 'first',
  End: 'last',
};

const WITH_CTRL: Readonly<Record<string, ShortcutAction>> = {
  ' ': 'toggleSelected',
  a: 'selectAll',
  c: 'copyLinks',
  f: 'focusFilter',
  x: 'cut',
  v: 'paste',
};

/** Ctrl+C copies links; Ctrl+Shift+C copies the objects themselves, for Ctrl+V. */
const WITH_CTRL_SHIFT: Readonly<Record<string, ShortcutAction>> = {
  c: 'copyObjects',
  f: 'search',
};

/** The action `event` asks for in the object list, or null when the key means nothing there. */
export function actionFor(event: KeyInput): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && !event.altKey && event.shiftKey) return WITH_CTRL_SHIFT[event.key.toLowerCase()] ?? null;
  if (mod && !event.altKey) return WITH_CTRL[event.key.toLowerCase()] ?? null;
  if (event.altKey) return !mod && event.key === 'ArrowUp' ? 'up' : null;
  const action = PLAIN[event.key] ?? null;
  // Shift is how '?' is typed, and how arrows extend; elsewhere it makes another key.
  if (event.shiftKey && action !== 'help' && action !== null && !EXTENDS_WITH_SHIFT.has(action)) return null;
  return action;
}

/** The parts of an element `isTypingTarget` reads (an interface, so tests need no DOM). */
export interface TargetLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

const NOT_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True where keys belong to what the user is typing or choosing: text fields, selects, editable content. */
export function isTypingTarget(target: TargetLike | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NOT_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
}

/** One line of the help overlay: the keys (as shown) and the i18n key of what they do. */
export interface ShortcutHelp {
  keys: readonly string[];
  label: MessageKey;
}

export const SHORTCUT_HELP: readonly ShortcutHelp[] = [
  { keys: ['Enter'], label: 'keys.open' },
  { keys: ['Backspace', 'Alt+↑'], label: 'keys.up' },
  { keys: ['Alt+←', 'Alt+→'], label: 'keys.history' },
  { keys: ['Ctrl+L', 'Alt+D'], label: 'keys.address' },
  { keys: ['↑', '↓', 'PgUp', 'PgDn', 'Home', 'End'], label: 'keys.move' },
  { keys: ['Shift+↑', 'Shift+↓'], label: 'keys.extend' },
  { keys: ['Space'], label: 'keys.quickLook' },
  { keys: ['Ctrl+Space'], label: 'keys.toggle' },
  { keys: ['Ctrl+A'], label: 'keys.selectAll' },
  { keys: ['Esc'], label: 'keys.clear' },
  { keys: ['Ctrl+C'], label: 'keys.copyLinks' },
  { keys: ['F2'], label: 'keys.rename' },
  { keys: ['Ctrl+X'], label: 'keys.cut' },
  { keys: ['Ctrl+Shift+C'], label: 'keys.copyObjects' },
  { keys: ['Ctrl+V'], label: 'keys.paste' },
  { keys: ['Ctrl+drag'], label: 'keys.dragCopy' },
  { keys: ['Delete'], label: 'keys.delete' },
  { keys: ['Ctrl+F'], label: 'keys.filter' },
  { keys: ['Ctrl+Shift+F'], label: 'keys.search' },
  { keys: ['Shift+F10', 'Menu'], label: 'keys.menu' },
  { keys: ['?'], label: 'keys.help' },
];

/** The keys that open the context menu for the selection from the keyboard. */
export function opensMenu(event: KeyInput): boolean {
  return event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey && !event.ctrlKey && !event.altKey);
}
