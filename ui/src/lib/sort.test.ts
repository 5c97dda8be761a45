import { describe, expect, it } from 'vitest';
import { compareNatural, fileEntry, filterEntries, folderEntry, nextOrder, parseSortOrder, sortEntries, type Entry } from './sort';

const P = 'p/';
const file = (name: string, size: number, lastModified: string) => fileEntry({ key: P + name, size, lastModified, etag: '"x"', storageClass: 'Standard', state: { state: 'readable' } }, P);
const folder = (name: string) => folderEntry(`${P}${name}/`, P);

// As OSS lists them: folders, then files, each in key order.
const listing: Entry[] = [
  folder('b-dir'),
  folder('a-dir'),
  file('a.txt', 300, '2024-01-03T00:00:00Z'),
  file('b.txt', 100, '2024-01-01T00:00:00Z'),
  file('c.txt', 300, '2024-01-02T00:00:00Z'),
  file('d.txt', 200, 'not a date'),
];
const keys = (entries: readonly Entry[]) => entries.map((e) => e.name);

describe('entries', () => {
  it('name rows relative to the folder', () => {
    expect(folder('x')).toEqual({ kind: 'folder', key: 'p/x/', name: 'x', lower: 'x' });
    const f = file('Photo.JPG', 5, '2024-01-01T00:00:00Z');
    expect([f.name, f.lower, f.modified]).toEqual(['Photo.JPG', 'photo.jpg', Date.UTC(2024, 0, 1)]);
  });
});

describe('sortEntries', () => {
  it('by name: folders first, each group in key order, or reversed', () => {
    expect(keys(sortEntries(listing, { field: 'name', direction: 'asc' }))).toEqual(['a-dir', 'b-dir', 'a.txt', 'b.txt', 'c.txt', 'd.txt']);
    expect(keys(sortEntries(listing, { field: 'name', direction: 'desc' }))).toEqual(['b-dir', 'a-dir', 'd.txt', 'c.txt', 'b.txt', 'a.txt']);
  });

  it('by size: folders first in name order, equal sizes by key', () => {
    expect(keys(sortEntries(listing, { field: 'size', direction: 'asc' }))).toEqual(['a-dir', 'b-dir', 'b.txt', 'd.txt', 'a.txt', 'c.txt']);
    expect(keys(sortEntries(listing, { field: 'size', direction: 'desc' }))).toEqual(['a-dir', 'b-dir', 'a.txt', 'c.txt', 'd.txt', 'b.txt']);
  });

  it('by date: unknown dates last in both directions', () => {
    expect(keys(sortEntries(listing, { field: 'date', direction: 'asc' }))).toEqual(['a-dir', 'b-dir', 'b.txt', 'c.txt', 'a.txt', 'd.txt']);
    expect(keys(sortEntries(listing, { field: 'date', direction: 'desc' }))).toEqual(['a-dir', 'b-dir', 'a.txt', 'c.txt', 'b.txt', 'd.txt']);
  });

  it('is stable and total: the input order does not change the result', () => {
    const shuffled = [listing[4], listing[0], listing[5], listing[2], listing[1], listing[3]];
    for (const field of ['name', 'size', 'date'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        expect(keys(sortEntries(shuffled, { field, direction }))).toEqual(keys(sortEntries(listing, { field, direction })));
      }
    }
  });

  it('does not modify its input', () => {
    const copy = [...listing];
    sortEntries(listing, { field: 'size', direction: 'desc' });
    expect(listing).toEqual(copy);
  });

  it('orders names by code unit, not by locale, and numbers in names naturally', () => {
    const entries = ['b', 'B', 'a', 'é', '10', '9'].map((n) => file(n, 1, ''));
    expect(keys(sortEntries(entries, { field: 'name', direction: 'asc' }))).toEqual(['9', '10', 'B', 'a', 'b', 'é']);
  });

  it('puts logo-32 before logo-128, in files and folders', () => {
    const entries = [file('logo-128.png', 1, ''), file('logo-32.png', 1, ''), folder('v10'), folder('v9')];
    expect(keys(sortEntries(entries, { field: 'name', direction: 'asc' }))).toEqual(['v9', 'v10', 'logo-32.png', 'logo-128.png']);
    expect(keys(sortEntries(entries, { field: 'name', direction: 'desc' }))).toEqual(['v10', 'v9', 'logo-128.png', 'logo-32.png']);
  });

  it('sorts 100,000 rows quickly', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => file(`IMG_${String(i).padStart(6, '0')}.jpg`, (i * 7919) % 100_003, ''));
    const started = performance.now();
    const sorted = sortEntries(many, { field: 'size', direction: 'desc' });
    expect(performance.now() - started).toBeLessThan(2000);
    const sizes = sorted.map((e) => (e.kind === 'file' ? e.size : 0));
    expect(sizes.every((size, i) => i === 0 || sizes[i - 1] >= size)).toBe(true);
  });
});

describe('compareNatural', () => {
  it('compares digit runs as numbers and is total', () => {
    const sorted = ['a10', 'a2', 'a02', 'a1b', 'a1', 'a', 'b1', 'a001', '2', '10'].sort(compareNatural);
    expect(sorted).toEqual(['2', '10', 'a', 'a001', 'a1', 'a1b', 'a02', 'a2', 'a10', 'b1']);
    expect(compareNatural('x7', 'x7')).toBe(0);
    expect(Math.sign(compareNatural('x007', 'x7'))).toBe(-Math.sign(compareNatural('x7', 'x007')));
    expect(compareNatural('99999999999999999999', '100000000000000000000')).toBeLessThan(0);
  });
});

describe('parseSortOrder', () => {
  it('accepts only a known field and direction', () => {
    expect(parseSortOrder({ field: 'size', direction: 'desc' })).toEqual({ field: 'size', direction: 'desc' });
    expect(parseSortOrder({ field: 'owner', direction: 'asc' })).toBeNull();
    expect(parseSortOrder({ field: 'name', direction: 'up' })).toBeNull();
    expect(parseSortOrder('name')).toBeNull();
  });
});

describe('filterEntries', () => {
  it('matches substrings of the name, ignoring case', () => {
    expect(keys(filterEntries(listing, 'DIR'))).toEqual(['b-dir', 'a-dir']);
    expect(keys(filterEntries(listing, ' .txt '))).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    expect(filterEntries(listing, '  ')).toBe(listing);
    expect(filterEntries(listing, 'zzz')).toEqual([]);
  });
});

describe('nextOrder', () => {
  it('flips the same column and starts a new one in its natural direction', () => {
    expect(nextOrder({ field: 'name', direction: 'asc' }, 'name')).toEqual({ field: 'name', direction: 'desc' });
    expect(nextOrder({ field: 'name', direction: 'asc' }, 'size')).toEqual({ field: 'size', direction: 'desc' });
    expect(nextOrder({ field: 'size', direction: 'desc' }, 'size')).toEqual({ field: 'size', direction: 'asc' });
    expect(nextOrder({ field: 'size', direction: 'desc' }, 'date')).toEqual({ field: 'date', direction: 'desc' });
    expect(nextOrder({ field: 'date', direction: 'asc' }, 'name')).toEqual({ field: 'name', direction: 'asc' });
  });
});
