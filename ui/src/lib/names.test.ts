import { describe, expect, it } from 'vitest';
import { crumbs, folderNameProblem, parentPrefix } from './names';

describe('folderNameProblem', () => {
  const existing = new Set(['photos']);
  it('accepts a plain name and refuses the rest', () => {
    expect(folderNameProblem('drafts', 'a/', existing)).toBeNull();
    expect(folderNameProblem('  ', 'a/', existing)).toBe('empty');
    expect(folderNameProblem('a/b', 'a/', existing)).toBe('slash');
    expect(folderNameProblem('..', 'a/', existing)).toBe('dots');
    expect(folderNameProblem('a\u0007b', 'a/', existing)).toBe('control');
    expect(folderNameProblem('photos', '', existing)).toBe('exists');
    expect(folderNameProblem('x'.repeat(1023), '', existing)).toBe('tooLong');
    expect(folderNameProblem('x'.repeat(1022), '', existing)).toBeNull();
    // 1023 bytes of UTF-8, not characters.
    expect(folderNameProblem('杭'.repeat(341), '', existing)).toBe('tooLong');
  });
});

describe('paths', () => {
  it('make breadcrumbs that open each level', () => {
    expect(crumbs('')).toEqual([]);
    expect(crumbs('a/b/')).toEqual([
      { label: 'a', prefix: 'a/' },
      { label: 'b', prefix: 'a/b/' },
    ]);
    expect(crumbs('a//b/')).toEqual([
      { label: 'a', prefix: 'a/' },
      { label: '∅', prefix: 'a//' },
      { label: 'b', prefix: 'a//b/' },
    ]);
  });

  it('go up one level', () => {
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('a/')).toBe('');
    expect(parentPrefix('')).toBe('');
  });
});
