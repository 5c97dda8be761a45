import { describe, expect, it } from 'vitest';
import {
  buildExportOptions,
  buildExportSpec,
  CSV_COLUMNS,
  findPatternProblem,
  parsePatterns,
  percent,
  specFingerprint,
} from './exportSpec';

describe('patterns', () => {
  it('split on commas and lines, trimmed, without blanks or duplicates', () => {
    expect(parsePatterns('')).toEqual([]);
    expect(parsePatterns('  ')).toEqual([]);
    expect(parsePatterns('*.jpg, *.png,,\n*.jpg\n  report-??.pdf ')).toEqual(['*.jpg', '*.png', 'report-??.pdf']);
  });

  it('accepts *, ? and bracket classes, and refuses unclosed or empty brackets', () => {
    expect(findPatternProblem(['*.jpg', 'a?c', '[abc].txt', '[!a-z]*', '[]x]', 'a\\[b'])).toBeNull();
    expect(findPatternProblem(['ok', '[abc'])).toEqual({ pattern: '[abc', reason: 'unclosedBracket' });
    expect(findPatternProblem(['x[!'])).toEqual({ pattern: 'x[!', reason: 'unclosedBracket' });
  });
});

describe('spec', () => {
  it('for the selection sends the files and folders and no prefix', () => {
    expect(buildExportSpec('b', { kind: 'selection', keys: ['p/a.jpg', 'p/b.jpg'], folders: ['p/c/'] }, '*.jpg', '')).toEqual({
      bucket: 'b',
      keys: ['p/a.jpg', 'p/b.jpg'],
      folders: ['p/c/'],
      recursive: false,
      include: ['*.jpg'],
      exclude: [],
    });
  });

  it('for a folder sends the prefix and the subfolder choice', () => {
    expect(buildExportSpec('b', { kind: 'folder', prefix: 'p/', recursive: true }, '', '*.tmp, *.bak')).toEqual({
      bucket: 'b',
      prefix: 'p/',
      recursive: true,
      include: [],
      exclude: ['*.tmp', '*.bak'],
    });
  });

  it('fingerprints only what changes the result', () => {
    const a = buildExportSpec('b', { kind: 'folder', prefix: 'p/', recursive: true }, '*.jpg', '');
    const b = buildExportSpec('b', { kind: 'folder', prefix: 'p/', recursive: true }, ' *.jpg ,', '');
    const c = buildExportSpec('b', { kind: 'folder', prefix: 'p/', recursive: false }, '*.jpg', '');
    expect(specFingerprint(a)).toBe(specFingerprint(b));
    expect(specFingerprint(a)).not.toBe(specFingerprint(c));
    const files = buildExportSpec('b', { kind: 'selection', keys: ['p/a'], folders: [] }, '', '');
    const withFolder = buildExportSpec('b', { kind: 'selection', keys: ['p/a'], folders: ['p/c/'] }, '', '');
    expect(specFingerprint(files)).not.toBe(specFingerprint(withFolder));
  });
});

describe('options and CSV', () => {
  it('are GET links with the chosen validity, protocol, domain and BOM', () => {
    const profileEndpoint = { kind: 'default' } as const;
    const cdn = { kind: 'cname', host: 'cdn.example.com' } as const;
    expect(buildExportOptions(900, true, false, profileEndpoint, false)).toEqual({ expiresSecs: 900, https: true, excelBom: false, domain: profileEndpoint, rawValues: false });
    expect(buildExportOptions(60, false, true, cdn, true)).toEqual({ expiresSecs: 60, https: false, excelBom: true, domain: cdn, rawValues: true });
  });

  it('names the columns the Rust side writes', () => {
    expect(CSV_COLUMNS.join(',')).toBe('key,url,method,expires_at,size,last_modified,etag');
  });

  it('turns progress into a percentage', () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(5, 10)).toBe(50);
    expect(percent(1, 3)).toBe(33);
    expect(percent(12, 10)).toBe(100);
    expect(percent(1, Number.NaN)).toBe(0);
  });
});
