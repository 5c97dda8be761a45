// A fake OSS Lite backend for the UI flows: every IPC command of the
// contract, in memory, with a bucket whose folder photos/2024/ holds 100,000
// objects. It keeps secrets to itself, like the Rust side: a saved profile
// only ever comes back with its masked AccessKey ID. Its inputs and answers are typed by the
// bindings generated from the Rust types, as api.ts is.
import type {
  AccessReport,
  AppInfo,
  BucketView,
  ConflictPolicy,
  CopiedUrls,
  DeleteProgress,
  DeleteResult,
  Direction,
  DownloadFolder,
  DownloadInput,
  ErrorKind,
  ErrorPayload,
  ExportOptions,
  ExportPreview,
  ExportProgress,
  ExportResult,
  ExportSpec,
  ObjectAcl,
  ObjectDetails,
  ObjectPage,
  OpenedSession,
  ProfileInput,
  ProfileView,
  PublicLink,
  ServiceError,
  ShareInput,
  SharedLink,
  TransferEvent,
  TransferOptionsInput,
  TransferSnapshot,
  UnfinishedTransfer,
  UploadInput,
} from '../../src/lib/bindings';
import { guessContentType } from '../../src/lib/share';
import type { ItemFailure, ManageOptionsInput, ManageRequest, MetaEdit, NewBucket } from '../../src/lib/bindings';
import type { PreviewKind, PreviewOpened } from '../../src/lib/bindings';
import type { VersioningStatus } from '../../src/lib/bindings';
import { FakeManage, objectState } from './fake-manage';
import { FakeSearch } from './fake-search';
import type { SearchRequest } from '../../src/lib/bindings';
import { resolveAddress } from './fake-address';
import { fakePreviewText } from './fake-preview';
import { FakeVersions } from './fake-versions';

export interface FakeConfig {
  /** Start with no profile (first start) or with the demo profiles. */
  profiles?: 'none' | 'some';
  /** Milliseconds each command takes. */
  latencyMs?: number;
  /** Objects in photos/2024/. */
  bigCount?: number;
  /** What the native pickers return (null: cancelled). */
  pickFiles?: string[] | null;
  pickFolder?: string | null;
  /** Local files that exist already (download conflicts). */
  localFiles?: string[];
  /** Transfers an earlier run left unfinished (transfer_unfinished). */
  unfinished?: boolean;
  /** Also one that profile "archive" started (listed with belongsTo, never restored). */
  unfinishedElsewhere?: boolean;
  /** Bytes a running transfer moves per 100 ms tick. */
  bytesPerTick?: number;
  /** The server sends no checksum (a CDN in front of OSS): downloads finish unverified. */
  noChecksum?: boolean;
  /** Seconds the server's clock is ahead of this machine's: links are signed with its time. */
  clockOffsetSecs?: number;
  /** More files in media-assets (key → size), e.g. a long name for the layout flows. */
  extraObjects?: Record<string, number>;
  /** Also profile "Public site" on the custom domain cdn.example.com, bound to bucket public-site. */
  customDomainProfile?: boolean;
  /** What download_folder_choose returns (null: cancelled). */
  chooseDownloadFolder?: string | null;
}

interface FakeTransfer {
  snap: TransferSnapshot;
  channel: { id: number; next: number } | null;
  /** Fail at this many bytes (a path containing "flaky"), once. */
  failAt: number | null;
  verifyTicks: number;
  bucket: string;
  key: string;
  /** A management job's work, done when its bytes are through; the objects that failed. */
  apply?: () => ItemFailure[];
}

interface StoredObject {
  size: number;
  lastModified: string;
  storageClass: string;
  /** null: GetObjectAcl is denied for this object (the details say it could not be read). */
  acl: ObjectAcl | null;
  contentType: string;
  metadata: Record<string, string>;
  /** Headers besides Content-Type, and `x-oss-restore` (the management commands). */
  headers?: Record<string, string>;
  restore?: string;
}

interface ChannelLike {
  id: number;
}

interface Internals {
  runCallback: (id: number, data: unknown) => void;
}

function fail(kind: ErrorKind, message: string, service?: ServiceError): never {
  throw (service ? { kind, message, service } : { kind, message }) satisfies ErrorPayload;
}

