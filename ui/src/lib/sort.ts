// The rows of a folder listing and how they sort. Pure and allocation-light:
// these functions run over up to a few hundred thousand loaded rows.
import type { ObjectState, ObjectSummary } from './api';
import { parseTime } from './format';

export interface FolderEntry {
  kind: 'folder';
  /** Full prefix, ending in '/'. */
  key: string;
  /** Shown name: the prefix below the current folder, without the trailing '/'. */
  name: string;
  /** `name` in lower case, for the substring filter. */
  lower: string;
}

export interface FileEntry {
  kind: 'file';
  key: string;
  name: string;
  lower: string;
  size: number;
  /** Milliseconds since the epoch (NaN when OSS sent no valid date). */
  modified: number;
  lastModified: string | null;
  etag: string;
  /** null when OSS named none. */
  storageClass: string | null;
  /** Archived, restoring, restored or readable (from the listing). */
  state?: ObjectState;
}

export type Entry = FolderEntry | FileEntry;

export type SortField = 'name' | 'size' | 'date';
export type SortDirection = 'asc' | 'desc';
export interface SortOrder {
  field: SortField;
  direction: SortDirection;
}

/**
 * Name ascending: close to the order OSS lists keys in (folders first, then by
 * key), apart from numbers in names, which sort naturally here.
 */
export const SERVER_ORDER: Readonly<SortOrder> = { field: 'name', direction: 'asc' };

export function folderEntry(prefix: string, parent: string): FolderEntry {
  const name = prefix.slice(parent.length).replace(/\/$/, '');
  return { kind: 'folder', key: prefix, name, lower: name.toLowerCase() };
}

export function fileEntry(object: ObjectSummary, parent: string): FileEntry {
  const name = object.key.slice(parent.length);
  return {
    kind: 'file',
    key: object.key,
    name,
    lower: name.toLowerCase(),
    size: object.size,
    modified: parseTime(object.lastModified),
    lastModified: object.lastModified,
    etag: object.etag,
    storageClass: object.storageClass,
    state: object.state,
  };
}

/**
 * Compares by UTF-16 code units. OSS orders keys by UTF-8 bytes; the two
 * orders agree except between U+E000..U+FFFF and astral characters. Name
 * order uses it only to break ties of `compareNatural`.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Natural name order: runs of digits compare as numbers ("logo-32" before
 * "logo-128"), everything else by UTF-16 code units; equal runs fall back to
 * code units ("a01" before "a1"), so the order is total.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      // Leading zeros do not change the number.
      let si = i;
      let sj = j;
      while (si < ei - 1 && a.charCodeAt(si) === 48) si++;
      while (sj < ej - 1 && b.charCodeAt(sj) === 48) sj++;
      const byLength = ei - si - (ej - sj);
      if (byLength !== 0) return byLength < 0 ? -1 : 1;
      const byDigits = compareCodeUnits(a.slice(si, ei), b.slice(sj, ej));
      if (byDigits !== 0) return byDigits;
      i = ei;
      j = ej;
    } else {
      if (ca !== cb) return ca < cb ? -1 : 1;
      i++;
      j++;
    }
  }
  return a.length - i - (b.length - j) || compareCodeUnits(a, b);
}

/**
 * Sorts a copy of `entries`: folders always first; within each group by the
 * chosen field, ties broken by key ascending, so the order is total and
 * stable. Folders have no size or date: for those fields they stay in name
 * order ascending. Array.prototype.sort is a merge sort in V8 and WebKit, so
 * an already-ordered listing (the usual case for name order) sorts in O(n).
 */
export function sortEntries(entries: readonly Entry[], order: SortOrder): Entry[] {
  const sign = order.direction === 'asc' ? 1 : -1;
  const byName = (a: Entry, b: Entry) => compareNatural(a.key, b.key);
  let compareFiles: (a: FileEntry, b: FileEntry) => number;
  switch (order.field) {
    case 'name':
      compareFiles = (a, b) => sign * compareNatural(a.key, b.key);
      break;
    case 'size':
      compareFiles = (a, b) => sign * (a.size - b.size) || compareCodeUnits(a.key, b.key);
      break;
    case 'date':
      compareFiles = (a, b) => {
        // An unknown date (NaN) sorts after every known one, in both directions.
        const an = Number.isNaN(a.modified);
        const bn = Number.isNaN(b.modified);
        if (an || bn) return an === bn ? compareCodeUnits(a.key, b.key) : an ? 1 : -1;
        return sign * (a.modified - b.modified) || compareCodeUnits(a.key, b.key);
      };
      break;
  }
  const folderSign = order.field === 'name' ? sign : 1;
  return entries.slice().sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    if (a.kind === 'folder') return folderSign * byName(a, b);
    return compareFiles(a, b as FileEntry);
  });
}

/** Entries whose name contains `text`, case-insensitively; the same array when `text` is blank. */
export function filterEntries(entries: readonly Entry[], text: string): readonly Entry[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return entries;
  return entries.filter((e) => e.lower.includes(needle));
}

/** A sort order read back from storage, or null when it is not one. */
export function parseSortOrder(value: unknown): SortOrder | null {
  if (typeof value !== 'object' || value === null) return null;
  const { field, direction } = value as Record<string, unknown>;
  if (field !== 'name' && field !== 'size' && field !== 'date') return null;
  if (direction !== 'asc' && direction !== 'desc') return null;
  return { field, direction };
}

/** Clicking a column: the same field flips direction; a new field starts ascending for names, descending otherwise. */
export function nextOrder(current: SortOrder, field: SortField): SortOrder {
  if (current.field === field) return { field, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { field, direction: field === 'name' ? 'asc' : 'desc' };
}
