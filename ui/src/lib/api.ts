// The one module that talks to the Rust side. One typed function per command;
// nothing else in the UI imports `invoke`.
import { Channel, invoke, isTauri } from '@tauri-apps/api/core';

/** Link-validity bounds in seconds, as enforced by the Rust side. */
export interface ValidityLimits {
  /** What OSS accepts for a presigned URL. */
  coreMin: number;
  coreMax: number;
  /** What the desktop app offers (1 min to 9 h). */
  desktopMin: number;
  desktopMax: number;
}

export interface AppInfo {
  name: string;
  version: string;
  validity: ValidityLimits;
}

/** What OSS itself said, when an error comes from an OSS response. */
export interface ServiceDetails {
  status: number;
  code?: string;
  message?: string;
  requestId?: string;
  hostId?: string;
  ec?: string;
}

/**
 * An error as it crosses the IPC boundary: a stable camelCase `kind` to branch
 * on, a `message` to show, and, when OSS answered with an error, its details.
 * Never branch on `message`.
 *
 * Besides the kinds the Rust side sends, the UI itself produces:
 * - `notInApp`: the page is not running inside the OSS Lite window (no IPC).
 * - `unexpected`: the rejection did not have the `{ kind, message }` shape.
 */
export interface AppError {
  kind: string;
  message: string;
  service?: ServiceDetails;
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).kind === 'string' &&
    typeof (value as Record<string, unknown>).message === 'string'
  );
}

const SERVICE_TEXT_FIELDS = ['code', 'message', 'requestId', 'hostId', 'ec'] as const;

/** The well-formed part of a `service` object, or undefined. */
function toServiceDetails(value: unknown): ServiceDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.status !== 'number') return undefined;
  const details: ServiceDetails = { status: v.status };
  for (const field of SERVICE_TEXT_FIELDS) {
    const text = v[field];
    if (typeof text === 'string' && text !== '') details[field] = text;
  }
  return details;
}

/** Turns whatever a command rejected with into an `AppError`. */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) {
    const service = toServiceDetails((reason as unknown as Record<string, unknown>).service);
    return service ? { kind: reason.kind, message: reason.message, service } : { kind: reason.kind, message: reason.message };
  }
  if (reason instanceof Error) {
    return { kind: 'unexpected', message: reason.message || reason.name };
  }
  if (typeof reason === 'string' && reason !== '') {
    return { kind: 'unexpected', message: reason };
  }
  return { kind: 'unexpected', message: 'Something went wrong and no details were given.' };
}

const NOT_IN_APP: AppError = {
  kind: 'notInApp',
  message: 'The OSS Lite backend is not available: this page only works inside the OSS Lite desktop app.',
};

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) {
    throw { ...NOT_IN_APP } satisfies AppError;
  }
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

/** Name, version and link-validity limits of the running app. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

// ---------------------------------------------------------------- profiles

export type Addressing = 'virtual' | 'path' | 'cname';

/** A saved profile as the UI sees it: never a secret, only the masked AccessKey ID. */
export interface ProfileView {
  name: string;
  region: string;
  /** The endpoint as entered; null means the region's public endpoint. */
  endpoint: string | null;
  /** The URL requests go to. */
  resolvedEndpoint: string;
  addressing: Addressing;
  https: boolean;
  presetPath: string | null;
  proxy: string | null;
  accessKeyIdMasked: string;
  usesSts: boolean;
  /** RFC 3339, UTC. */
  stsExpiresAt: string | null;
  /** Why the endpoint deserves a second look (none for the Local sandbox). */
  warnings: EndpointWarning[];
}

export type EndpointWarning = 'plainHttp' | 'privateAddress' | 'loopback' | 'linkLocal' | 'cloudMetadata';

export interface KeysInput {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** RFC 3339. */
  stsExpiresAt?: string;
}

export interface ProfileInput {
  name: string;
  region: string;
  endpoint?: string;
  addressing: Addressing;
  https: boolean;
  presetPath?: string;
  proxy?: string;
  /** True when editing an existing profile. */
  replace: boolean;
  /** Omit when editing to keep the stored keys. */
  keys?: KeysInput;
}

