// The versioning commands of the fake backend: each bucket's versioning state, every key's
// versions and delete markers (newest first), restoring, deleting and undeleting, over the fake
// backend's objects. An object written before versioning was enabled is its "null" version.
import type { DeletedVersion, ErrorKind, ObjectVersion, VersioningStatus } from '../../src/lib/bindings';
import type { ManagedObject } from './fake-manage';

export interface VersionsHost {
  objects(bucket: string): Map<string, ManagedObject>;
  /** Re-sorts the bucket's keys after a change. */
  changed(bucket: string): void;
  fail(kind: ErrorKind, message: string): never;
}

interface FakeVersion {
  versionId: string;
  lastModified: string;
  /** Null for a delete marker. */
  object: ManagedObject | null;
}

const NULL_VERSION = 'null';

export class FakeVersions {
  #host: VersionsHost;
  #status = new Map<string, VersioningStatus>();
  /** `bucket\nkey` → versions, newest first. */
  #history = new Map<string, FakeVersion[]>();
  #next = 1;

  constructor(host: VersionsHost) {
    this.#host = host;
  }

  status(bucket: string): VersioningStatus {
    return this.#status.get(bucket) ?? 'off';
  }

  setStatus(bucket: string, status: VersioningStatus): VersioningStatus {
    if (status === 'off') this.#host.fail('invalidInput', 'versioning can be enabled or suspended, not turned off: use suspend');
    this.#status.set(bucket, status);
    return status;
  }

  /** Records a write of `key` (upload or restore): call before the object changes, then `store`. */
  write(bucket: string, key: string, store: () => void): void {
    if (this.status(bucket) === 'off') {
      store();
      return;
    }
    const list = this.#versions(bucket, key);
    store();
    const object = this.#host.objects(bucket).get(key);
    if (object) this.#push(bucket, list, { ...object });
  }

  /** Records a plain delete of `key`: a delete marker on a versioned bucket. */
  deleting(bucket: string, key: string): void {
    if (this.status(bucket) === 'off' || key.endsWith('/')) return;
    const list = this.#versions(bucket, key);
    this.#push(bucket, list, null);
  }

  list(bucket: string, key: string): ObjectVersion[] {
    return this.#versions(bucket, key).map((v, i) => ({
      key,
      versionId: v.versionId,
      isLatest: i === 0,
      isDeleteMarker: v.object === null,
      lastModified: v.lastModified,
      etag: v.object ? `"${v.versionId.padEnd(32, '0').slice(0, 32)}"` : '',
      size: v.object?.size ?? null,
      storageClass: v.object?.storageClass ?? null,
    }));
  }

  restore(bucket: string, key: string, versionId: string): string {
    const version = this.#find(bucket, key, versionId);
    if (!version.object) this.#host.fail('invalidInput', 'a delete marker has no content to restore');
    const content = version.object;
    this.write(bucket, key, () => this.#host.objects(bucket).set(key, { ...content, lastModified: new Date().toISOString() }));
    this.#host.changed(bucket);
    return this.#versions(bucket, key)[0].versionId;
  }

  delete(bucket: string, key: string, versionId: string): DeletedVersion {
    const list = this.#versions(bucket, key);
    const version = this.#find(bucket, key, versionId);
    list.splice(list.indexOf(version), 1);
    this.#showLatest(bucket, key, list);
    return { versionId, deleteMarker: version.object === null };
  }

  deletedList(bucket: string, prefix: string): ObjectVersion[] {
    const found: ObjectVersion[] = [];
    for (const [id, list] of this.#history) {
      const [b, key] = id.split('\n');
      const rest = key.slice(prefix.length);
      if (b !== bucket || !key.startsWith(prefix) || rest.includes('/') || list[0]?.object !== null) continue;
      found.push(this.list(bucket, key)[0]);
    }
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  undelete(bucket: string, key: string): string {
    const list = this.#versions(bucket, key);
    const real = list.findIndex((v) => v.object !== null);
    if (real < 0) this.#host.fail('notFound', `oss://${bucket}/${key} has no earlier version to restore: it was deleted for good`);
    list.splice(0, real);
    this.#showLatest(bucket, key, list);
    return list[0].versionId;
  }

  /** The file a version download writes. */
  downloadPath(bucket: string, key: string, versionId: string, folder: string): string {
    const version = this.#find(bucket, key, versionId);
    if (!version.object) this.#host.fail('invalidInput', 'a delete marker has no content to download');
    const name = key.slice(key.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    const short = versionId.replace(/[^A-Za-z0-9]/g, '').slice(-8);
    const file = dot > 0 ? `${name.slice(0, dot)} (version ${short})${name.slice(dot)}` : `${name} (version ${short})`;
    return `${folder}/${file}`;
  }

  #versions(bucket: string, key: string): FakeVersion[] {
    const id = `${bucket}\n${key}`;
    let list = this.#history.get(id);
    if (!list) {
      const current = this.#host.objects(bucket).get(key);
      list = current ? [{ versionId: NULL_VERSION, lastModified: current.lastModified, object: { ...current } }] : [];
      this.#history.set(id, list);
    }
    return list;
  }

  #push(bucket: string, list: FakeVersion[], object: ManagedObject | null) {
    const suspended = this.status(bucket) === 'suspended';
    if (suspended) {
      const old = list.findIndex((v) => v.versionId === NULL_VERSION);
      if (old >= 0) list.splice(old, 1);
    }
    const versionId = suspended ? NULL_VERSION : `CAEQNhiBgICb8o6D0BYiIGM${String(this.#next++).padStart(6, '0')}`;
    list.unshift({ versionId, lastModified: new Date(Date.now() + this.#next).toISOString(), object });
  }

  #find(bucket: string, key: string, versionId: string): FakeVersion {
    const version = this.#versions(bucket, key).find((v) => v.versionId === versionId);
    return version ?? this.#host.fail('notFound', `oss://${bucket}/${key} has no version ${versionId}`);
  }

  /** The bucket's listing shows the newest version, or nothing when that is a delete marker. */
  #showLatest(bucket: string, key: string, list: FakeVersion[]) {
    const objects = this.#host.objects(bucket);
    const latest = list[0]?.object;
    if (latest) objects.set(key, { ...latest });
    else objects.delete(key);
    this.#host.changed(bucket);
  }
}
