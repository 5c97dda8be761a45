// Where the browser is and how it got there: the address shown in the address
// bar, where a resolved address leads, back/forward history, recent locations
// and favorites per profile (kept in the webview's storage, no secrets).

/** A place in the browser: the bucket list (bucket null) or a folder of a bucket. */
export interface Place {
  bucket: string | null;
  prefix: string;
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** `oss://bucket/prefix/` for a folder, `oss://` for the bucket list. */
export function formatAddress(place: Place): string {
  return place.bucket === null ? 'oss://' : `oss://${place.bucket}/${place.prefix}`;
}

/** A folder prefix ends in '/'; a key names its parent folder. */
function folderOf(path: string): string {
  const trimmed = path.replace(/^\/+/, '');
  if (trimmed === '' || trimmed.endsWith('/')) return trimmed;
  const cut = trimmed.lastIndexOf('/');
  return cut < 0 ? '' : trimmed.slice(0, cut + 1);
}

/** Where a resolved address leads (`resolveAddress`): the profile to open (null: the open one),
 * the folder, and the object the address named (null when it named a folder). */
export interface Destination {
  profile: string | null;
  place: Place;
  key: string | null;
}

/** `oss://` alone (or `/`): the bucket list, the one place the core's addresses never name. */
export function isBucketListAddress(text: string): boolean {
  const input = text.trim();
  return /^oss:\/\/\/?$/i.test(input) || input === '/';
}

/** An address naming an object opens its folder, with the object to select. */
export function destinationOf(location: { profile: string | null; bucket: string; path: string }): Destination {
  const named = location.path !== '' && !location.path.endsWith('/');
  return { profile: location.profile, place: { bucket: location.bucket, prefix: folderOf(location.path) }, key: named ? location.path : null };
}

export function samePlace(a: Place, b: Place): boolean {
  return a.bucket === b.bucket && a.prefix === b.prefix;
}

/** Back/forward through the places visited in this session. */
export class History {
  private back: Place[] = [];
  private forward: Place[] = [];

  constructor(public current: Place) {}

  get canGoBack(): boolean {
    return this.back.length > 0;
  }

  get canGoForward(): boolean {
    return this.forward.length > 0;
  }

  /** Going somewhere new forgets what was ahead. */
  visit(place: Place): void {
    if (samePlace(place, this.current)) return;
    this.back.push(this.current);
    this.forward = [];
    this.current = place;
  }

  goBack(): Place | null {
    const place = this.back.pop();
    if (!place) return null;
    this.forward.push(this.current);
    this.current = place;
    return place;
  }

  goForward(): Place | null {
    const place = this.forward.pop();
    if (!place) return null;
    this.back.push(this.current);
    this.current = place;
    return place;
  }
}

/** Alt+←/→ and the mouse's back/forward buttons (4 and 5: `button` 3 and 4). */
export function historyStep(event: { key?: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; button?: number }): 'back' | 'forward' | null {
  if (event.button === 3) return 'back';
  if (event.button === 4) return 'forward';
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  if (event.key === 'ArrowLeft') return 'back';
  if (event.key === 'ArrowRight') return 'forward';
  return null;
}

// ---------------------------------------------------------------- recent and favorites

export const RECENT_LIMIT = 10;

export interface Favorite {
  name: string;
  bucket: string;
  prefix: string;
}

/** Per profile: the last folders opened (newest first) and the user's favorites (their order). */
export interface Bookmarks {
  recent: Place[];
  favorites: Favorite[];
}

const bookmarksKey = (profile: string) => `osslite.bookmarks.v1.${profile}`;

function isPlace(value: unknown): value is { bucket: string; prefix: string } {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && typeof v.bucket === 'string' && typeof v.prefix === 'string';
}

export function loadBookmarks(store: KeyValueStore | undefined, profile: string): Bookmarks {
  try {
    const raw = store?.getItem(bookmarksKey(profile));
    const parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    if (parsed && typeof parsed === 'object') {
      const recent = Array.isArray(parsed.recent) ? parsed.recent.filter(isPlace).slice(0, RECENT_LIMIT) : [];
      const favorites = Array.isArray(parsed.favorites)
        ? parsed.favorites.filter((f): f is Favorite => isPlace(f) && typeof (f as Favorite).name === 'string')
        : [];
      return {
        recent: recent.map(({ bucket, prefix }) => ({ bucket, prefix })),
        favorites: favorites.map(({ name, bucket, prefix }) => ({ name, bucket, prefix })),
      };
    }
  } catch {
    // Corrupt or unavailable: start empty.
  }
  return { recent: [], favorites: [] };
}

/** Saves them; false when storage refused (they still apply to this session). */
export function saveBookmarks(store: KeyValueStore | undefined, profile: string, bookmarks: Bookmarks): boolean {
  try {
    if (!store) return false;
    store.setItem(bookmarksKey(profile), JSON.stringify(bookmarks));
    return true;
  } catch {
    return false;
  }
}

/** A folder just opened goes first; the bucket list is not a recent location. */
export function withRecent(bookmarks: Bookmarks, place: Place): Bookmarks {
  if (place.bucket === null) return bookmarks;
  const recent = [place, ...bookmarks.recent.filter((p) => !samePlace(p, place))].slice(0, RECENT_LIMIT);
  return { ...bookmarks, recent };
}

/** The name a new favorite gets: its folder's name, or the bucket's. */
export function favoriteName(place: Place): string {
  const parts = place.prefix.split('/').filter(Boolean);
  return parts.at(-1) ?? place.bucket ?? '';
}

export function isFavorite(bookmarks: Bookmarks, place: Place): boolean {
  return bookmarks.favorites.some((f) => samePlace(f, place));
}

export function addFavorite(bookmarks: Bookmarks, place: Place, name = favoriteName(place)): Bookmarks {
  if (place.bucket === null || isFavorite(bookmarks, place)) return bookmarks;
  return { ...bookmarks, favorites: [...bookmarks.favorites, { name, bucket: place.bucket, prefix: place.prefix }] };
}

export function removeFavorite(bookmarks: Bookmarks, index: number): Bookmarks {
  return { ...bookmarks, favorites: bookmarks.favorites.filter((_, i) => i !== index) };
}

/** A blank name keeps the old one. */
export function renameFavorite(bookmarks: Bookmarks, index: number, name: string): Bookmarks {
  const trimmed = name.trim();
  if (trimmed === '') return bookmarks;
  return { ...bookmarks, favorites: bookmarks.favorites.map((f, i) => (i === index ? { ...f, name: trimmed } : f)) };
}

/** Moves favorite `index` by `step` (−1 up, +1 down), staying within the list. */
export function moveFavorite(bookmarks: Bookmarks, index: number, step: -1 | 1): Bookmarks {
  const to = index + step;
  if (index < 0 || index >= bookmarks.favorites.length || to < 0 || to >= bookmarks.favorites.length) return bookmarks;
  const favorites = [...bookmarks.favorites];
  [favorites[index], favorites[to]] = [favorites[to], favorites[index]];
  return { ...bookmarks, favorites };
}