/** `profile_test`'s report (Rust `AccessReport`); a failed test is an error, not a result. */
export interface ProfileTestResult {
  /** Buckets ListBuckets shows, or null when ListBuckets is denied but the preset path lists. */
  bucketCount: number | null;
  presetListed: boolean;
  /** The same in English, for the CLI. */
  message: string;
}

export interface BucketLocation {
  bucket: string;
  prefix: string;
}

export interface Session {
  profile: ProfileView;
  preset: BucketLocation | null;
}

export function profileList(): Promise<ProfileView[]> {
  return call('profile_list');
}

export function profileSave(input: ProfileInput): Promise<ProfileView> {
  return call('profile_save', { input });
}

/** Saves a profile from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET / OSS_SESSION_TOKEN of the app's environment. */
export function profileImportEnv(name: string, region: string): Promise<ProfileView> {
  return call('profile_import_env', { name, region });
}

export function profileRemove(name: string): Promise<null> {
  return call('profile_remove', { name });
}

export function profileTest(name: string): Promise<ProfileTestResult> {
  return call('profile_test', { name });
}

/** Starts the embedded local OSS-compatible server and returns its profile ("Local sandbox"). */
export function demoProfileStart(): Promise<ProfileView> {
  return call('demo_profile_start');
}

/** Makes `name` the active profile. */
export function sessionOpen(name: string): Promise<Session> {
  return call('session_open', { name });
}

// ---------------------------------------------------------------- browsing

export interface BucketInfo {
  name: string;
  region: string;
  creationDate: string;
  storageClass: string;
}

export interface ObjectSummary {
  key: string;
  size: number;
  lastModified: string;
  etag: string;
  storageClass: string;
}

export interface ListPageRequest {
  bucket: string;
  prefix: string;
  continuationToken: string | null;
  maxKeys: number;
}

export interface ListPage {
  /** Full prefixes, each ending in the delimiter. */
  folders: string[];
  objects: ObjectSummary[];
  nextContinuationToken: string | null;
}

export type ObjectAcl = 'private' | 'public-read' | 'public-read-write' | 'default';

export interface ObjectDetails {
  key: string;
  size: number;
  etag: string;
  crc64: string | null;
  contentType: string;
  lastModified: string;
  storageClass: string;
  metadata: Record<string, string>;
  acl: ObjectAcl;
  versionId: string | null;
}

export function bucketList(): Promise<BucketInfo[]> {
  return call('bucket_list');
}

/** One page of a folder listing (delimiter '/'). */
export function objectListPage(request: ListPageRequest): Promise<ListPage> {
  return call('object_list_page', { ...request, delimiter: '/' });
}

export function objectDetails(bucket: string, key: string): Promise<ObjectDetails> {
  return call('object_details', { bucket, key });
}

/** Creates the empty "folder" object `prefix` (ending in '/'). */
export function folderCreate(bucket: string, prefix: string): Promise<null> {
  return call('folder_create', { bucket, prefix });
}

export type DeleteEvent =
  | { event: 'progress'; data: { deleted: number; total: number } }
  | { event: 'finished'; data: { deleted: number } };

/** Deletes `keys` and everything under `prefixes`; progress arrives in order on `onEvent`. */
export function objectsDelete(
  bucket: string,
  keys: string[],
  prefixes: string[],
  onEvent: (event: DeleteEvent) => void,
): Promise<{ deleted: number }> {
  const onProgress = new Channel<DeleteEvent>(onEvent);
  return call('objects_delete', { bucket, keys, prefixes, onProgress });
}

// ---------------------------------------------------------------- sharing

export type ShareMethod = 'GET' | 'PUT';

export type LinkDomain = { kind: 'default' } | { kind: 'cname'; host: string } | { kind: 'accelerate' };

export interface PresignRequest {
  bucket: string;
  key: string;
  method: ShareMethod;
  expiresSecs: number;
  https: boolean;
  domain: LinkDomain;
  versionId?: string;
  /** x-oss-process, e.g. "image/resize,w_200". */
  process?: string;
  /** File name for Content-Disposition: attachment. */
  downloadAs?: string;
  contentType?: string;
  storageClass?: string;
  /** x-oss-meta-* as [name without prefix, value]. */
  meta?: [string, string][];
}

