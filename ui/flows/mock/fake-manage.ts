// The management commands of the fake backend (copy, move, rename, headers, ACL, storage class,
// restore, sizes, buckets), over the fake backend's objects.
import type {
  BucketDetails,
  BucketView,
  ConflictPolicy,
  Direction,
  ItemFailure,
  ManageRequest,
  MetaChange,
  MetaEdit,
  MetaPreview,
  NewBucket,
  ObjectAcl,
  ObjectHeaders,
  ObjectState,
  Usage,
} from '../../src/lib/bindings';

/** The fields of a stored object this module reads and writes. */
export interface ManagedObject {
  size: number;
  lastModified: string;
  storageClass: string;
  acl: ObjectAcl | null;
  contentType: string;
  metadata: Record<string, string>;
  /** Headers besides Content-Type (Cache-Control, …). */
  headers?: Record<string, string>;
  /** `x-oss-restore` as OSS sends it. */
  restore?: string;
}

export interface ManageHost {
  objects(bucket: string): Map<string, ManagedObject>;
  /** Re-sorts the bucket's keys after a change. */
  changed(bucket: string): void;
  addBucket(name: string): void;
  buckets: BucketView[];
  send(channel: { id: number }, index: number, message: unknown): void;
  end(channel: { id: number }, index: number): void;
  fail(kind: string, message: string): never;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ARCHIVED = new Set(['Archive', 'ColdArchive', 'DeepColdArchive']);

function parent(key: string): string {
  const body = key.endsWith('/') ? key.slice(0, -1) : key;
  return body.slice(0, body.lastIndexOf('/') + 1);
}

function keepBoth(key: string, taken: (k: string) => boolean): string {
  const dir = parent(key);
  const name = key.slice(dir.length);
  const dot = name.lastIndexOf('.');
  for (let n = 1; ; n++) {
    const candidate = dot > 0 ? `${dir}${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${dir}${name} (${n})`;
    if (!taken(candidate)) return candidate;
  }
}

/** A job as the fake transfer engine runs it: described, sized, and applied when it completes. */
export interface FakeJob {
  direction: Direction;
  source: string;
  destination: string;
  bytes: number;
  /** Does the work; the objects that failed. */
  apply: () => ItemFailure[];
}

const HEADER_NAMES: [keyof MetaEdit & string, string][] = [
  ['contentType', 'Content-Type'],
  ['cacheControl', 'Cache-Control'],
  ['contentDisposition', 'Content-Disposition'],
  ['contentEncoding', 'Content-Encoding'],
  ['contentLanguage', 'Content-Language'],
  ['expires', 'Expires'],
];

/** Readable, archived, restoring or restored, from the class and `x-oss-restore`, as the Rust side reads it. */
export function objectState(object: { storageClass: string; restore?: string }): ObjectState {
  if (object.restore?.includes('ongoing-request="true"')) return { state: 'restoring' };
  if (object.restore) return { state: 'restored', until: new Date(/expiry-date="([^"]+)"/.exec(object.restore)?.[1] ?? 0).toISOString() };
  if (ARCHIVED.has(object.storageClass)) return { state: 'archived' };
  return { state: 'readable' };
}

export class FakeManage {
  #host: ManageHost;
  #sizeCancelled = false;
  #failures = new Map<number, ItemFailure[]>();
  /** Milliseconds a restore takes in the fake. */
  restoreMs = 1500;

  constructor(host: ManageHost) {
    this.#host = host;
  }

  /** Every object key under the keys and folders of a selection. */
  #expand(bucket: string, keys: readonly string[]): string[] {
    const objects = this.#host.objects(bucket);
    const out: string[] = [];
    for (const key of keys) {
      if (key.endsWith('/')) out.push(...[...objects.keys()].filter((k) => k.startsWith(key)).sort());
      else if (objects.has(key)) out.push(key);
      else this.#host.fail('notFound', `no object '${key}' in ${bucket}`);
    }
    return out;
  }

