// Short notices at the bottom of the window ("URL copied", "Deleted 12 objects").
import type { AppError } from './api';

export interface Toast {
  id: number;
  tone: 'success' | 'info' | 'error';
  text: string;
  error?: AppError;
}

let nextId = 1;
const list = $state<Toast[]>([]);

export function toasts(): readonly Toast[] {
  return list;
}

export function dismissToast(id: number): void {
  const index = list.findIndex((toast) => toast.id === id);
  if (index >= 0) list.splice(index, 1);
}

/** Shows `text` for a few seconds (errors stay until dismissed). */
export function showToast(text: string, tone: Toast['tone'] = 'success', error?: AppError): void {
  const id = nextId++;
  list.push(error ? { id, tone, text, error } : { id, tone, text });
  if (list.length > 4) list.shift();
  if (tone !== 'error') setTimeout(() => dismissToast(id), 3500);
}
