import { describe, expect, it } from 'vitest';
import { criteriaOf, emptyForm, folderOf, hitEntry, namePatterns } from './search';

describe('search form', () => {
  it('turns plain words into substrings and keeps globs', () => {
    expect(namePatterns(' report, *.csv ,, a?c ')).toEqual(['*report*', '*.csv', 'a?c']);
  });

  it('sends sizes in bytes with their units and the "to" day included', () => {
    const criteria = criteriaOf({ ...emptyForm(), minSize: '1.5', minUnit: 'KB', maxSize: '2', maxUnit: 'MB', from: '2026-01-31', to: '2026-02-28', storageClass: 'IA' });
    expect(criteria).toEqual({
      names: [],
      contains: null,
      minSize: 1536,
      maxSize: 2 * 1024 * 1024,
      newer: '2026-01-31T00:00:00.000Z',
      older: '2026-03-01T00:00:00.000Z',
      storageClass: 'IA',
    });
  });

  it('refuses a size that is not a number', () => {
    expect(() => criteriaOf({ ...emptyForm(), minSize: '10 apples' })).toThrow('size:10 apples');
  });
});

describe('search hits', () => {
  it('are named by their path below the searched folder', () => {
    const entry = hitEntry({ key: 'a/b/c/report.csv', size: 3, last_modified: '2026-01-02T03:04:05Z', storage_class: 'Standard', etag: '"e"' }, 'a/');
    expect(entry.name).toBe('b/c/report.csv');
    expect(entry.modified).toBe(Date.parse('2026-01-02T03:04:05Z'));
    expect(folderOf(entry.key)).toBe('a/b/c/');
    expect(folderOf('top.txt')).toBe('');
  });
});