  /** Plans a request as the core does: refuses what cannot work, then does it when `apply` runs. */
  job(request: ManageRequest, policy: ConflictPolicy): FakeJob {
    const { bucket, keys, action } = request;
    const objects = this.#host.objects(bucket);
    const first = keys[0] ?? '';
    const source = keys.length > 1 ? `oss://${bucket}/${first} (+${keys.length - 1} more)` : `oss://${bucket}/${first}`;
    const files = this.#expand(bucket, keys);
    const bytes = files.reduce((sum, k) => sum + (objects.get(k)?.size ?? 0), 0);
    const each = (work: (key: string) => void) => () => {
      const failed: ItemFailure[] = [];
      for (const key of files) {
        try {
          work(key);
        } catch (reason) {
          const error = reason as { kind: ItemFailure['kind']; message: string };
          failed.push({ source: `oss://${bucket}/${key}`, kind: error.kind, message: error.message });
        }
      }
      this.#host.changed(bucket);
      return failed;
    };
    switch (action.type) {
      case 'copy':
      case 'move': {
        const target = action.target;
        const dest = this.#host.objects(target.bucket);
        const targetOf = (top: string, key: string) => {
          const root =
            target.type === 'intoFolder'
              ? `${target.prefix}${top.slice(parent(top).length)}`
              : top.endsWith('/') && !target.key.endsWith('/')
                ? `${target.key}/`
                : target.key;
          return root + key.slice(top.length);
        };
        for (const top of keys) {
          const root = targetOf(top, top);
          if (top.endsWith('/') && target.bucket === bucket && root.startsWith(top)) {
            this.#host.fail('invalidInput', `'${top}' cannot go into itself ('${root}'): choose a folder outside it`);
          }
        }
        const pairs = keys.flatMap((top) => this.#expand(bucket, [top]).map((key) => [key, targetOf(top, key)] as const));
        const destination = target.type === 'intoFolder' ? `oss://${target.bucket}/${target.prefix}` : `oss://${target.bucket}/${target.key}`;
        return {
          direction: action.type,
          source,
          destination,
          bytes,
          apply: () => {
            const failed: ItemFailure[] = [];
            for (const [from, planned] of pairs) {
              let to = planned;
              if (dest.has(to)) {
                if (policy === 'skip') continue;
                if (policy === 'fail') {
                  failed.push({ source: `oss://${bucket}/${from}`, kind: 'conflict', message: `oss://${target.bucket}/${to} exists: choose overwrite, skip or keep both` });
                  continue;
                }
                if (policy === 'rename') to = keepBoth(to, (k) => dest.has(k));
              }
              const object = objects.get(from) as ManagedObject;
              dest.set(to, { ...object, metadata: { ...object.metadata }, headers: { ...object.headers } });
              if (action.type === 'move') objects.delete(from);
            }
            this.#host.changed(bucket);
            this.#host.changed(target.bucket);
            return failed;
          },
        };
      }
      case 'setMeta':
        return { direction: 'update', source, destination: 'metadata', bytes, apply: each((key) => FakeManage.#applyMeta(objects.get(key) as ManagedObject, action.edit)) };
      case 'setAcl':
        return { direction: 'update', source, destination: `ACL ${action.acl}`, bytes, apply: each((key) => ((objects.get(key) as ManagedObject).acl = action.acl)) };
      case 'setClass':
        return {
          direction: 'update',
          source,
          destination: `storage class ${action.storageClass}`,
          bytes,
          apply: each((key) => {
            const object = objects.get(key) as ManagedObject;
            if (ARCHIVED.has(object.storageClass) && !object.restore?.includes('expiry-date')) {
              this.#host.fail('invalidInput', `oss://${bucket}/${key} is archived: restore it before changing its storage class`);
            }
            object.storageClass = action.storageClass;
            delete object.restore;
          }),
        };
      case 'restore': {
        const days = action.days ?? 1;
        return {
          direction: 'update',
          source,
          destination: `restore for ${days} day(s)`,
          bytes,
          apply: each((key) => {
            const object = objects.get(key) as ManagedObject;
            if (!ARCHIVED.has(object.storageClass)) return;
            if (object.restore?.includes('ongoing-request="true"')) this.#host.fail('conflict', `a restore of ${key} is in progress already`);
            object.restore = 'ongoing-request="true"';
            setTimeout(() => {
              const until = new Date(Date.now() + days * 86_400_000).toUTCString();
              object.restore = `ongoing-request="false", expiry-date="${until}"`;
            }, this.restoreMs);
          }),
        };
      }
    }
  }

  /** Remembers what job `id` could not do, for manage_failures. */
  recordFailures(id: number, failed: ItemFailure[]): void {
    this.#failures.set(id, failed);
  }

  failures(id: number): ItemFailure[] {
    return this.#failures.get(id) ?? [];
  }

  static #applyMeta(object: ManagedObject, edit: MetaEdit) {
    const headers = { ...object.headers };
    for (const [field, name] of HEADER_NAMES) {
      const value = edit[field];
      if (typeof value !== 'string') continue;
      if (field === 'contentType') object.contentType = value;
      else if (value === '') delete headers[name];
      else headers[name] = value;
    }
    object.headers = headers;
    for (const [name, value] of edit.setMeta) object.metadata[name] = value;
    for (const name of edit.removeMeta) delete object.metadata[name];
  }

  static #changes(object: ManagedObject, edit: MetaEdit): MetaChange[] {
    const changes: MetaChange[] = [];
    for (const [field, name] of HEADER_NAMES) {
      const value = edit[field];
      if (typeof value !== 'string') continue;
      const before = field === 'contentType' ? object.contentType : (object.headers?.[name] ?? null);
      const after = value === '' ? null : value;
      if (before !== after) changes.push({ name, before, after });
    }
    for (const [name, value] of edit.setMeta) {
      const before = object.metadata[name] ?? null;
      if (before !== value) changes.push({ name: `x-oss-meta-${name}`, before, after: value });
    }
    for (const name of edit.removeMeta) {
      const before = object.metadata[name] ?? null;
      if (before !== null) changes.push({ name: `x-oss-meta-${name}`, before, after: null });
    }
    return changes;
  }

  preview(bucket: string, keys: string[], edit: MetaEdit): MetaPreview {
    const objects = this.#host.objects(bucket);
    const files = this.#expand(bucket, keys);
    const samples = files.slice(0, 5).map((key) => ({ key, changes: FakeManage.#changes(objects.get(key) as ManagedObject, edit) }));
    return { objects: files.length, samples };
  }

  async size(bucket: string, keys: string[], channel: { id: number }): Promise<Usage> {
    this.#sizeCancelled = false;
    const objects = this.#host.objects(bucket);
    const usage: Usage = { objects: 0, bytes: 0, byClass: {} };
    let index = 0;
    const files = this.#expand(bucket, keys);
    for (let i = 0; i < files.length; i++) {
      const object = objects.get(files[i]) as ManagedObject;
      usage.objects++;
      usage.bytes += object.size;
      const c = (usage.byClass[object.storageClass] ??= { objects: 0, bytes: 0 });
      c.objects++;
      c.bytes += object.size;
      if (i % 1000 === 999) {
        this.#host.send(channel, index++, structuredClone(usage));
        await sleep(20);
        if (this.#sizeCancelled) {
          this.#host.end(channel, index);
          this.#host.fail('cancelled', 'the size count was cancelled');
        }
      }
    }
    this.#host.end(channel, index);
    return usage;
  }

  sizeCancel(): null {
    this.#sizeCancelled = true;
    return null;
  }

  headers(bucket: string, key: string): ObjectHeaders {
    const object = this.#host.objects(bucket).get(key);
    if (!object) this.#host.fail('notFound', `no object '${key}'`);
    const h = object.headers ?? {};
    const state = objectState(object);
    return {
      key,
      headers: {
        contentType: object.contentType,
        cacheControl: h['Cache-Control'] ?? null,
        contentDisposition: h['Content-Disposition'] ?? null,
        contentEncoding: h['Content-Encoding'] ?? null,
        contentLanguage: h['Content-Language'] ?? null,
        expires: h.Expires ?? null,
        setMeta: Object.entries(object.metadata),
        removeMeta: [],
      },
      storageClass: object.storageClass,
      state,
    };
  }

  createBucket(input: NewBucket): null {
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(input.name)) this.#host.fail('invalidInput', `'${input.name}' is not a valid bucket name`);
    if (this.#host.buckets.some((b) => b.name === input.name)) this.#host.fail('conflict', `the bucket '${input.name}' exists already`);
    this.#host.buckets.push({ name: input.name, region: input.region ?? 'cn-hangzhou', creationDate: new Date().toISOString(), storageClass: input.storageClass ?? 'Standard' });
    this.#host.addBucket(input.name);
    return null;
  }

  deleteBucket(name: string, confirmation: string): null {
    if (confirmation !== name) this.#host.fail('invalidInput', `type the bucket's name '${name}' exactly to confirm deleting it`);
    if (this.#host.objects(name).size > 0) this.#host.fail('conflict', `the bucket '${name}' is not empty: delete its objects first`);
    const at = this.#host.buckets.findIndex((b) => b.name === name);
    if (at < 0) this.#host.fail('notFound', `the bucket '${name}' does not exist`);
    this.#host.buckets.splice(at, 1);
    return null;
  }

  details(name: string): BucketDetails {
    const bucket = this.#host.buckets.find((b) => b.name === name);
    if (!bucket) this.#host.fail('notFound', `the bucket '${name}' does not exist`);
    return {
      name,
      region: bucket.region,
      location: `oss-${bucket.region}`,
      extranetEndpoint: `oss-${bucket.region}.aliyuncs.com`,
      intranetEndpoint: `oss-${bucket.region}-internal.aliyuncs.com`,
      storageClass: bucket.storageClass,
      versioning: null,
      acl: 'private',
      creationDate: bucket.creationDate,
    };
  }
}
