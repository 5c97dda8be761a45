// The search form as the user fills it, turned into the core's request; hits as list entries.
import type { SearchCriteria, SearchHit, SearchRequest } from './bindings';
import type { FileEntry } from './sort';

export const DEFAULT_MAX_SCAN = 1_000_000;
/** "Search further" multiplies the cap by this. */
export const RAISE_FACTOR = 10;

export const SIZE_UNITS = ['B', 'KB', 'MB', 'GB'] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number];
const UNIT_BYTES: Record<SizeUnit, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export interface SearchForm {
  /** Names, separated by commas: a glob (`*.csv`) or a part of the name (`report`). */
  names: string;
  contains: string;
  minSize: string;
  minUnit: SizeUnit;
  maxSize: string;
  maxUnit: SizeUnit;
  /** `YYYY-MM-DD` from a date input, or empty. */
  from: string;
  to: string;
  /** A storage class, or empty for any. */
  storageClass: string;
}

export function emptyForm(): SearchForm {
  return { names: '', contains: '', minSize: '', minUnit: 'MB', maxSize: '', maxUnit: 'MB', from: '', to: '', storageClass: '' };
}

const GLOB = /[*?[]/;

/** `report` → `*report*`; globs stay as they are. */
export function namePatterns(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => (GLOB.test(part) ? part : `*${part}*`));
}

function bytes(value: string, unit: SizeUnit): number | null {
  const text = value.trim();
  if (text === '') return null;
  const number = Number(text);
  if (!Number.isFinite(number) || number < 0) throw new Error(`size:${text}`);
  return Math.round(number * UNIT_BYTES[unit]);
}

/** Midnight UTC of a `YYYY-MM-DD` day, `days` later. */
function dayStart(day: string, days = 0): string | null {
  if (day === '') return null;
  const at = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) throw new Error(`date:${day}`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString();
}

/** The criteria of a form; throws `size:TEXT` or `date:TEXT` for a value that is not one. The
 * "to" day is included: modified before the next midnight. */
export function criteriaOf(form: SearchForm): SearchCriteria {
  return {
    names: namePatterns(form.names),
    contains: form.contains.trim() || null,
    minSize: bytes(form.minSize, form.minUnit),
    maxSize: bytes(form.maxSize, form.maxUnit),
    newer: dayStart(form.from),
    older: dayStart(form.to, 1),
    storageClass: form.storageClass || null,
  };
}

export function requestOf(bucket: string, prefix: string, form: SearchForm, maxScan: number): SearchRequest {
  return { bucket, prefix, criteria: criteriaOf(form), maxScan };
}

/** A hit as a row of the list, named by its path below the searched folder. */
export function hitEntry(hit: SearchHit, prefix: string): FileEntry {
  const name = hit.key.startsWith(prefix) ? hit.key.slice(prefix.length) : hit.key;
  const modified = hit.last_modified ? Date.parse(hit.last_modified) : Number.NaN;
  return {
    kind: 'file',
    key: hit.key,
    name,
    lower: name.toLowerCase(),
    size: hit.size,
    modified,
    lastModified: hit.last_modified,
    etag: hit.etag,
    storageClass: hit.storage_class,
  };
}

/** The folder that holds a key: `a/b/c.txt` → `a/b/`. */
export function folderOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

