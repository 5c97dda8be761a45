import { describe, expect, it } from 'vitest';
import {
  addFavorite,
  destinationOf,
  formatAddress,
  History,
  historyStep,
  isBucketListAddress,
  loadBookmarks,
  moveFavorite,
  removeFavorite,
  renameFavorite,
  saveBookmarks,
  withRecent,
  type Bookmarks,
} from './navigation';

const at = (bucket: string | null, prefix = '') => ({ bucket, prefix });

describe('addresses', () => {
  it('knows the bucket list address', () => {
    expect(['oss://', ' OSS:// ', 'oss:///', '/'].every(isBucketListAddress)).toBe(true);
    expect(isBucketListAddress('oss://media/')).toBe(false);
    expect(formatAddress(at(null))).toBe('oss://');
  });

  it('opens the folder of an object an address names, with the object to select', () => {
    expect(destinationOf({ profile: null, bucket: 'media', path: 'docs/a.txt' })).toEqual({ profile: null, place: at('media', 'docs/'), key: 'docs/a.txt' });
    expect(destinationOf({ profile: 'Other', bucket: 'media', path: 'top.txt' })).toEqual({ profile: 'Other', place: at('media', ''), key: 'top.txt' });
    expect(destinationOf({ profile: null, bucket: 'media', path: 'a/b/' })).toEqual({ profile: null, place: at('media', 'a/b/'), key: null });
    expect(destinationOf({ profile: null, bucket: 'media', path: '' })).toEqual({ profile: null, place: at('media', ''), key: null });
  });
});

describe('History', () => {
  it('goes back and forward, and a new visit forgets what was ahead', () => {
    const h = new History(at(null));
    h.visit(at('b'));
    h.visit(at('b', 'x/'));
    expect(h.goBack()).toEqual(at('b'));
    expect(h.goBack()).toEqual(at(null));
    expect(h.goBack()).toBeNull();
    expect(h.goForward()).toEqual(at('b'));
    h.visit(at('c'));
    expect(h.canGoForward).toBe(false);
    expect(h.goBack()).toEqual(at('b'));
  });

  it('does not record visiting the same place twice', () => {
    const h = new History(at('b'));
    h.visit(at('b'));
    expect(h.canGoBack).toBe(false);
  });
});

describe('historyStep', () => {
  it('maps Alt+arrows and mouse buttons 4/5', () => {
    expect(historyStep({ key: 'ArrowLeft', altKey: true })).toBe('back');
    expect(historyStep({ key: 'ArrowRight', altKey: true })).toBe('forward');
    expect(historyStep({ key: 'ArrowLeft' })).toBeNull();
    expect(historyStep({ button: 3 })).toBe('back');
    expect(historyStep({ button: 4 })).toBe('forward');
    expect(historyStep({ button: 0 })).toBeNull();
  });
});

describe('bookmarks', () => {
  const empty: Bookmarks = { recent: [], favorites: [] };

  it('keeps recent folders newest first, once each, at most ten', () => {
    let b = empty;
    for (let i = 0; i < 12; i++) b = withRecent(b, at('b', `f${i}/`));
    b = withRecent(b, at('b', 'f5/'));
    expect(b.recent).toHaveLength(10);
    expect(b.recent[0]).toEqual(at('b', 'f5/'));
    expect(b.recent.filter((p) => p.prefix === 'f5/')).toHaveLength(1);
    expect(withRecent(empty, at(null)).recent).toEqual([]);
  });

  it('adds, renames, reorders and removes favorites', () => {
    let b = addFavorite(empty, at('b', 'photos/2024/'));
    b = addFavorite(b, at('b', 'photos/2024/'));
    b = addFavorite(b, at('c'));
    expect(b.favorites.map((f) => f.name)).toEqual(['2024', 'c']);
    b = renameFavorite(b, 0, ' Pictures ');
    b = renameFavorite(b, 1, '  ');
    b = moveFavorite(b, 1, -1);
    expect(b.favorites.map((f) => f.name)).toEqual(['c', 'Pictures']);
    expect(moveFavorite(b, 1, 1)).toBe(b);
    expect(removeFavorite(b, 0).favorites.map((f) => f.name)).toEqual(['Pictures']);
  });

  it('are kept per profile and survive corrupt storage', () => {
    const data = new Map<string, string>();
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    const b = addFavorite(withRecent(empty, at('b', 'x/')), at('b', 'x/'));
    expect(saveBookmarks(store, 'Production', b)).toBe(true);
    expect(loadBookmarks(store, 'Production')).toEqual(b);
    expect(loadBookmarks(store, 'Staging')).toEqual(empty);
    data.set('osslite.bookmarks.v1.Production', '{not json');
    expect(loadBookmarks(store, 'Production')).toEqual(empty);
  });
});
