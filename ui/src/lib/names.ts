// Names of new folders and the path segments shown in breadcrumbs. Pure.

/** OSS object keys are at most 1023 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1023;

export type FolderNameProblem = 'empty' | 'slash' | 'dots' | 'tooLong' | 'exists' | 'control';

/** Why `name` cannot be a new folder under `parent` (null when it can). */
export function folderNameProblem(name: string, parent: string, existing: ReadonlySet<string>): FolderNameProblem | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'empty';
  if (trimmed.includes('/')) return 'slash';
  if (trimmed === '.' || trimmed === '..') return 'dots';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'control';
  if (new TextEncoder().encode(`${parent}${trimmed}/`).length > MAX_KEY_BYTES) return 'tooLong';
  if (existing.has(trimmed)) return 'exists';
  return null;
}

export interface Crumb {
  label: string;
  /** The prefix this crumb opens ('' for the bucket root). */
  prefix: string;
}

/**
 * "a/b/c/" → [a → "a/", b → "a/b/", c → "a/b/c/"]. An empty segment (a key
 * like "a//b") keeps its place, labelled "∅", so every crumb opens the right prefix.
 */
export function crumbs(prefix: string): Crumb[] {
  if (prefix === '') return [];
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const out: Crumb[] = [];
  let path = '';
  for (const part of body.split('/')) {
    path += `${part}/`;
    out.push({ label: part === '' ? '∅' : part, prefix: path });
  }
  return out;
}

/** The folder above `prefix` ("a/b/" → "a/", "a/" → ""). */
export function parentPrefix(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const cut = trimmed.lastIndexOf('/');
  return cut < 0 ? '' : trimmed.slice(0, cut + 1);
}
