import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ upload: vi.fn(), objectListPage: vi.fn() }));
vi.mock('./transferStore.svelte', () => ({ upload: calls.upload }));
vi.mock('./api', () => ({ objectListPage: calls.objectListPage, pickFiles: vi.fn(), pickFolder: vi.fn() }));

import { existingNames, newNameEntry, uploadAnswered, uploadPaths } from './uploadFlow';

beforeEach(() => {
  calls.upload.mockReset();
  calls.objectListPage.mockReset();
});

describe('uploadFlow', () => {
  it('uploads at once when no name exists', async () => {
    const pending = await uploadPaths('b', 'docs/', ['/x/a.txt'], async () => new Set(['b.txt']));
    expect(pending).toBeNull();
    expect(calls.upload).toHaveBeenCalledWith({ bucket: 'b', prefix: 'docs/', paths: ['/x/a.txt'] });
  });

  it('asks about names that exist, then uploads each group with its choice', async () => {
    const pending = await uploadPaths('b', 'docs/', ['/x/a.txt', '/x/c.txt'], async () => new Set(['a.txt']));
    expect(pending).toEqual({ bucket: 'b', prefix: 'docs/', paths: ['/x/a.txt', '/x/c.txt'], conflicts: ['/x/a.txt'] });
    expect(calls.upload).not.toHaveBeenCalled();
    uploadAnswered(pending!, new Map([['/x/a.txt', 'skip']]));
    expect(calls.upload.mock.calls).toEqual([
      [{ bucket: 'b', prefix: 'docs/', paths: ['/x/c.txt'] }, 'fail'],
      [{ bucket: 'b', prefix: 'docs/', paths: ['/x/a.txt'] }, 'skip'],
    ]);
  });

  it('uploads unasked when the names there cannot be read', async () => {
    const pending = await uploadPaths('b', '', ['/x/a.txt'], async () => {
      throw new Error('offline');
    });
    expect(pending).toBeNull();
    expect(calls.upload).toHaveBeenCalledTimes(1);
  });

  it('reads a subfolder’s names from the server, the folder shown from its listing', async () => {
    calls.objectListPage.mockResolvedValue({ folders: ['docs/sub/'], objects: [{ key: 'docs/a.txt' }], nextContinuationToken: null });
    expect(await existingNames('b', 'docs/', { prefix: '', names: new Set(['x']) })).toEqual(new Set(['sub/', 'a.txt']));
    expect(await existingNames('b', '', { prefix: '', names: new Set(['x']) })).toEqual(new Set(['x']));
    expect(calls.objectListPage).toHaveBeenCalledTimes(1);
  });

  it('names a new file by the last part of its key', () => {
    expect(newNameEntry('docs/new.txt')).toMatchObject({ kind: 'file', key: 'docs/new.txt', name: 'new.txt', lower: 'new.txt', size: 0 });
  });
});
