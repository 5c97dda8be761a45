// The actions on a selection of objects, as the context menu, the overflow
// menu and the keyboard find them. Each item says when it applies; an action
// the app does not have (Rename, Move to… before they exist) has no item.
import type { IconName } from './components/Icon.svelte';
import type { MessageKey } from './i18n';
import type { Entry, FileEntry } from './sort';

export interface ObjectMenuItem {
  /** Stable: tests find items by `menu-<id>`, and the keyboard runs 'rename' and 'delete' by id. */
  id: string;
  label: MessageKey;
  icon: IconName;
  danger?: boolean;
  /** Drawn with a separator above it. */
  group: 'share' | 'transfer' | 'manage' | 'end';
  when: (selected: readonly Entry[]) => boolean;
  run: (selected: readonly Entry[]) => void;
}

/**
 * What the browser can do with a selection. The optional ones are the extension point for the
 * management actions: pass a callback and its menu item (and F2 for rename) appears.
 */
export interface ObjectActions {
  share: (file: FileEntry) => void;
  copyLinks: (files: FileEntry[]) => void;
  copyPaths: (entries: readonly Entry[]) => void;
  download: (entries: readonly Entry[]) => void;
  delete: (entries: readonly Entry[]) => void;
  properties: (entries: readonly Entry[]) => void;
  rename?: (entry: Entry) => void;
  moveTo?: (entries: readonly Entry[]) => void;
  copyTo?: (entries: readonly Entry[]) => void;
  /** "Versions…" on one file, while the bucket keeps versions. */
  versions?: { show: (file: FileEntry) => void; available: () => boolean };
}

const files = (selected: readonly Entry[]): FileEntry[] => selected.filter((e): e is FileEntry => e.kind === 'file');
const some = (selected: readonly Entry[]) => selected.length > 0;
const oneFile = (selected: readonly Entry[]) => selected.length === 1 && selected[0].kind === 'file';

/** The menu items for `actions`, in menu order. */
export function objectMenuItems(actions: ObjectActions): ObjectMenuItem[] {
  const items: (ObjectMenuItem | null)[] = [
    { id: 'share', label: 'menu.share', icon: 'link', group: 'share', when: oneFile, run: (s) => actions.share(files(s)[0]) },
    { id: 'copyUrl', label: 'menu.copyUrl', icon: 'copy', group: 'share', when: (s) => files(s).length > 0, run: (s) => actions.copyLinks(files(s)) },
    { id: 'copyPath', label: 'menu.copyPath', icon: 'copy', group: 'share', when: some, run: (s) => actions.copyPaths(s) },
    { id: 'download', label: 'menu.download', icon: 'download', group: 'transfer', when: some, run: (s) => actions.download(s) },
    actions.rename ? manage('rename', 'menu.rename', 'edit', (s) => s.length === 1, (s) => actions.rename?.(s[0])) : null,
    actions.moveTo ? manage('moveTo', 'menu.moveTo', 'folder', some, (s) => actions.moveTo?.(s)) : null,
    actions.copyTo ? manage('copyTo', 'menu.copyTo', 'copy', some, (s) => actions.copyTo?.(s)) : null,
    actions.versions ? versionsItem(actions.versions) : null,
    { id: 'delete', label: 'menu.delete', icon: 'trash', danger: true, group: 'end', when: some, run: (s) => actions.delete(s) },
    { id: 'properties', label: 'menu.properties', icon: 'info', group: 'end', when: some, run: (s) => actions.properties(s) },
  ];
  return items.filter((item): item is ObjectMenuItem => item !== null);
}

function manage(id: string, label: MessageKey, icon: IconName, when: ObjectMenuItem['when'], run: ObjectMenuItem['run']): ObjectMenuItem {
  return { id, label, icon, group: 'manage', when, run };
}

function versionsItem(versions: NonNullable<ObjectActions['versions']>): ObjectMenuItem {
  return { id: 'versions', label: 'versions.menu', icon: 'clock', group: 'manage', when: (s) => oneFile(s) && versions.available(), run: (s) => versions.show(files(s)[0]) };
}

/** The items that apply to `selected`. */
export function itemsFor(items: readonly ObjectMenuItem[], selected: readonly Entry[]): ObjectMenuItem[] {
  return items.filter((item) => item.when(selected));
}

/** Runs item `id` on `selected` if it exists and applies; true when it ran. */
export function runItem(items: readonly ObjectMenuItem[], id: string, selected: readonly Entry[]): boolean {
  const item = items.find((i) => i.id === id);
  if (!item || !item.when(selected)) return false;
  item.run(selected);
  return true;
}

/** `oss://bucket/key` for each entry, one a line. */
export function ossPaths(bucket: string, entries: readonly Entry[]): string {
  return entries.map((e) => `oss://${bucket}/${e.key}`).join('\n');
}