export interface PresignedLink {
  url: string;
  method: ShareMethod;
  /** RFC 3339. */
  expiresAt: string;
  /** Headers the uploader (or downloader) must send exactly as given. */
  signedHeaders: Record<string, string>;
  /** Set when an STS token expires before the asked validity: the link expires then. */
  clippedToTokenExpiry: string | null;
  curl: string;
}

export function sharePresign(request: PresignRequest): Promise<PresignedLink> {
  return call('share_presign', { request });
}

/** The plain, unsigned URL of an object (useful when it is public-read). */
export function sharePublicUrl(bucket: string, key: string, https: boolean): Promise<{ url: string }> {
  return call('share_public_url', { bucket, key, https });
}

/** Puts `text` on the operating system's clipboard. */
export function clipboardWrite(text: string): Promise<null> {
  return call('clipboard_write', { text });
}

// ---------------------------------------------------------------- URL-list export

export interface ExportSpec {
  bucket: string;
  /** A selection: files by key, and `folders` with everything under them. */
  keys?: string[];
  folders?: string[];
  prefix?: string;
  recursive: boolean;
  include: string[];
  exclude: string[];
}

export interface ExportOptions {
  expiresSecs: number;
  https: boolean;
  excelBom: boolean;
  domain: LinkDomain;
  method: 'GET';
}

export interface ExportPreview {
  count: number;
  totalBytes: number;
}

export type ExportEvent =
  | { event: 'progress'; data: { done: number; total: number | null } }
  | { event: 'finished'; data: { rows: number; path: string } };

export function exportPreview(spec: ExportSpec): Promise<ExportPreview> {
  return call('export_preview', { spec });
}

/** Asks for a file name (OS save dialog) and writes the CSV; null when the dialog was cancelled. */
export function exportCsv(
  spec: ExportSpec,
  options: ExportOptions,
  onEvent: (event: ExportEvent) => void,
): Promise<{ rows: number; path: string } | null> {
  const onProgress = new Channel<ExportEvent>(onEvent);
  return call('export_csv', { spec, options, onProgress });
}

export function exportCancel(): Promise<null> {
  return call('export_cancel');
}

/** Signs every matching object and puts the URLs on the clipboard, one per line. */
export function exportCopyUrls(spec: ExportSpec, options: ExportOptions): Promise<{ count: number }> {
  return call('export_copy_urls', { spec, options });
}

// ---------------------------------------------------------------- transfers

export type TransferDirection = 'upload' | 'download';
export type TransferStatus = 'queued' | 'running' | 'paused' | 'verifying' | 'done' | 'failed' | 'cancelled';
/** What to do when the destination exists; `fail` (the engine's default) fails with kind `conflict`. */
export type ConflictPolicy = 'overwrite' | 'skip' | 'rename' | 'fail';

/** Rust `TransferSnapshot`. */
export interface TransferSnapshot {
  id: number;
  direction: TransferDirection;
  /** A local path for uploads, `oss://bucket/key` for downloads. */
  source: string;
  /** `oss://bucket/key` for uploads, a local path for downloads; after a rename, the new name. */
  destination: string;
  state: TransferStatus;
  /** Cumulative bytes; `total` is 0 until known. */
  done: number;
  total: number;
  bytesPerSec: number;
  etaSecs: number | null;
  skipped: boolean;
  error: { kind: string; message: string } | null;
}

/** Rust `TransferEvent`: internally tagged by `event`, cumulative counts. */
export type TransferEvent =
  | { event: 'queued'; transfer: TransferSnapshot }
  | { event: 'progress'; id: number; state: TransferStatus; done: number; total: number; bytesPerSec: number; etaSecs: number | null }
  | { event: 'finished'; id: number; destination: string; done: number; total: number; skipped: boolean }
  | { event: 'failed'; id: number; done: number; total: number; error: { kind: string; message: string } }
  | { event: 'cancelled'; id: number; done: number; total: number };

