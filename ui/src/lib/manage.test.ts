import { describe, expect, it } from 'vitest';
import {
  alreadyThere,
  bucketNameProblem,
  canRestore,
  emptyEdit,
  formEdit,
  intoItself,
  lastSegment,
  metaName,
  readable,
  renamedKey,
  renameProblem,
  validMetaName,
} from './manage';
import { draggedKeys } from './rowDrag';
import { bucketsOf } from './manageStore.svelte';
import { transferName } from './transfers';

describe('archive states', () => {
  it('offers a restore when archived or restored (to extend it), not while one runs', () => {
    expect(canRestore({ state: 'archived' })).toBe(true);
    expect(canRestore({ state: 'restored', until: null })).toBe(true);
    expect(canRestore({ state: 'restoring' })).toBe(false);
    expect(canRestore({ state: 'readable' })).toBe(false);
  });

  it('lets only readable and restored objects be shared or downloaded', () => {
    expect(readable({ state: 'readable' })).toBe(true);
    expect(readable({ state: 'restored', until: '2026-12-05T00:00:00Z' })).toBe(true);
    expect(readable({ state: 'archived' })).toBe(false);
    expect(readable({ state: 'restoring' })).toBe(false);
  });
});

describe('the properties form', () => {
  const current = {
    contentType: 'text/plain',
    cacheControl: 'no-cache',
    contentDisposition: null,
    contentEncoding: null,
    contentLanguage: null,
    expires: null,
    setMeta: [['owner', 'li'] as [string, string], ['team', 'media'] as [string, string]],
    removeMeta: [],
  };

  it('for one object, sends what differs from it: emptied headers removed, rows gone removed', () => {
    const values = { contentType: 'text/markdown', cacheControl: '', contentDisposition: '' };
    const edit = formEdit(values, [{ name: 'Owner', value: 'wang' }], current);
    expect(edit.contentType).toBe('text/markdown');
    expect(edit.cacheControl).toBe('');
    expect(edit.contentDisposition).toBeNull();
    expect(edit.setMeta).toEqual([['owner', 'wang']]);
    expect(edit.removeMeta).toEqual(['team']);
    expect(emptyEdit(formEdit({ contentType: 'text/plain', cacheControl: 'no-cache' }, [{ name: 'owner', value: 'li' }, { name: 'team', value: 'media' }], current))).toBe(true);
  });

  it('for several, sends the fields filled in; an empty metadata value removes the name', () => {
    const edit = formEdit({ cacheControl: 'max-age=60', contentType: '  ' }, [{ name: 'x-oss-meta-a', value: '1' }, { name: 'b', value: '' }], null);
    expect(edit.cacheControl).toBe('max-age=60');
    expect(edit.contentType).toBeNull();
    expect(edit.setMeta).toEqual([['a', '1']]);
    expect(edit.removeMeta).toEqual(['b']);
    expect(emptyEdit(formEdit({}, [], null))).toBe(true);
  });
});

describe('renaming', () => {
  it('names the problem of a new name', () => {
    const here = new Set(['taken.txt']);
    expect(renameProblem('a/b.txt', ' ', here)).toBe('empty');
    expect(renameProblem('a/b.txt', 'c/d', here)).toBe('slash');
    expect(renameProblem('a/b.txt', '..', here)).toBe('dots');
    expect(renameProblem('a/b.txt', 'x\u0007', here)).toBe('control');
    expect(renameProblem('a/b.txt', 'b.txt', here)).toBe('same');
    expect(renameProblem('a/b.txt', 'taken.txt', here)).toBe('exists');
    expect(renameProblem('a/b.txt', 'c.txt', here)).toBeNull();
  });

  it('keeps the folder and the trailing slash', () => {
    expect(lastSegment('a/b/c.txt')).toBe('c.txt');
    expect(lastSegment('a/b/')).toBe('b');
    expect(renamedKey('a/b/c.txt', ' d.txt ')).toBe('a/b/d.txt');
    expect(renamedKey('a/b/', 'e')).toBe('a/e/');
    expect(renamedKey('top.txt', 'x')).toBe('x');
  });
});

describe('moves', () => {
  it('refuses a folder into itself or below, in the same bucket only', () => {
    expect(intoItself(['a/', 'b.txt'], 'bk', 'bk', 'a/')).toBe('a/');
    expect(intoItself(['a/'], 'bk', 'bk', 'a/sub/')).toBe('a/');
    expect(intoItself(['a/'], 'bk', 'bk', 'ab/')).toBeNull();
    expect(intoItself(['a/'], 'bk', 'other', 'a/')).toBeNull();
    expect(intoItself(['a.txt'], 'bk', 'bk', 'a.txt/')).toBeNull();
  });

  it('sees a move to where everything is already', () => {
    expect(alreadyThere(['a/x', 'a/y/'], 'bk', 'bk', 'a/')).toBe(true);
    expect(alreadyThere(['a/x'], 'bk', 'bk', '')).toBe(false);
    expect(alreadyThere(['a/x'], 'bk', 'b2', 'a/')).toBe(false);
  });

  it('drags the selection when the row is in it, else the row alone', () => {
    expect(draggedKeys('a', ['a', 'b'])).toEqual(['a', 'b']);
    expect(draggedKeys('c', ['a', 'b'])).toEqual(['c']);
  });
});

describe('names OSS checks', () => {
  it('checks bucket names as OSS does', () => {
    expect(bucketNameProblem('ab')).toBe('length');
    expect(bucketNameProblem('a'.repeat(64))).toBe('length');
    expect(bucketNameProblem('My-Bucket')).toBe('chars');
    expect(bucketNameProblem('my_bucket')).toBe('chars');
    expect(bucketNameProblem('-bucket')).toBe('edges');
    expect(bucketNameProblem('bucket-')).toBe('edges');
    expect(bucketNameProblem('media-2026')).toBeNull();
  });

  it('stores metadata names in lower case without their prefix', () => {
    expect(metaName(' X-OSS-Meta-Owner ')).toBe('owner');
    expect(validMetaName('camera_model-2')).toBe(true);
    expect(validMetaName('has space')).toBe(false);
  });
});

describe('jobs in the transfer panel', () => {
  it('name their selection, and tell which buckets they change', () => {
    const row = { direction: 'move' as const, source: 'oss://media/photos/2024/ (+2 more)', destination: 'oss://media/old/', state: 'running' as const };
    expect(transferName(row)).toBe('photos/2024/ (+2 more)');
    const into = { type: 'intoFolder' as const, bucket: 'other', prefix: 'x/' };
    expect(bucketsOf({ bucket: 'media', keys: ['a'], action: { type: 'copy', target: into } })).toEqual(['media', 'other']);
    expect(bucketsOf({ bucket: 'media', keys: ['a'], action: { type: 'setAcl', acl: 'private' } })).toEqual(['media']);
  });
});