/** A service error with only some of its fields set. */
function oss(fields: Partial<ServiceError> & Pick<ServiceError, 'status'>): ServiceError {
  return { code: null, message: null, requestId: null, hostId: null, ec: null, ...fields };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deterministic pseudo-random numbers from an index. */
function hash(n: number): number {
  let x = (n + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function mask(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 4)}****${id.slice(-4)}`;
}

function contentTypeOf(key: string): string {
  if (/\.jpe?g$/i.test(key)) return 'image/jpeg';
  if (/\.png$/i.test(key)) return 'image/png';
  if (/\.pdf$/i.test(key)) return 'application/pdf';
  if (/\.md$/i.test(key)) return 'text/markdown';
  if (/\.mp4$/i.test(key)) return 'video/mp4';
  if (key.endsWith('/')) return 'application/x-directory';
  return 'application/octet-stream';
}

/** The viewer the core picks (osslite_core::preview::preview_kind), for the fake's few types. */
function previewKindOf(contentType: string | null, key: string): PreviewKind {
  const type = (contentType ?? '').split(';')[0].trim();
  if (type.startsWith('image/') || /\.(png|jpe?g|gif|webp|svg)$/i.test(key)) return 'image';
  if (type.startsWith('text/') || type === 'application/json' || /\.(txt|md|json|csv|log)$/i.test(key)) return 'text';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'unsupported';
}

/** A small picture for image previews: the web view loads it as it would an osslite-preview:// URL. */
const PREVIEW_IMAGE = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="64" height="48" fill="#0f8f9a"/></svg>')}`;

/** Glob on the name below the exported folder: `*`, `?`, `[...]`. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, end).replace(/^!/, '^');
      re += `[${body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class FakeBackend {
  readonly calls: { cmd: string; args: unknown }[] = [];
  readonly clipboard: string[] = [];
  /** Files path_open / path_reveal handed to the OS, as "open PATH" / "reveal PATH". */
  readonly opened: string[] = [];
  #downloadFolder: string | null = null;
  readonly latency: number;

  #profiles = new Map<string, ProfileView>();
  /** Secrets stay here; nothing returns them. */
  #secrets = new Map<string, { id: string; secret: string; token?: string }>();
  #active: string | null = null;
  #buckets: BucketView[] = [
    { name: 'media-assets', region: 'cn-hangzhou', creationDate: '2023-04-12T08:15:00.000Z', storageClass: 'Standard' },
    { name: 'logs-archive', region: 'cn-shanghai', creationDate: '2022-11-02T02:40:00.000Z', storageClass: 'IA' },
    { name: 'public-site', region: 'ap-southeast-1', creationDate: '2024-01-20T10:05:00.000Z', storageClass: 'Standard' },
  ];
  /** Sorted keys per bucket, and their objects. */
  #keys = new Map<string, string[]>();
  #objects = new Map<string, Map<string, StoredObject>>();
  #exportCancelled = false;
  #config: FakeConfig;
  #transfers = new Map<number, FakeTransfer>();
  #nextTransfer = 1;
  #jobs = 3;
  #ticker: ReturnType<typeof setInterval> | null = null;
  /** Set by a flow to hold every transfer where it is (for steady screenshots). */
  frozen = false;
  readonly manage = new FakeManage({
    objects: (bucket) => this.#bucketObjects(bucket).objects,
    changed: (bucket) => this.#setBucket(bucket, this.#bucketObjects(bucket).objects),
    addBucket: (name) => this.#setBucket(name, new Map()),
    buckets: this.#buckets,
    send: (channel, index, message) => this.#send(channel, index, message),
    end: (channel, index) => this.#end(channel, index),
    fail: (kind, message) => fail(kind as ErrorKind, message),
  });
  readonly search = new FakeSearch({
    keys: (bucket) => this.#bucketObjects(bucket).keys,
    objects: (bucket) => this.#bucketObjects(bucket).objects,
    send: (channel, index, message) => this.#send(channel, index, message),
    end: (channel, index) => this.#end(channel, index),
  });
  readonly versions = new FakeVersions({
    objects: (bucket) => this.#bucketObjects(bucket).objects,
    changed: (bucket) => this.#setBucket(bucket, this.#bucketObjects(bucket).objects),
    fail: (kind, message) => fail(kind, message),
  });

  constructor(config: FakeConfig = {}) {
    this.#config = config;
    this.latency = config.latencyMs ?? 10;
    if (config.profiles === 'some') {
      this.#addProfile(
        {
          name: 'Production',
          region: 'cn-hangzhou',
          addressing: 'virtual',
          https: true,
          replace: false,
        },
        { id: 'LTAI5tProdKeyId0001', secret: 'prod-secret-never-shown' },
      );
      this.#addProfile(
        {
          name: 'Staging (STS)',
          region: 'cn-shanghai',
          addressing: 'virtual',
          https: true,
          replace: false,
          presetPath: 'oss://media-assets/photos/',
        },
        { id: 'STS.NUgYrLnoC37mZZ', secret: 'sts-secret', token: 'token' },
        new Date(Date.now() + 30 * 60_000).toISOString(),
      );
    }
    if (config.customDomainProfile) {
      const site = { name: 'Public site', region: 'ap-southeast-1', endpoint: 'cdn.example.com', addressing: 'cname', presetPath: 'oss://public-site/' } as const;
      this.#addProfile({ ...site, https: true, replace: false }, { id: 'LTAI5tSiteKeyId00001', secret: 'site-secret' });
    }
    this.#seed(config.bigCount ?? 100_000);
  }

  #seed(bigCount: number) {
    const media = new Map<string, StoredObject>();
    const put = (key: string, size: number, day: number, extra: Partial<StoredObject> = {}) => {
      media.set(key, {
        size,
        lastModified: new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + (hash(size) % 86_400) * 1000).toISOString(),
        storageClass: 'Standard',
        acl: 'default',
        contentType: contentTypeOf(key),
        metadata: {},
        ...extra,
      });
    };
    put('README.md', 2_310, 3, { metadata: { owner: 'media-team' } });
    put('banner.png', 184_220, 40, { acl: 'public-read' });
    put('docs/', 0, 1);
    put('docs/report-2024.pdf', 3_482_113, 200, { storageClass: 'IA', acl: null });
    put('docs/handbook.pdf', 12_004_551, 90);
    put('docs/notes.md', 940, 12);
    put('photos/', 0, 1);
    put('photos/cover.jpg', 402_118, 33, { metadata: { camera: 'X100V', author: 'li.wei' } });
    for (let i = 1; i <= 40; i++) {
      put(`photos/2023/trip-${String(i).padStart(3, '0')}.jpg`, 800_000 + (hash(i) % 4_000_000), -200 + i);
    }
    put('photos/2023/raw/DSC_0001.dng', 25_183_220, -150, { storageClass: 'Archive' });
    const classes = ['Standard', 'Standard', 'Standard', 'IA', 'Archive'];
    for (let i = 1; i <= bigCount; i++) {
      const h = hash(i);
      media.set(`photos/2024/IMG_${String(i).padStart(6, '0')}.jpg`, {
        size: 20_000 + (h % 24_000_000),
        lastModified: new Date(Date.UTC(2024, 0, 1) + (h % (360 * 86_400)) * 1000).toISOString(),
        storageClass: classes[h % classes.length],
        acl: 'default',
        contentType: 'image/jpeg',
        metadata: {},
        // Restored long ago, so that they can be shared and downloaded (raw/DSC_0001.dng is not).
        ...(classes[h % classes.length] === 'Archive' ? { restore: 'ongoing-request="false", expiry-date="Fri, 01 Jan 2100 00:00:00 GMT"' } : {}),
      });
    }
    put('videos/', 0, 2);
    for (const [key, size] of Object.entries(this.#config.extraObjects ?? {})) put(key, size, 300);
    this.#setBucket('media-assets', media);

    const site = new Map<string, StoredObject>();
    for (const name of ['index.html', 'app.js', 'style.css', 'logo.svg']) {
      site.set(name, {
        size: 1000 + (hash(name.length) % 90_000),
        lastModified: '2024-06-01T09:30:00.000Z',
        storageClass: 'Standard',
        acl: 'public-read',
        contentType: 'text/plain',
        metadata: {},
      });
    }
    this.#setBucket('public-site', site);
    this.#setBucket('logs-archive', new Map());
  }

  #setBucket(bucket: string, objects: Map<string, StoredObject>) {
    this.#objects.set(bucket, objects);
    this.#keys.set(bucket, [...objects.keys()].sort());
  }

  #addProfile(input: ProfileInput, keys: { id: string; secret: string; token?: string }, stsExpiresAt: string | null = null) {
    const endpoint = input.endpoint ?? null;
    const host = endpoint ?? `oss-${input.region}.aliyuncs.com`;
    const resolvedEndpoint = `${input.https ? 'https' : 'http'}://${host.replace(/^https?:\/\//, '')}`;
    const view: ProfileView = {
      name: input.name,
      region: input.region,
      endpoint,
      resolvedEndpoint,
      addressing: input.addressing,
      https: input.https,
      presetPath: input.presetPath ?? null,
      proxy: input.proxy ?? null,
      accessKeyIdMasked: mask(keys.id),
      usesSts: keys.token !== undefined,
      stsExpiresAt: keys.token !== undefined ? stsExpiresAt : null,
      // A rough copy of the core's classifier: enough for the flows' endpoints.
      warnings:
        input.name === 'Local sandbox'
          ? []
          : [
              ...(resolvedEndpoint.startsWith('http://') ? (['plainHttp'] as const) : []),
              ...(/^https?:\/\/(10\.|192\.168\.)/.test(resolvedEndpoint) ? (['privateAddress'] as const) : []),
            ],
      startsOnDemand: false,
    };
    this.#profiles.set(input.name, view);
    this.#secrets.set(input.name, keys);
    return view;
  }

  #profile(): ProfileView {
    const profile = this.#active ? this.#profiles.get(this.#active) : undefined;
    if (!profile) fail('invalidInput', 'no profile is open');
    return profile;
  }

  #bucketObjects(bucket: string): { keys: string[]; objects: Map<string, StoredObject> } {
    const keys = this.#keys.get(bucket);
    const objects = this.#objects.get(bucket);
    if (!keys || !objects) {
      fail('notFound', `the bucket '${bucket}' does not exist`, oss({
        status: 404,
        code: 'NoSuchBucket',
        message: 'The specified bucket does not exist.',
        requestId: '66F0C2A1E4B0D1A2B3C4D5E6',
        hostId: `${bucket}.oss-cn-hangzhou.aliyuncs.com`,
        ec: '0015-00000101',
      }));
    }
    return { keys, objects };
  }

  /** First index in sorted `keys` whose key is >= `value`. */
  static #lowerBound(keys: string[], value: string): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #list(bucket: string, prefix: string, token: string | null, maxKeys: number): ObjectPage {
    if (bucket === 'logs-archive') {
      fail('permissionDenied', 'You have no right to access this bucket: ListObjects is denied for this AccessKey.', oss({
        status: 403,
        code: 'AccessDenied',
        message: 'You have no right to access this object because of bucket acl.',
        requestId: '66F0C2A1E4B0D1A2B3C4D5E7',
        hostId: 'logs-archive.oss-cn-shanghai.aliyuncs.com',
        ec: '0003-00000001',
      }));
    }
    const { keys, objects } = this.#bucketObjects(bucket);
    let i = FakeBackend.#lowerBound(keys, prefix);
    if (token !== null) {
      // The token is the last key or folder returned: start after it, and after everything under a folder.
      const after = token.endsWith('/') && token !== prefix ? `${token}\uffff` : `${token}\u0000`;
      i = Math.max(i, FakeBackend.#lowerBound(keys, after));
    }
    const page: ObjectPage = { folders: [], objects: [], nextContinuationToken: null };
    let count = 0;
    let last = '';
    while (i < keys.length && keys[i].startsWith(prefix)) {
      if (count >= maxKeys) {
        page.nextContinuationToken = last;
        return page;
      }
      const key = keys[i];
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0 && rest !== '') {
        const folder = prefix + rest.slice(0, slash + 1);
        page.folders.push(folder);
        last = folder;
        i = FakeBackend.#lowerBound(keys, `${folder}\uffff`);
      } else {
        const o = objects.get(key) as StoredObject;
        const etag = `"${hash(key.length * 7919 + o.size).toString(16).padStart(8, '0').toUpperCase()}5D1E0A7C3F2B9E84"`;
        page.objects.push({ key, size: o.size, lastModified: o.lastModified, etag, storageClass: o.storageClass, state: objectState(o) });
        last = key;
        i++;
      }
      count++;
    }
    return page;
  }

  #matching(spec: ExportSpec): { key: string; size: number }[] {
    const { keys, objects } = this.#bucketObjects(spec.bucket);
    const include = spec.include.map(globToRegExp);
    const exclude = spec.exclude.map(globToRegExp);
    const base = spec.prefix ?? '';
    const isFile = (k: string) => !k.endsWith('/');
    const candidates = spec.keys
      ? [...spec.keys, ...keys.filter((k) => isFile(k) && (spec.folders ?? []).some((folder) => k.startsWith(folder)))]
      : keys.filter((k) => k.startsWith(base) && isFile(k) && (spec.recursive || !k.slice(base.length).includes('/')));
    const out: { key: string; size: number }[] = [];
    for (const key of candidates) {
      const name = key.slice(key.lastIndexOf('/') + 1);
      if (include.length > 0 && !include.some((re) => re.test(name))) continue;
      if (exclude.some((re) => re.test(name))) continue;
      out.push({ key, size: objects.get(key)?.size ?? 0 });
    }
    return out;
  }

  #presign(request: ShareInput): SharedLink {
    const profile = this.#profile();
    if (!Number.isInteger(request.expiresSecs) || request.expiresSecs < 60 || request.expiresSecs > 32400) {
      fail('invalidInput', `validity must be between 60 and 32400 seconds, not ${request.expiresSecs}`);
    }
    const offsetSecs = this.#config.clockOffsetSecs ?? 0;
    const now = new Date(Date.now() + offsetSecs * 1000);
    const scheme = request.https ? 'https' : 'http';
    const host =
      request.domain.kind === 'cname'
        ? request.domain.host
        : request.domain.kind === 'accelerate'
          ? `${request.bucket}.oss-accelerate.aliyuncs.com`
          : `${request.bucket}.oss-${profile.region}.aliyuncs.com`;
    const date = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    let expires = request.expiresSecs;
    let clipped: string | null = null;
    if (profile.usesSts && profile.stsExpiresAt) {
      const left = Math.floor((Date.parse(profile.stsExpiresAt) - now.getTime()) / 1000);
      if (left < expires) {
        expires = Math.max(1, left);
        clipped = profile.stsExpiresAt;
      }
    }
    const params = new URLSearchParams();
    params.set('x-oss-signature-version', 'OSS4-HMAC-SHA256');
    params.set('x-oss-credential', `${this.#secrets.get(profile.name)?.id ?? 'LTAI'}/${date.slice(0, 8)}/${profile.region}/oss/aliyun_v4_request`);
    params.set('x-oss-date', date);
    params.set('x-oss-expires', String(expires));
    if (request.versionId) params.set('versionId', request.versionId);
    if (request.process) params.set('x-oss-process', request.process);
    if (request.downloadAs) params.set('response-content-disposition', `attachment; filename="${request.downloadAs}"`);
    if (profile.usesSts) params.set('x-oss-security-token', 'CAIS8gF1q6Ft5B2yfSjIr5bSEsKz…');
    const headers: Record<string, string> = {};
    if (request.method === 'PUT') {
      if (request.contentType) headers['content-type'] = request.contentType;
      if (request.storageClass) headers['x-oss-storage-class'] = request.storageClass;
      for (const [name, value] of request.meta ?? []) headers[`x-oss-meta-${name}`] = value;
      if (Object.keys(headers).length > 0) params.set('x-oss-additional-headers', Object.keys(headers).filter((h) => h !== 'content-type').join(';'));
    }
    const signature = Array.from({ length: 8 }, (_, i) => hash(JSON.stringify(request).length * 31 + now.getTime() + i).toString(16).padStart(8, '0')).join('');
    params.set('x-oss-signature', signature);
    const path = request.key.split('/').map(encodeURIComponent).join('/');
    const url = `${scheme}://${host}/${path}?${params.toString()}`;
    const headerArgs = Object.entries(headers).map(([k, v]) => ` -H '${k}: ${v}'`).join('');
    const curl =
      request.method === 'PUT'
        ? `curl -X PUT${headerArgs}${request.contentType ? '' : " -H 'Content-Type:'"} -T '${request.key.split('/').pop()}' '${url}'`
        : `curl -o '${request.downloadAs ?? request.key.split('/').pop()}' '${url}'`;
    return {
      url,
      method: request.method,
      signedAt: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(),
      expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + expires * 1000).toISOString(),
      clockOffsetSecs: offsetSecs,
      signedHeaders: headers,
      clippedToTokenExpiry: clipped,
      curl,
    };
  }

  #send<T>(channel: ChannelLike, index: number, message: T) {
    (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
  }

  #end(channel: ChannelLike, index: number) {
    (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__.runCallback(channel.id, { index, end: true });
  }


  // ------------------------------------------------------------ the fake transfer engine

  /** Deterministic file sizes: "big" 2 GiB, "empty" 0, else 3..40 MB. */
  static #sizeOf(path: string): number {
    if (/big/i.test(path)) return 2 * 1024 ** 3;
    if (/empty/i.test(path)) return 0;
    return 3_000_000 + (hash(path.length * 131 + path.charCodeAt(path.length - 1)) % 37_000_000);
  }

  static #base(path: string): string {
    const t = path.replace(/[\\/]+$/, '');
    return t.slice(Math.max(t.lastIndexOf('/'), t.lastIndexOf('\\')) + 1);
  }

  static #renamed(name: string): string {
    const dot = name.lastIndexOf('.');
    return dot > 0 ? `${name.slice(0, dot)} (1)${name.slice(dot)}` : `${name} (1)`;
  }

  #emit(t: FakeTransfer, event: TransferEvent) {
    if (!t.channel) return;
    this.#send(t.channel, t.channel.next++, event);
  }

  #progress(t: FakeTransfer) {
    const s = t.snap;
    this.#emit(t, { event: 'progress', id: s.id, state: s.state, done: s.done, total: s.total, bytesPerSec: s.bytesPerSec, etaSecs: s.etaSecs });
  }

  #create(direction: Direction, source: string, destination: string, bucket: string, key: string, channel: FakeTransfer['channel'], done = 0): FakeTransfer {
    const id = this.#nextTransfer++;
    const snap: TransferSnapshot = {
      id, direction, source, destination, state: 'queued', done, total: FakeBackend.#sizeOf(direction === 'upload' ? source : key),
      bytesPerSec: 0, etaSecs: null, skipped: false, verification: null, error: null,
    };
    const t: FakeTransfer = { snap, channel, failAt: /flaky/i.test(source) ? Math.floor(snap.total / 3) : null, verifyTicks: 0, bucket, key };
    this.#transfers.set(id, t);
    this.#emit(t, { event: 'queued', transfer: { ...snap } });
    return t;
  }

  /** Applies the conflict policy; true when the transfer ended right there. */
  #conflict(t: FakeTransfer, exists: boolean, policy: ConflictPolicy, renameTo: () => void): boolean {
    if (!exists || policy === 'overwrite') return false;
    const s = t.snap;
    if (policy === 'skip') {
      s.state = 'done';
      s.skipped = true;
      this.#emit(t, { event: 'finished', id: s.id, destination: s.destination, done: 0, total: s.total, skipped: true, verification: null });
      return true;
    }
    if (policy === 'rename') {
      renameTo();
      return false;
    }
    s.state = 'failed';
    s.error = { kind: 'conflict', message: `${s.destination} exists: choose overwrite, skip or rename` };
    this.#emit(t, { event: 'failed', id: s.id, done: 0, total: s.total, error: s.error });
    return true;
  }

  #startTicker() {
    this.#ticker ??= setInterval(() => this.#tick(), 100);
  }

  #tick() {
    if (this.frozen) return;
    const step = this.#config.bytesPerTick ?? 1_500_000;
    let running = 0;
    for (const t of this.#transfers.values()) {
      const s = t.snap;
      if (s.state === 'queued' && running < this.#jobs) s.state = 'running';
      if (s.state !== 'running' && s.state !== 'verifying') continue;
      running++;
      if (s.state === 'verifying') {
        if (++t.verifyTicks < 3) continue;
        s.state = 'done';
        s.bytesPerSec = 0;
        s.etaSecs = null;
        if (s.direction === 'upload') this.#storeObject(t.bucket, t.key, s.total);
        s.verification = s.direction === 'download' && this.#config.noChecksum ? 'none' : 'crc64';
        this.#emit(t, { event: 'finished', id: s.id, destination: s.destination, done: s.done, total: s.total, skipped: false, verification: s.verification });
        continue;
      }
      s.done = Math.min(s.total, s.done + step);
      s.bytesPerSec = step * 10;
      s.etaSecs = Math.ceil((s.total - s.done) / s.bytesPerSec);
      if (t.failAt !== null && s.done >= t.failAt) {
        t.failAt = null;
        s.state = 'failed';
        s.bytesPerSec = 0;
        s.etaSecs = null;
        s.error = { kind: 'network', message: 'connection reset by peer (after 3 retries)' };
        this.#emit(t, { event: 'failed', id: s.id, done: s.done, total: s.total, error: s.error });
        continue;
      }
      if (s.done >= s.total && t.apply) {
        const failed = t.apply();
        t.apply = undefined;
        this.manage.recordFailures(s.id, failed);
        s.bytesPerSec = 0;
        s.etaSecs = null;
        if (failed.length > 0) {
          s.state = 'failed';
          const named = failed.slice(0, 3).map((f) => `${f.source}: ${f.message}`).join('; ');
          s.error = { kind: failed[0].kind, message: `${failed.length} object(s) failed: ${named}` };
          this.#emit(t, { event: 'failed', id: s.id, done: s.done, total: s.total, error: s.error });
        } else {
          s.state = 'done';
          this.#emit(t, { event: 'finished', id: s.id, destination: s.destination, done: s.done, total: s.total, skipped: false, verification: null });
        }
        continue;
      }
      if (s.done >= s.total) {
        s.state = 'verifying';
        s.bytesPerSec = 0;
        s.etaSecs = null;
      }
      this.#progress(t);
    }
  }

  #storeObject(bucket: string, key: string, size: number) {
    const { objects } = this.#bucketObjects(bucket);
    this.versions.write(bucket, key, () =>
      objects.set(key, { size, lastModified: new Date().toISOString(), storageClass: 'Standard', acl: 'default', contentType: contentTypeOf(key), metadata: {} }),
    );
    this.#setBucket(bucket, objects);
  }

  #upload(request: UploadInput, options: TransferOptionsInput, channel: ChannelLike): number[] {
    const { objects } = this.#bucketObjects(request.bucket);
    const ch = { id: channel.id, next: 0 };
    const ids: number[] = [];
    for (const path of request.paths) {
      let name = FakeBackend.#base(path);
      const key = () => `${request.prefix}${name}`;
      const t = this.#create('upload', path, `oss://${request.bucket}/${key()}`, request.bucket, key(), ch);
      ids.push(t.snap.id);
      const exists = objects.has(key()) || objects.has(`${key()}/`) || [...objects.keys()].some((k) => k.startsWith(`${key()}/`));
      this.#conflict(t, exists, options.onConflict ?? 'fail', () => {
        name = FakeBackend.#renamed(name);
        t.key = key();
        t.snap.destination = `oss://${request.bucket}/${key()}`;
      });
    }
    this.#startTicker();
    return ids;
  }

  /** A management job as one transfer: its work is done when its bytes are through. */
  #manageStart(request: ManageRequest, policy: ConflictPolicy, channel: ChannelLike): number {
    const job = this.manage.job(request, policy);
    const t = this.#create(job.direction, job.source, job.destination, request.bucket, request.keys[0] ?? '', { id: channel.id, next: 0 });
    t.snap.total = job.bytes;
    t.apply = job.apply;
    this.#startTicker();
    return t.snap.id;
  }

  #download(request: DownloadInput, options: TransferOptionsInput, channel: ChannelLike): number[] {
    const { keys } = this.#bucketObjects(request.bucket);
    const ch = { id: channel.id, next: 0 };
    const local = new Set(this.#config.localFiles ?? []);
    const ids: number[] = [];
    const files = request.keys.flatMap((k) => (k.endsWith('/') ? keys.filter((x) => x.startsWith(k) && !x.endsWith('/')).slice(0, 200) : [k]));
    for (const key of files) {
      let rel = key.slice(request.base.length);
      const dest = () => `${request.folder.replace(/\/$/, '')}/${rel}`;
      const t = this.#create('download', `oss://${request.bucket}/${key}`, dest(), request.bucket, key, ch);
      ids.push(t.snap.id);
      this.#conflict(t, local.has(dest()), options.onConflict ?? 'fail', () => {
        const at = rel.lastIndexOf('/') + 1;
        rel = rel.slice(0, at) + FakeBackend.#renamed(rel.slice(at));
        t.snap.destination = dest();
      });
    }
    this.#startTicker();
    return ids;
  }

  #control(cmd: string, id: number) {
    const t = this.#transfers.get(id);
    if (!t) fail('notFound', `no transfer ${id}`);
    const s = t.snap;
    if (cmd === 'transfer_pause') {
      if (s.state !== 'queued' && s.state !== 'running') fail('invalidInput', `transfer ${id} is ${s.state}`);
      s.state = 'paused';
      s.bytesPerSec = 0;
      s.etaSecs = null;
      this.#progress(t);
    } else if (cmd === 'transfer_resume') {
      if (s.state !== 'paused' && s.state !== 'failed') fail('invalidInput', `transfer ${id} is ${s.state}`);
      s.state = 'queued';
      s.error = null;
      this.#progress(t);
      this.#startTicker();
    } else {
      if (s.state === 'done' || s.state === 'failed' || s.state === 'cancelled') fail('invalidInput', `transfer ${id} is ${s.state}`);
      s.state = 'cancelled';
      s.bytesPerSec = 0;
      s.etaSecs = null;
      this.#emit(t, { event: 'cancelled', id, done: s.done, total: s.total });
    }
    return null;
  }

  #unfinished(): UnfinishedTransfer[] {
    const endpoint = 'https://oss-cn-hangzhou.aliyuncs.com/';
    const elsewhere: UnfinishedTransfer[] = this.#config.unfinishedElsewhere
      ? [{ checkpoint: 'ckpt-3', direction: 'download', source: 'oss://media-assets/archive/2019.zip', destination: '/home/li/Downloads/2019.zip', done: 1_000_000, total: 9_000_000, endpoint, profile: 'archive', belongsTo: 'archive' }]
      : [];
    if (!this.#config.unfinished) return elsewhere;
    return [
      { checkpoint: 'ckpt-1', direction: 'upload', source: '/home/li/Videos/launch-keynote.mp4', destination: 'oss://media-assets/videos/launch-keynote.mp4', done: 9_000_000, total: 30_000_000, endpoint, profile: 'work', belongsTo: null },
      { checkpoint: 'ckpt-2', direction: 'download', source: 'oss://media-assets/docs/handbook.pdf', destination: '/home/li/Downloads/handbook.pdf', done: 4_000_000, total: 12_004_551, endpoint, profile: 'work', belongsTo: null },
      ...elsewhere,
    ];
  }

  /** What the Rust side copies: versions, profile settings without keys, recent problems. */
  #diagnostics(): string {
    const profiles = [...this.#profiles.values()].map(
      (p) => `- ${p.name}: region ${p.region}, endpoint ${p.endpoint ?? "(the region's)"}, addressing ${p.addressing}, https ${p.https}`,
    );
    return [
      'OSS Lite 0.1.0',
      'OS: linux x86_64 (fake)',
      'WebView: 2.50.0',
      '',
      `Profiles (${profiles.length}):`,
      ...profiles,
      '',
      'Recent warnings and errors (1):',
      '2026-12-04T10:00:00Z WARN osslite_core::client::send [bucket_list:oss_request]: retrying attempt=1',
      '',
    ].join('\n');
  }

  /**
   * The form's values tried without storing them. Flows steer the outcome: the secret `wrong`
   * is refused as OSS refuses a bad signature; an endpoint on port 1 is unreachable.
   */
  #testUnsaved(input: ProfileInput): AccessReport {
    const stored = this.#profiles.get(input.name);
    if (!input.keys && !stored) fail('invalidInput', 'enter the AccessKey ID and secret to test this connection (they are not stored until you save)');
    const endpoint = input.endpoint ?? '';
    const closed = /^(?:https?:\/\/)?([^/]+:1)$/.exec(endpoint);
    if (closed) {
      throw {
        kind: 'network',
        message: `Can't reach ${closed[1]} (connection refused). Is the endpoint right?`,
        detail: 'ListBuckets: error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)',
      };
    }
    if (input.keys?.accessKeySecret === 'wrong') {
      fail('unauthenticated', 'ListBuckets: OSS answered 403 SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.', oss({ status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.', requestId: '6551DB8F1CE3E6F2D8A6B2C1' }));
    }
    return { bucketCount: this.#buckets.length, presetListed: false, message: `Connected: ListBuckets works and shows ${this.#buckets.length} buckets.` };
  }

  /** Test hook: the snapshots as the engine has them. */
  transfers(): TransferSnapshot[] {
    return [...this.#transfers.values()].map((t) => ({ ...t.snap }));
  }

  async handle(cmd: string, raw: unknown): Promise<unknown> {
    const args = (raw ?? {}) as Record<string, unknown>;
    // Secrets are not kept in the call log either.
    const input = args.input as ProfileInput | undefined;
    const withKeys = cmd === 'profile_save' || cmd === 'profile_test_unsaved';
    const logged = withKeys && input ? { input: { ...input, keys: input.keys ? '<redacted>' : undefined } } : args;
    this.calls.push({ cmd, args: logged });
    if (this.latency > 0) await sleep(this.latency);
    switch (cmd) {
      case 'app_info':
        return { name: 'OSS Lite', version: '0.1.0', validity: { coreMin: 1, coreMax: 604800, desktopMin: 60, desktopMax: 32400 }, debugBuild: false } satisfies AppInfo;
      case 'profile_list':
        return [...this.#profiles.values()];
      case 'profile_save': {
        const input = args.input as ProfileInput;
        const existing = this.#profiles.get(input.name);
        if (existing && !input.replace) fail('invalidInput', `a profile named '${input.name}' exists: choose another name`);
        if (!existing && !input.keys) fail('invalidInput', 'a new profile needs an AccessKey ID and secret');
        const moved = existing && (existing.endpoint !== (input.endpoint ?? null) || existing.https !== input.https || existing.proxy !== (input.proxy ?? null));
        if (moved && !input.keys) fail('invalidInput', `the endpoint, proxy or HTTPS setting of profile '${input.name}' changed: enter the AccessKey secret again`);
        // Only a new secret keeps the stored AccessKey ID, as the core does.
        const keys = input.keys
          ? { id: input.keys.accessKeyId || (this.#secrets.get(input.name)?.id ?? fail('invalidInput', 'enter the AccessKey ID with the secret')), secret: input.keys.accessKeySecret, token: input.keys.securityToken ?? undefined }
          : (this.#secrets.get(input.name) as { id: string; secret: string });
        return this.#addProfile(input, keys, input.keys?.stsExpiresAt ?? existing?.stsExpiresAt ?? null);
      }
      case 'profile_import_env':
        return this.#addProfile(
          { name: args.name as string, region: args.region as string, addressing: 'virtual', https: true, replace: false },
          { id: 'LTAI5tFromEnvironment', secret: 'env-secret' },
        );
      case 'profile_remove':
        this.#profiles.delete(args.name as string);
        this.#secrets.delete(args.name as string);
        return null;
      case 'profile_test':
        if (this.#secrets.get(args.name as string)?.secret === 'wrong') this.#testUnsaved({ name: '', region: '', addressing: 'virtual', https: true, replace: false, keys: { accessKeySecret: 'wrong' } });
        return {
          bucketCount: this.#buckets.length,
          presetListed: this.#profiles.get(args.name as string)?.presetPath != null,
          message: `Connected: ListBuckets works and shows ${this.#buckets.length} buckets.`,
        } satisfies AccessReport;
      case 'profile_test_unsaved':
        return this.#testUnsaved(args.input as ProfileInput);
      case 'demo_profile_start':
        return this.#addProfile(
          { name: 'Local sandbox', region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9000', addressing: 'path', https: false, replace: true },
          { id: 'SANDBOXACCESSKEY01', secret: 'sandbox' },
        );
      case 'session_open': {
        const profile = this.#profiles.get(args.name as string);
        if (!profile) fail('notFound', `there is no profile '${String(args.name)}'`);
        this.#active = profile.name;
        const preset = profile.presetPath ? /^oss:\/\/([^/]+)\/?(.*)$/.exec(profile.presetPath) : null;
        return { profile, preset: preset ? { bucket: preset[1], prefix: preset[2] } : null } satisfies OpenedSession;
      }
      case 'bucket_list':
        if (this.#secrets.get(this.#profile().name)?.secret === 'wrong') this.#testUnsaved({ name: '', region: '', addressing: 'virtual', https: true, replace: false, keys: { accessKeySecret: 'wrong' } });
        return this.#buckets;
      case 'object_list_page':
        return this.#list(args.bucket as string, args.prefix as string, (args.continuationToken as string | null) ?? null, args.maxKeys as number);
      case 'object_details': {
        const { objects } = this.#bucketObjects(args.bucket as string);
        const key = args.key as string;
        const o = objects.get(key);
        if (!o) fail('notFound', `no object '${key}'`, oss({ status: 404, code: 'NoSuchKey', requestId: '66F0C2A1E4B0D1A2B3C4D5E8' }));
        return {
          key,
          size: o.size,
          etag: `"${hash(o.size).toString(16).toUpperCase()}5D1E0A7C3F2B9E84"`,
          crc64: String(BigInt(hash(o.size)) * 4294967311n),
          contentType: o.contentType,
          lastModified: o.lastModified,
          storageClass: o.storageClass,
          metadata: o.metadata,
          acl: o.acl,
          versionId: null,
        } satisfies ObjectDetails;
      }
      case 'folder_create': {
        const { objects } = this.#bucketObjects(args.bucket as string);
        objects.set(args.prefix as string, { size: 0, lastModified: new Date().toISOString(), storageClass: 'Standard', acl: 'default', contentType: 'application/x-directory', metadata: {} });
        this.#setBucket(args.bucket as string, objects);
        return null;
      }
      case 'objects_delete': {
        const { keys, objects } = this.#bucketObjects(args.bucket as string);
        const prefixes = args.prefixes as string[];
        const doomed = [...(args.keys as string[]), ...keys.filter((k) => prefixes.some((p) => k.startsWith(p)))];
        const channel = args.onProgress as ChannelLike;
        let index = 0;
        for (let done = 0; done < doomed.length; done += 1000) {
          for (const key of doomed.slice(done, done + 1000)) {
            this.versions.deleting(args.bucket as string, key);
            objects.delete(key);
          }
          this.#send<DeleteProgress>(channel, index++, { event: 'progress', data: { deleted: Math.min(done + 1000, doomed.length), total: doomed.length } });
          await sleep(5);
        }
        this.#setBucket(args.bucket as string, objects);
        this.#send<DeleteProgress>(channel, index++, { event: 'finished', data: { deleted: doomed.length } });
        this.#end(channel, index);
        return { deleted: doomed.length } satisfies DeleteResult;
      }
      case 'share_presign':
        return this.#presign(args.request as ShareInput);
      case 'share_public_url': {
        const profile = this.#profile();
        return { url: `${args.https ? 'https' : 'http'}://${String(args.bucket)}.oss-${profile.region}.aliyuncs.com/${String(args.key)}` } satisfies PublicLink;
      }
      case 'clipboard_write':
        this.clipboard.push(args.text as string);
        return null;
      case 'export_preview': {
        const matched = this.#matching(args.spec as ExportSpec);
        return { count: matched.length, totalBytes: matched.reduce((sum, m) => sum + m.size, 0) } satisfies ExportPreview;
      }
      case 'export_csv': {
        const spec = args.spec as ExportSpec;
        const options = args.options as ExportOptions;
        const matched = this.#matching(spec);
        const channel = args.onProgress as ChannelLike;
        this.#exportCancelled = false;
        let index = 0;
        await sleep(150); // the save dialog
        const step = Math.max(1, Math.ceil(matched.length / 20));
        for (let done = 0; done < matched.length; done += step) {
          if (this.#exportCancelled) {
            this.#end(channel, index);
            fail('cancelled', 'the export was cancelled');
          }
          // As the Rust side: the first event (0 rows) says the file was chosen; it never knows the total.
          this.#send<ExportProgress>(channel, index++, { event: 'progress', data: { done, total: null } });
          await sleep(40);
        }
        const path = `/home/user/Downloads/${spec.bucket}-urls${options.excelBom ? '-excel' : ''}.csv`;
        this.#send<ExportProgress>(channel, index++, { event: 'finished', data: { rows: matched.length, path } });
        this.#end(channel, index);
        return { rows: matched.length, path } satisfies ExportResult;
      }
      case 'export_cancel':
        this.#exportCancelled = true;
        return null;
      case 'export_copy_urls': {
        const matched = this.#matching(args.spec as ExportSpec);
        const options = args.options as ExportOptions;
        const urls = matched.map((m) => this.#presign({ bucket: (args.spec as ExportSpec).bucket, key: m.key, method: 'GET', expiresSecs: options.expiresSecs, https: options.https, domain: options.domain }).url);
        this.clipboard.push(urls.join('\n'));
        return { count: urls.length } satisfies CopiedUrls;
      }
      case 'pick_files':
        return this.#config.pickFiles === undefined ? ['/home/li/Pictures/sunset.jpg', '/home/li/Pictures/harbour.jpg'] : this.#config.pickFiles;
      case 'pick_folder':
        return this.#config.pickFolder === undefined ? '/home/li/Downloads' : this.#config.pickFolder;
      case 'transfer_upload':
        return this.#upload(args.request as UploadInput, args.options as TransferOptionsInput, args.onEvent as ChannelLike);
      case 'transfer_download':
        return this.#download(args.request as DownloadInput, args.options as TransferOptionsInput, args.onEvent as ChannelLike);
      case 'transfer_pause':
      case 'transfer_resume':
      case 'transfer_cancel':
        return this.#control(cmd, args.id as number);
      case 'transfer_list':
        return this.transfers();
      case 'transfer_clear_finished': {
        let n = 0;
        for (const [id, t] of this.#transfers) {
          if (t.snap.state === 'done' || t.snap.state === 'cancelled') {
            this.#transfers.delete(id);
            n++;
          }
        }
        return n;
      }
      case 'transfer_set_jobs':
        this.#jobs = Math.max(1, args.jobs as number);
        return null;
      case 'transfer_unfinished':
        return this.#unfinished();
      case 'transfer_restore': {
        const wanted = new Set(args.checkpoints as string[]);
        const foreign = this.#unfinished().find((u) => wanted.has(u.checkpoint) && u.belongsTo !== null);
        if (foreign) throw { kind: 'invalidInput', message: `${foreign.source} → ${foreign.destination} was started by profile '${foreign.profile}'` };
        const ch = { id: (args.onEvent as ChannelLike).id, next: 0 };
        const ids = this.#unfinished()
          .filter((u) => wanted.has(u.checkpoint))
          .map((u) => {
            const target = u.direction === 'upload' ? u.destination : u.source;
            const key = target.replace(/^oss:\/\/[^/]+\//, '');
            return this.#create(u.direction, u.source, u.destination, 'media-assets', key, ch, u.done).snap.id;
          });
        this.#config.unfinished = false;
        this.#startTicker();
        return ids;
      }
      case 'about_info':
        return {
          version: '0.1.0',
          commit: '0123456789',
          buildDate: '2026-12-04',
          projectPage: 'https://github.com/osslite/osslite',
          licenses: [
            { name: 'tauri', version: '2.12.0', license: 'Apache-2.0 OR MIT', kind: 'crate' },
            { name: 'tokio', version: '1.48.0', license: 'MIT', kind: 'crate' },
            { name: 'svelte', version: '5.57.3', license: 'MIT', kind: 'npm' },
          ],
        };
      case 'project_page_open':
        return null;
      case 'log_folder_open':
        return '/home/li/.local/share/dev.osslite.desktop/logs';
      case 'diagnostics_copy': {
        const text = this.#diagnostics();
        this.clipboard.push(text);
        return text;
      }
      case 'content_type_guess':
        return guessContentType(args.key as string);
      case 'download_folder':
        return { path: this.#downloadFolder ?? '/home/li/Downloads', isOsDefault: this.#downloadFolder === null } satisfies DownloadFolder;
      case 'download_folder_choose': {
        const chosen = this.#config.chooseDownloadFolder === undefined ? '/home/li/Work' : this.#config.chooseDownloadFolder;
        if (chosen === null) return null;
        this.#downloadFolder = chosen;
        return { path: chosen, isOsDefault: false } satisfies DownloadFolder;
      }
      case 'download_folder_reset':
        this.#downloadFolder = null;
        return { path: '/home/li/Downloads', isOsDefault: true } satisfies DownloadFolder;
      case 'local_existing': {
        const folder = (args.folder as string).replace(/\/$/, '');
        const local = this.#config.localFiles ?? [];
        return (args.names as string[]).filter((name) => {
          const path = `${folder}/${name}`;
          return local.includes(path.replace(/\/$/, '')) || local.some((f) => f.startsWith(path.endsWith('/') ? path : `${path}/`));
        });
      }
      case 'path_open':
      case 'path_reveal': {
        // As the shell: only files a finished download of this session wrote.
        const path = args.path as string;
        const written = [...this.#transfers.values()].some((t) => t.snap.direction === 'download' && t.snap.state === 'done' && !t.snap.skipped && t.snap.destination === path);
        if (!written) fail('permissionDenied', `'${path}' is not a file OSS Lite downloaded in this session, so it will not open it`);
        this.opened.push(`${cmd === 'path_open' ? 'open' : 'reveal'} ${path}`);
        return null;
      }
      case 'transfer_discard': {
        const gone = new Set(args.checkpoints as string[]);
        if (gone.has('ckpt-1') || gone.has('ckpt-2')) this.#config.unfinished = false;
        if (gone.has('ckpt-3')) this.#config.unfinishedElsewhere = false;
        return gone.size;
      }
      case 'manage_start':
        return this.#manageStart(args.request as ManageRequest, (args.options as ManageOptionsInput | undefined)?.onConflict ?? 'fail', args.onEvent as ChannelLike);
      case 'manage_failures':
        return this.manage.failures(args.id as number);
      case 'manage_meta_preview':
        return this.manage.preview(args.bucket as string, args.keys as string[], args.edit as MetaEdit);
      case 'manage_size':
        return this.manage.size(args.bucket as string, args.keys as string[], args.onProgress as ChannelLike);
      case 'manage_size_cancel':
        return this.manage.sizeCancel();
      case 'preview_open': {
        const kind = previewKindOf(args.contentType as string | null, args.key as string);
        const url = kind === 'text' || kind === 'unsupported' ? null : kind === 'image' ? PREVIEW_IMAGE : 'about:blank';
        return { kind, url } satisfies PreviewOpened;
      }
      case 'preview_text':
        return fakePreviewText(args.key as string, args.size as number);
      case 'object_headers':
        return this.manage.headers(args.bucket as string, args.key as string);
      case 'bucket_create':
        return this.manage.createBucket(args.bucket as NewBucket);
      case 'bucket_delete':
        return this.manage.deleteBucket(args.name as string, args.confirmation as string);
      case 'bucket_details':
        return this.manage.details(args.name as string);
      case 'search_run':
        return this.search.run(args.request as SearchRequest, args.onBatch as ChannelLike);
      case 'search_cancel':
        return this.search.cancel();
      case 'resolve_address':
        return resolveAddress(args.text as string, [...this.#profiles.values()], fail);
      case 'versioning_get':
        return this.versions.status(args.bucket as string);
      case 'versioning_set':
        return this.versions.setStatus(args.bucket as string, args.status as VersioningStatus);
      case 'versions_list':
        return this.versions.list(args.bucket as string, args.key as string);
      case 'version_download': {
        const [bucket, key, versionId, folder] = [args.bucket, args.key, args.versionId, args.folder] as string[];
        const path = this.versions.downloadPath(bucket, key, versionId, folder);
        const ids = this.#download({ bucket, base: '', keys: [key], folder }, { onConflict: 'rename' }, args.onEvent as ChannelLike);
        for (const id of ids) Object.assign((this.#transfers.get(id) as FakeTransfer).snap, { source: `oss://${bucket}/${key}?versionId=${versionId}`, destination: path });
        return ids;
      }
      case 'version_restore':
        return this.versions.restore(args.bucket as string, args.key as string, args.versionId as string);
      case 'version_delete':
        return this.versions.delete(args.bucket as string, args.key as string, args.versionId as string);
      case 'deleted_list':
        return this.versions.deletedList(args.bucket as string, args.prefix as string);
      case 'deleted_restore':
        return this.versions.undelete(args.bucket as string, args.key as string);
      default:
        // What Tauri rejects an unregistered command with: a plain string.
        throw `command ${cmd} not found`;
    }
  }
}
