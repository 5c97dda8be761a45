// Files dragged from the OS over the object list: Tauri's webview drag-drop events, not HTML5 drag
// and drop. The rows are measured on screen so that dropTarget.ts can tell which one is under the pointer.
import { onFileDrop, type DropEvent } from './api';
import type { RowBox } from './dropTarget';

/** The object rows inside `container` as laid out now, and the container's own box. */
export function measureRows(container: HTMLElement | undefined): { rows: RowBox[]; box: DOMRect | null } {
  const rows: RowBox[] = [];
  for (const el of container?.querySelectorAll<HTMLElement>('[data-testid="object-row"]') ?? []) {
    const key = el.dataset.key ?? '';
    const r = el.getBoundingClientRect();
    rows.push({ key, kind: key.endsWith('/') ? 'folder' : 'file', top: r.top, bottom: r.bottom, left: r.left, right: r.right });
  }
  return { rows, box: container?.getBoundingClientRect() ?? null };
}

/** Listens to OS file drags until the returned function is called (even before listening began). */
export function followFileDrops(handler: (event: DropEvent) => void): () => void {
  let stop: (() => void) | null = null;
  let gone = false;
  void onFileDrop(handler).then((unlisten) => {
    if (gone) unlisten();
    else stop = unlisten;
  });
  return () => {
    gone = true;
    stop?.();
  };
}
