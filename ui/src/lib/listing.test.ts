import { describe, expect, it, vi } from 'vitest';
import type { ListPage, ListPageRequest } from './api';
import { FolderListing, PAGE_SIZE } from './listing.svelte';

/** A fake `object_list_page` over `n` files in "f/" plus the folder placeholder and one subfolder. */
function fakeFetch(n: number) {
  const keys = ['f/', ...Array.from({ length: n }, (_, i) => `f/${String(i).padStart(6, '0')}.txt`)];
  const calls: ListPageRequest[] = [];
  const fetch = vi.fn(async (request: ListPageRequest): Promise<ListPage> => {
    calls.push(request);
    const start = request.continuationToken ? Number(request.continuationToken) : 0;
    const slice = keys.slice(start, start + request.maxKeys);
    const end = start + slice.length;
    return {
      folders: start === 0 ? ['f/sub/'] : [],
      objects: slice.map((key) => ({ key, size: 1, lastModified: '2024-01-01T00:00:00Z', etag: '"e"', storageClass: 'Standard', state: { state: 'readable' } as const })),
      nextContinuationToken: end < keys.length ? String(end) : null,
    };
  });
  return { fetch, calls };
}

describe('FolderListing', () => {
  it('loads page by page with the continuation token, hiding the folder placeholder', async () => {
    const { fetch, calls } = fakeFetch(2500);
    const listing = new FolderListing('b', 'f/', '', fetch);
    expect(listing.hasMore).toBe(true);
    await listing.loadNext();
    expect(listing.started).toBe(true);
    expect(listing.entries[0]).toMatchObject({ kind: 'folder', key: 'f/sub/', name: 'sub' });
    expect(listing.entries.some((e) => e.key === 'f/')).toBe(false);
    expect(listing.entries.length).toBe(PAGE_SIZE); // 1 folder + 999 files (the placeholder took a key)
    await listing.loadNext();
    expect(calls.map((c) => [c.prefix, c.continuationToken, c.maxKeys])).toEqual([
      ['f/', null, PAGE_SIZE],
      ['f/', '1000', PAGE_SIZE],
    ]);
    expect(listing.complete).toBe(false);
    await listing.loadAll();
    expect(listing.complete).toBe(true);
    expect(listing.entries.length).toBe(2501);
    expect(listing.loaded).toBe(2501);
    await listing.loadNext();
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('lists below a server-side prefix filter, names still relative to the folder', async () => {
    const { fetch, calls } = fakeFetch(10);
    const listing = new FolderListing('b', 'f/', '0000', fetch);
    await listing.loadNext();
    expect(calls[0].prefix).toBe('f/0000');
    expect(listing.entries.find((e) => e.kind === 'file')?.name).toBe('000000.txt');
  });

  it('ignores pages that arrive after it was closed', async () => {
    const { fetch } = fakeFetch(10);
    const listing = new FolderListing('b', 'f/', '', fetch);
    const pending = listing.loadNext();
    listing.close();
    await pending;
    expect(listing.started).toBe(false);
    expect(listing.entries).toEqual([]);
  });

  it('keeps an error to show and can try again', async () => {
    let fail = true;
    const listing = new FolderListing('b', 'f/', '', async () => {
      if (fail) throw { kind: 'network', message: 'connection reset' };
      return { folders: [], objects: [], nextContinuationToken: null };
    });
    await listing.loadNext();
    expect(listing.error).toEqual({ kind: 'network', message: 'connection reset' });
    expect(listing.loading).toBe(false);
    fail = false;
    await listing.loadNext();
    expect(listing.error).toBeNull();
    expect(listing.complete).toBe(true);
  });

  it('stops loading everything when asked', async () => {
    const { fetch } = fakeFetch(10_000);
    const listing = new FolderListing('b', 'f/', '', fetch);
    const all = listing.loadAll();
    listing.stop();
    await all;
    expect(listing.complete).toBe(false);
    expect(listing.entries.length).toBe(PAGE_SIZE);
  });
});
