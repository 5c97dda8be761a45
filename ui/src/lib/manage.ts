// Pure rules of the management actions: rename targets, moves into themselves, the internal
// clipboard of keys, bucket names as OSS checks them, archive states and header edits.
import type { MetaEdit, ObjectState } from './api';
import { parentPrefix } from './names';
import { STORAGE_CLASS_NAMES } from './storageClass';

/** The storage classes OSS offers, in the order the UI lists them. */
export const STORAGE_CLASSES = STORAGE_CLASS_NAMES;
export type StorageClassName = (typeof STORAGE_CLASSES)[number];

/** The HTTP headers the properties dialog edits: the field of a metadata edit, and the header. */
export const EDITABLE_HEADERS = [
  ['contentType', 'Content-Type'],
  ['cacheControl', 'Cache-Control'],
  ['contentDisposition', 'Content-Disposition'],
  ['contentEncoding', 'Content-Encoding'],
  ['contentLanguage', 'Content-Language'],
  ['expires', 'Expires'],
] as const;
export type HeaderField = (typeof EDITABLE_HEADERS)[number][0];

/** Classes whose objects must be restored before they can be read. */
export function needsRestore(storageClass: string | null | undefined): boolean {
  return storageClass === 'Archive' || storageClass === 'ColdArchive' || storageClass === 'DeepColdArchive';
}

/** Whether a restore may be asked for: archived, or restored (extending it), not while one runs. */
export function canRestore(state: ObjectState): boolean {
  return state.state === 'archived' || state.state === 'restored';
}

/** Whether an object in `state` can be read (shared, downloaded) now. */
export function readable(state: ObjectState): boolean {
  return state.state === 'readable' || state.state === 'restored';
}

/**
 * The metadata edit a form describes. One object (`current` its headers): each field that differs
 * from it, an emptied one removed (""). Several: each field filled in; empty fields are kept.
 */
export function formEdit(
  values: Partial<Record<HeaderField, string>>,
  meta: readonly { name: string; value: string }[],
  current: MetaEdit | null,
): MetaEdit {
  const edit: MetaEdit = {
    contentType: null,
    cacheControl: null,
    contentDisposition: null,
    contentEncoding: null,
    contentLanguage: null,
    expires: null,
    setMeta: [],
    removeMeta: [],
  };
  for (const [field] of EDITABLE_HEADERS) {
    const value = (values[field] ?? '').trim();
    if (current ? value !== (current[field] ?? '') : value !== '') edit[field] = value;
  }
  const before = new Map((current?.setMeta ?? []).map(([name, value]) => [name.toLowerCase(), value]));
  const named = new Set<string>();
  for (const row of meta) {
    const name = metaName(row.name);
    if (name === '') continue;
    named.add(name);
    if (!current && row.value === '') edit.removeMeta.push(name);
    else if (before.get(name) !== row.value) edit.setMeta.push([name, row.value]);
  }
  for (const name of before.keys()) if (!named.has(name)) edit.removeMeta.push(name);
  return edit;
}

/** Whether an edit changes nothing. */
export function emptyEdit(edit: MetaEdit): boolean {
  return EDITABLE_HEADERS.every(([field]) => edit[field] === null) && edit.setMeta.length === 0 && edit.removeMeta.length === 0;
}

export type NewNameProblem = 'empty' | 'slash' | 'dots' | 'control' | 'same' | 'exists';

/** Why `name` cannot replace the last segment of `key` (a folder when it ends in "/"). */
export function renameProblem(key: string, name: string, existing: ReadonlySet<string>): NewNameProblem | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'empty';
  if (trimmed.includes('/')) return 'slash';
  if (trimmed === '.' || trimmed === '..') return 'dots';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'control';
  if (trimmed === lastSegment(key)) return 'same';
  if (existing.has(trimmed)) return 'exists';
  return null;
}

/** "a/b.txt" → "b.txt", "a/c/" → "c". */
export function lastSegment(key: string): string {
  const body = key.endsWith('/') ? key.slice(0, -1) : key;
  return body.slice(body.lastIndexOf('/') + 1);
}

/** The key `key` gets when renamed to `name` in its own folder (a folder keeps its trailing "/"). */
export function renamedKey(key: string, name: string): string {
  return `${parentPrefix(key)}${name.trim()}${key.endsWith('/') ? '/' : ''}`;
}

/** The first folder among `keys` that `destPrefix` of the same bucket lies in (moving it there would nest it in itself). */
export function intoItself(keys: readonly string[], sourceBucket: string, destBucket: string, destPrefix: string): string | null {
  if (sourceBucket !== destBucket) return null;
  return keys.find((k) => k.endsWith('/') && destPrefix.startsWith(k)) ?? null;
}

/** Everything in `keys` already sits directly in `destPrefix` of `destBucket`: moving is a no-op. */
export function alreadyThere(keys: readonly string[], sourceBucket: string, destBucket: string, destPrefix: string): boolean {
  return sourceBucket === destBucket && keys.length > 0 && keys.every((k) => parentPrefix(k) === destPrefix);
}

/** The app's own clipboard of objects: Ctrl+X (cut) or Ctrl+Shift+C (copy), then Ctrl+V. */
export interface KeyClipboard {
  mode: 'cut' | 'copy';
  bucket: string;
  keys: readonly string[];
}

export type BucketNameProblem = 'length' | 'chars' | 'edges';

/** Why OSS would refuse `name` as a bucket name: 3–63 characters, a–z 0–9 and "-", not starting or ending with "-". */
export function bucketNameProblem(name: string): BucketNameProblem | null {
  if (name.length < 3 || name.length > 63) return 'length';
  if (!/^[a-z0-9-]+$/.test(name)) return 'chars';
  if (name.startsWith('-') || name.endsWith('-')) return 'edges';
  return null;
}

/** User metadata names as OSS stores them: lower case, without "x-oss-meta-". */
export function metaName(name: string): string {
  return name.trim().toLowerCase().replace(/^x-oss-meta-/, '');
}

/** Whether `name` may be a user metadata name: letters, digits, "-" and "_". */
export function validMetaName(name: string): boolean {
  return /^[a-z0-9_-]+$/.test(metaName(name));
}