/** Rust `TransferOptionsInput`; unset fields take the engine's defaults. */
export interface TransferOptions {
  onConflict?: ConflictPolicy;
  partSize?: number;
  /** Parts (or ranges) of one file in flight. */
  parallel?: number;
  multipartThreshold?: number;
}

export interface UploadRequest {
  bucket: string;
  prefix: string;
  paths: string[];
}

export interface DownloadRequest {
  bucket: string;
  /** The folder shown: each key is written at its key minus `base`. */
  base: string;
  /** Keys; one ending in '/' is a folder (everything under it). */
  keys: string[];
  folder: string;
}

/** Uploads files and folders into `prefix`; events of every transfer it creates arrive on `onEvent`. */
export function transferUpload(
  request: UploadRequest,
  options: TransferOptions,
  onEvent: (event: TransferEvent) => void,
): Promise<number[]> {
  return call('transfer_upload', { request, options, onEvent: new Channel<TransferEvent>(onEvent) });
}

export function transferDownload(
  request: DownloadRequest,
  options: TransferOptions,
  onEvent: (event: TransferEvent) => void,
): Promise<number[]> {
  return call('transfer_download', { request, options, onEvent: new Channel<TransferEvent>(onEvent) });
}

export function transferPause(id: number): Promise<null> {
  return call('transfer_pause', { id });
}

/** Continues a paused transfer, or tries a failed one again from its checkpoint. */
export function transferResume(id: number): Promise<null> {
  return call('transfer_resume', { id });
}

export function transferCancel(id: number): Promise<null> {
  return call('transfer_cancel', { id });
}

export function transferList(): Promise<TransferSnapshot[]> {
  return call('transfer_list');
}

export function transferClearFinished(): Promise<number> {
  return call('transfer_clear_finished');
}

/** A transfer left unfinished by an earlier run, found in the checkpoint store and not held by this run's manager. */
export interface UnfinishedTransfer {
  /** The checkpoint file: what `transfer_restore` / `transfer_discard` take. */
  checkpoint: string;
  direction: TransferDirection;
  source: string;
  destination: string;
  done: number;
  total: number;
}

/** Transfers an earlier run left unfinished, to offer for resume. */
export function transferUnfinished(): Promise<UnfinishedTransfer[]> {
  return call('transfer_unfinished');
}

/** Queues unfinished transfers again from their checkpoints; resolves their new ids. */
export function transferRestore(
  checkpoints: string[],
  options: TransferOptions,
  onEvent: (event: TransferEvent) => void,
): Promise<number[]> {
  return call('transfer_restore', { checkpoints, options, onEvent: new Channel<TransferEvent>(onEvent) });
}

/** Deletes the checkpoints (and aborts their multipart uploads); resolves how many. */
export function transferDiscard(checkpoints: string[]): Promise<number> {
  return call('transfer_discard', { checkpoints });
}

/** The OS file picker, several files; null when cancelled. */
export function pickFiles(): Promise<string[] | null> {
  return call('pick_files');
}

/** The OS folder picker; null when cancelled. */
export function pickFolder(): Promise<string | null> {
  return call('pick_folder');
}

/** How many files move at once (the queue's slots), 1 to 16. */
export function transferSetJobs(jobs: number): Promise<null> {
  return call('transfer_set_jobs', { jobs });
}

export type DropEvent =
  | { type: 'enter'; paths: string[]; position: { x: number; y: number } }
  | { type: 'over'; position: { x: number; y: number } }
  | { type: 'drop'; paths: string[]; position: { x: number; y: number } }
  | { type: 'leave' };

/**
 * Files dragged from the OS over the window (Tauri's webview drag-drop events;
 * positions in physical pixels). Resolves to the function that stops listening.
 */
export async function onFileDrop(handler: (event: DropEvent) => void): Promise<() => void> {
  if (!isTauri()) return () => {};
  const { getCurrentWebview } = await import('@tauri-apps/api/webview');
  return getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === 'leave') handler({ type: 'leave' });
    else if (p.type === 'over') handler({ type: 'over', position: { x: p.position.x, y: p.position.y } });
    else handler({ type: p.type, paths: p.paths, position: { x: p.position.x, y: p.position.y } });
  });
}
