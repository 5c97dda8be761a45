// One folder's listing, page by page (continuation tokens). Rows are kept in
// `$state.raw` arrays: they are replaced, never deeply proxied, which keeps
// 100,000 rows cheap.
import { objectListPage, toAppError, type AppError, type ListPage } from './api';
import { fileEntry, folderEntry, type Entry, type FileEntry, type FolderEntry } from './sort';

/** Keys per page: the most OSS returns. */
export const PAGE_SIZE = 1000;
/** While loading everything, the rows shown are refreshed at most this often. */
const PUBLISH_EVERY_MS = 250;

export class FolderListing {
  /** Folders then files, in the order OSS listed them. */
  entries = $state.raw<Entry[]>([]);
  /** Whether the first page has arrived. */
  started = $state(false);
  nextToken = $state<string | null>(null);
  loading = $state(false);
  loadingAll = $state(false);
  error = $state<AppError | null>(null);
  /** Rows fetched so far, also while loading everything (before they are shown). */
  loaded = $state(0);

  readonly bucket: string;
  /** The folder shown; names are relative to it. */
  readonly prefix: string;
  /** A server-side prefix filter below the folder ('' for none). */
  readonly filter: string;

  #folders: FolderEntry[] = [];
  #files: FileEntry[] = [];
  #closed = false;
  #stopRequested = false;
  readonly #fetch: (request: Parameters<typeof objectListPage>[0]) => Promise<ListPage>;

  constructor(bucket: string, prefix: string, filter = '', fetch = objectListPage) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.filter = filter;
    this.#fetch = fetch;
  }

  get complete(): boolean {
    return this.started && this.nextToken === null;
  }

  get hasMore(): boolean {
    return !this.started || this.nextToken !== null;
  }

  /** Stops any further page from being applied (the user went elsewhere). */
  close(): void {
    this.#closed = true;
  }

  #publish(): void {
    this.entries = (this.#folders as Entry[]).concat(this.#files);
  }

  #apply(page: ListPage): void {
    for (const folder of page.folders) this.#folders.push(folderEntry(folder, this.prefix));
    for (const object of page.objects) {
      // The folder's own placeholder object ("photos/" in "photos/") is not a row.
      if (object.key === this.prefix) continue;
      this.#files.push(fileEntry(object, this.prefix));
    }
    this.nextToken = page.nextContinuationToken;
    this.started = true;
    this.loaded = this.#folders.length + this.#files.length;
  }

  async #fetchPage(): Promise<ListPage | null> {
    const page = await this.#fetch({
      bucket: this.bucket,
      prefix: this.prefix + this.filter,
      continuationToken: this.nextToken,
      maxKeys: PAGE_SIZE,
    });
    return this.#closed ? null : page;
  }

  /** Loads the next page, unless one is loading or there is none. */
  async loadNext(): Promise<void> {
    if (this.loading || this.#closed || !this.hasMore) return;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.#fetchPage();
      if (!page) return;
      this.#apply(page);
      this.#publish();
    } catch (reason) {
      if (!this.#closed) this.error = toAppError(reason);
    } finally {
      this.loading = false;
    }
  }

  /** Loads every remaining page; `stop()` ends it after the page in flight. */
  async loadAll(): Promise<void> {
    if (this.loadingAll || this.#closed) return;
    // Let a page already in flight land first.
    while (this.loading) await new Promise((resolve) => setTimeout(resolve, 20));
    this.loadingAll = true;
    this.loading = true;
    this.error = null;
    this.#stopRequested = false;
    let lastPublish = performance.now();
    try {
      while (this.hasMore && !this.#stopRequested) {
        const page = await this.#fetchPage();
        if (!page) return;
        this.#apply(page);
        const now = performance.now();
        if (now - lastPublish >= PUBLISH_EVERY_MS) {
          this.#publish();
          lastPublish = now;
        }
      }
    } catch (reason) {
      if (!this.#closed) this.error = toAppError(reason);
    } finally {
      if (!this.#closed) this.#publish();
      this.loading = false;
      this.loadingAll = false;
    }
  }

  stop(): void {
    this.#stopRequested = true;
  }
}
