// Rows dragged inside the list (HTML5 drag and drop, not files from the OS): their keys travel in
// a type of our own, so a drop of anything else is ignored.

export const ROW_DRAG_TYPE = 'application/x-osslite-keys';

/** Starts dragging `keys` (the selection, when the dragged row is in it; else that row). */
export function startRowDrag(event: DragEvent, keys: readonly string[]): void {
  if (!event.dataTransfer) return;
  event.dataTransfer.setData(ROW_DRAG_TYPE, JSON.stringify(keys));
  event.dataTransfer.effectAllowed = 'copyMove';
}

/** Whether the drag carries rows; if so, the drop is allowed (copy with Ctrl or ⌥, else move). */
export function acceptRowDrag(event: DragEvent): boolean {
  if (!event.dataTransfer?.types.includes(ROW_DRAG_TYPE)) return false;
  event.preventDefault();
  event.dataTransfer.dropEffect = event.ctrlKey || event.altKey ? 'copy' : 'move';
  return true;
}

/** The keys a drop carries (none when it carries something else). */
export function droppedKeys(event: DragEvent): string[] {
  const raw = event.dataTransfer?.getData(ROW_DRAG_TYPE);
  if (!raw) return [];
  try {
    const keys: unknown = JSON.parse(raw);
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

/** The keys to drag when the drag starts on `key`: the selection if it holds `key`, else `key` alone. */
export function draggedKeys(key: string, selected: readonly string[]): string[] {
  return selected.includes(key) ? [...selected] : [key];
}
