// The search commands of the fake backend: a recursive scan of the fake bucket below a prefix,
// matched as the core matches, streamed one page (1000 keys) at a time with the running counts.
import type { SearchBatch, SearchCriteria, SearchDone, SearchEnd, SearchHit, SearchRequest } from '../../src/lib/bindings';

export interface SearchedObject {
  size: number;
  lastModified: string;
  storageClass: string;
}

export interface SearchHost {
  /** The bucket's keys in order, and its objects. */
  keys(bucket: string): readonly string[];
  objects(bucket: string): Map<string, SearchedObject>;
  send(channel: { id: number }, index: number, message: unknown): void;
  end(channel: { id: number }, index: number): void;
}

const PAGE = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A glob (`*`, `?`, `[…]`) as an anchored, case-insensitive expression. */
function globRegex(glob: string): RegExp {
  let source = '';
  for (const c of glob) {
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[' || c === ']') source += c;
    else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function matcher(prefix: string, criteria: SearchCriteria): (key: string, object: SearchedObject) => boolean {
  const names = criteria.names.map((glob) => ({ path: glob.includes('/'), re: globRegex(glob) }));
  const contains = criteria.contains?.toLowerCase() ?? null;
  const newer = criteria.newer ? Date.parse(criteria.newer) : null;
  const older = criteria.older ? Date.parse(criteria.older) : null;
  const storageClass = criteria.storageClass?.toLowerCase() ?? null;
  return (key, object) => {
    if (key.endsWith('/')) return false;
    const name = key.slice(key.lastIndexOf('/') + 1);
    const below = key.slice(prefix.length);
    if (names.length > 0 && !names.some((n) => n.re.test(n.path ? below : name))) return false;
    if (contains !== null && !name.toLowerCase().includes(contains)) return false;
    if (criteria.minSize !== null && object.size < criteria.minSize) return false;
    if (criteria.maxSize !== null && object.size > criteria.maxSize) return false;
    const at = Date.parse(object.lastModified);
    if (newer !== null && at < newer) return false;
    if (older !== null && at >= older) return false;
    return storageClass === null || object.storageClass.toLowerCase() === storageClass;
  };
}

export class FakeSearch {
  #host: SearchHost;
  #run = 0;
  #cancelled = new Set<number>();
  /** Each fake key counts as this many scanned (a flow sets it to reach the cap quickly). */
  keysPerObject = 1;
  /** Milliseconds between pages. */
  pageMs = 15;

  constructor(host: SearchHost) {
    this.#host = host;
  }

  async run(request: SearchRequest, channel: { id: number }): Promise<SearchDone> {
    // One search at a time, as the shell: a new one stops the one before.
    this.#cancelled.add(this.#run);
    const run = ++this.#run;
    const match = matcher(request.prefix, request.criteria);
    const objects = this.#host.objects(request.bucket);
    const keys = this.#host.keys(request.bucket).filter((k) => k.startsWith(request.prefix));
    const cap = Math.ceil(request.maxScan / this.keysPerObject);
    let scanned = 0;
    let matched = 0;
    let index = 0;
    let end: SearchEnd | null = null;
    for (let at = 0; end === null; at += PAGE) {
      await sleep(this.pageMs);
      if (this.#cancelled.has(run)) {
        end = 'cancelled';
        this.#host.send(channel, index++, { matches: [], scanned, matched, end } satisfies SearchBatch);
        break;
      }
      const page = keys.slice(at, Math.min(at + PAGE, cap));
      const matches: SearchHit[] = [];
      for (const key of page) {
        const object = objects.get(key) as SearchedObject;
        if (match(key, object)) {
          matches.push({ key, size: object.size, last_modified: object.lastModified, storage_class: object.storageClass, etag: `"${key.length}"` });
        }
      }
      scanned = Math.min(request.maxScan, (at + page.length) * this.keysPerObject);
      matched += matches.length;
      if (at + page.length >= cap && keys.length > cap) end = 'capped';
      else if (at + page.length >= keys.length) end = 'complete';
      this.#host.send(channel, index++, { matches, scanned, matched, end } satisfies SearchBatch);
    }
    this.#host.end(channel, index);
    return { end: end ?? 'complete', scanned, matched };
  }

  cancel(): null {
    this.#cancelled.add(this.#run);
    return null;
  }
}
