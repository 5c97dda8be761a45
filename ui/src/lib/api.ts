// The one module that talks to the Rust side. One typed function per command;
// nothing else in the UI imports `invoke`.
//
// Everything that crosses IPC is typed by declarations generated from the Rust types
// (ui/src/lib/bindings/, `make bindings`); nothing here mirrors a Rust type by hand. Components
// import those types from here; where the UI has long used another name for one, it is
// re-exported under that name.
import { Channel, invoke, isTauri } from '@tauri-apps/api/core';
import type {
  AccessReport,
  AppInfo,
  BucketView,
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
  Method,
  ObjectDetails,
  ObjectPage,
  ObjectRow,
  OpenedSession,
  PresetView,
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
} from './bindings';
import type {
  BucketDetails,
  ItemFailure,
  ManageOptionsInput,
  ManageRequest,
  MetaEdit,
  MetaPreview,
  NewBucket,
  ObjectHeaders,
  Usage,
} from './bindings';
import type { PreviewOpened, TextPreview } from './bindings';
import type { SearchBatch, SearchDone, SearchRequest } from './bindings';
import type { Location } from './bindings';
import type { DeletedVersion, ObjectVersion, VersioningStatus } from './bindings';
export type { DeletedVersion, ObjectVersion, VersioningStatus } from './bindings';
export type { PreviewKind, PreviewOpened, TextPreview } from './bindings';

export type {
  AccessReport,
  Addressing,
  AppInfo,
  ConflictPolicy,
  EndpointWarning,
  ErrorKind,
  ErrorPayload,
  ExportOptions,
  ExportPreview,
  ExportSpec,
  KeysInput,
  LinkDomain,
  Method,
  ObjectAcl,
  ObjectDetails,
  ProfileInput,
  ProfileView,
  ServiceError,
  TransferEvent,
  TransferSnapshot,
  TransferStatus,
  UnfinishedTransfer,
  ValidityLimits,
} from './bindings';
export type {
  BucketDetails,
  ClassUsage,
  CopyTarget,
  ItemFailure,
  ManageAction,
  ManageOptionsInput,
  ManageRequest,
  MetaChange,
  MetaEdit,
  MetaPreview,
  NewBucket,
  ObjectChanges,
  ObjectHeaders,
  ObjectState,
  RestoreTier,
  Usage,
} from './bindings';
export type BucketInfo = BucketView;
export type ObjectSummary = ObjectRow;
export type ListPage = ObjectPage;
export type Session = OpenedSession;
export type BucketLocation = PresetView;
/** `profile_test`'s report; a failed test is an error, not a result. */
export type ProfileTestResult = AccessReport;
export type PresignRequest = ShareInput;
export type PresignedLink = SharedLink;
/** What a shared link may do: download (GET) or upload (PUT). */
export type ShareMethod = Extract<Method, 'GET' | 'PUT'>;
export type DeleteEvent = DeleteProgress;
export type ExportEvent = ExportProgress;
export type TransferDirection = Direction;
/** Unset fields take the engine's defaults. */
export type TransferOptions = TransferOptionsInput;
export type UploadRequest = UploadInput;
export type DownloadRequest = DownloadInput;
/** A transfer's id (Rust `TransferId`, a type alias). */
export type TransferId = TransferSnapshot['id'];

type ServiceText = Exclude<keyof ServiceError, 'status'>;

/** What OSS itself said, when an error comes from an OSS response: its non-empty fields only. */
export type ServiceDetails = Pick<ServiceError, 'status'> & { [K in ServiceText]?: NonNullable<ServiceError[K]> };

/**
 * Kinds the UI itself produces, besides the Rust side's `ErrorKind`:
 * - `notInApp`: the page is not running inside the OSS Lite window (no IPC).
 * - `unexpected`: the rejection did not have the `{ kind, message }` shape.
 */
export type UiErrorKind = 'notInApp' | 'unexpected';

/**
 * An error as the UI handles it: the Rust side's `ErrorPayload` (a stable
 * camelCase `kind` to branch on, a `message` to show, and, when OSS answered
 * with an error, its details), or one the UI produced. Never branch on `message`.
 */
export interface AppError extends Omit<ErrorPayload, 'kind' | 'service'> {
  kind: ErrorKind | UiErrorKind;
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

const SERVICE_TEXT_FIELDS: readonly ServiceText[] = ['code', 'message', 'requestId', 'hostId', 'ec'];

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
    const raw = reason as unknown as Record<string, unknown>;
    const service = toServiceDetails(raw.service);
    const error: AppError = service ? { kind: reason.kind, message: reason.message, service } : { kind: reason.kind, message: reason.message };
    if (typeof raw.detail === 'string' && raw.detail !== '') error.detail = raw.detail;
    return error;
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
  return call('app_info');
}

// ---------------------------------------------------------------- profiles

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

/** Tests the profile form's values without storing them; the secret goes in this request only. */
export function profileTestUnsaved(input: ProfileInput): Promise<ProfileTestResult> {
  return call('profile_test_unsaved', { input });
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

/** The arguments of `object_list_page`, a command with plain arguments rather than one input struct. */
export interface ListPageRequest {
  bucket: string;
  prefix: string;
  continuationToken: string | null;
  maxKeys: number;
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

/** Deletes `keys` and everything under `prefixes`; progress arrives in order on `onEvent`. */
export function objectsDelete(
  bucket: string,
  keys: string[],
  prefixes: string[],
  onEvent: (event: DeleteEvent) => void,
): Promise<DeleteResult> {
  const onProgress = new Channel<DeleteEvent>(onEvent);
  return call('objects_delete', { bucket, keys, prefixes, onProgress });
}

// ---------------------------------------------------------------- sharing

export function sharePresign(request: PresignRequest): Promise<PresignedLink> {
  return call('share_presign', { request });
}

/** The plain, unsigned URL of an object (useful when it is public-read). */
export function sharePublicUrl(bucket: string, key: string, https: boolean): Promise<PublicLink> {
  return call('share_public_url', { bucket, key, https });
}

/** Puts `text` on the operating system's clipboard. */
export function clipboardWrite(text: string): Promise<null> {
  return call('clipboard_write', { text });
}

// ---------------------------------------------------------------- URL-list export

export function exportPreview(spec: ExportSpec): Promise<ExportPreview> {
  return call('export_preview', { spec });
}

/** Asks for a file name (OS save dialog) and writes the CSV; null when the dialog was cancelled. */
export function exportCsv(
  spec: ExportSpec,
  options: ExportOptions,
  onEvent: (event: ExportEvent) => void,
): Promise<ExportResult | null> {
  const onProgress = new Channel<ExportEvent>(onEvent);
  return call('export_csv', { spec, options, onProgress });
}

export function exportCancel(): Promise<null> {
  return call('export_cancel');
}

/** Signs every matching object and puts the URLs on the clipboard, one per line. */
export function exportCopyUrls(spec: ExportSpec, options: ExportOptions): Promise<CopiedUrls> {
  return call('export_copy_urls', { spec, options });
}

// ---------------------------------------------------------------- transfers

/** Uploads files and folders into `prefix`; events of every transfer it creates arrive on `onEvent`. */
export function transferUpload(
  request: UploadRequest,
  options: TransferOptions,
  onEvent: (event: TransferEvent) => void,
): Promise<TransferId[]> {
  return call('transfer_upload', { request, options, onEvent: new Channel<TransferEvent>(onEvent) });
}

export function transferDownload(
  request: DownloadRequest,
  options: TransferOptions,
  onEvent: (event: TransferEvent) => void,
): Promise<TransferId[]> {
  return call('transfer_download', { request, options, onEvent: new Channel<TransferEvent>(onEvent) });
}

export function transferPause(id: TransferId): Promise<null> {
  return call('transfer_pause', { id });
}

/** Continues a paused transfer, or tries a failed one again from its checkpoint. */
export function transferResume(id: TransferId): Promise<null> {
  return call('transfer_resume', { id });
}

export function transferCancel(id: TransferId): Promise<null> {
  return call('transfer_cancel', { id });
}

export function transferList(): Promise<TransferSnapshot[]> {
  return call('transfer_list');
}

export function transferClearFinished(): Promise<number> {
  return call('transfer_clear_finished');
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
): Promise<TransferId[]> {
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

/** Opens the app's log folder in the OS file manager; resolves the folder. */
export function logFolderOpen(): Promise<string> {
  return call('log_folder_open');
}

/**
 * Copies the diagnostics (app, OS and WebView versions, profile settings
 * without keys, the last warnings and errors) to the clipboard; resolves the
 * copied text.
 */
export function diagnosticsCopy(): Promise<string> {
  return call('diagnostics_copy');
}

// ------------------------------------------------------------ local files

export type { DownloadFolder };

/** The Content-Type an upload of `key` gets by its extension (the core's guess, as uploads use). */
export function contentTypeGuess(key: string): Promise<string> {
  return call('content_type_guess', { key });
}

/** The default download folder (chosen in Settings, else the OS Downloads folder). */
export function downloadFolder(): Promise<DownloadFolder> {
  return call('download_folder');
}

/** Asks for a new default download folder in the OS dialog; null when cancelled. */
export function downloadFolderChoose(): Promise<DownloadFolder | null> {
  return call('download_folder_choose');
}

/** Makes the OS Downloads folder the default again. */
export function downloadFolderReset(): Promise<DownloadFolder> {
  return call('download_folder_reset');
}

/** Which of `names` (relative; folders end in '/') exist already in the download folder `folder`. */
export function localExisting(folder: string, names: string[]): Promise<string[]> {
  return call('local_existing', { folder, names });
}

/** Opens a file this session downloaded with the OS's default application. */
export function pathOpen(path: string): Promise<void> {
  return call('path_open', { path });
}

/** Shows a file this session downloaded in the OS file manager. */
export function pathReveal(path: string): Promise<void> {
  return call('path_reveal', { path });
}

// ---------------------------------------------------------------- about

import type { AboutInfo } from './bindings';
export type { AboutInfo, BundledLicense } from './bindings';

/** Version, commit, build date, the project page and the licences of what the app bundles. */
export function aboutInfo(): Promise<AboutInfo> {
  return call('about_info');
}

/** Opens the project page in the default browser. */
export function projectPageOpen(): Promise<void> {
  return call('project_page_open');
}

// ---------------------------------------------------------------- managing objects and buckets

/**
 * Queues a copy, move, rename, headers, ACL, storage class or restore job on a selection (keys
 * ending in "/" are folders); it runs in the transfer queue, its events arrive on `onEvent`.
 */
export function manageStart(
  request: ManageRequest,
  options: ManageOptionsInput,
  onEvent: (event: TransferEvent) => void,
): Promise<TransferId> {
  return call('manage_start', { request, options, onEvent: new Channel<TransferEvent>(onEvent) });
}

/** The objects a job could not handle in its last run, and why. */
export function manageFailures(id: TransferId): Promise<ItemFailure[]> {
  return call('manage_failures', { id });
}

/** What a header edit would change: how many objects, and the changes of the first few. */
export function manageMetaPreview(bucket: string, keys: string[], edit: MetaEdit): Promise<MetaPreview> {
  return call('manage_meta_preview', { bucket, keys, edit });
}

/** Objects and bytes under keys and folders, by storage class; running totals arrive on `onProgress`. */
export function manageSize(bucket: string, keys: string[], onProgress: (usage: Usage) => void): Promise<Usage> {
  return call('manage_size', { bucket, keys, onProgress: new Channel<Usage>(onProgress) });
}

/** Stops the running size count (it rejects with `cancelled`). */
export function manageSizeCancel(): Promise<null> {
  return call('manage_size_cancel');
}

/** An object's editable headers, user metadata, storage class and archive state. */
export function objectHeaders(bucket: string, key: string): Promise<ObjectHeaders> {
  return call('object_headers', { bucket, key });
}

/** Which viewer an object gets and the osslite-preview:// URL of its bytes. */
export function previewOpen(bucket: string, key: string, size: number, contentType: string | null, versionId: string | null = null): Promise<PreviewOpened> {
  return call('preview_open', { bucket, key, versionId, size, contentType });
}

/** The first MiB of a text object, its encoding detected. */
export function previewText(bucket: string, key: string, size: number, versionId: string | null = null): Promise<TextPreview> {
  return call('preview_text', { bucket, key, versionId, size });
}

export function bucketCreate(bucket: NewBucket): Promise<null> {
  return call('bucket_create', { bucket });
}

/** Deletes an empty bucket; `confirmation` is the name the user typed. */
export function bucketDelete(name: string, confirmation: string): Promise<null> {
  return call('bucket_delete', { name, confirmation });
}

export function bucketDetails(name: string): Promise<BucketDetails> {
  return call('bucket_details', { name });
}

// ---------------------------------------------------------------- search

export type { SearchBatch, SearchCriteria, SearchDone, SearchEnd, SearchHit, SearchRequest } from './bindings';

/** Searches below a folder; each listed page's matches arrive on `onBatch`, the last with `end` set. */
export function searchRun(request: SearchRequest, onBatch: (batch: SearchBatch) => void): Promise<SearchDone> {
  return call('search_run', { request, onBatch: new Channel<SearchBatch>(onBatch) });
}

/** Stops the running search before its next page. */
export function searchCancel(): Promise<null> {
  return call('search_cancel');
}

// ---------------------------------------------------------------- address bar

/** Where a typed or pasted address leads, and which saved profile a URL belongs to (null: the open one). */
export function resolveAddress(text: string): Promise<Location> {
  return call('resolve_address', { text });
}

// ------------------------------------------------------------ versions

/** A bucket's versioning: off (never enabled), enabled or suspended. */
export function versioningGet(bucket: string): Promise<VersioningStatus> {
  return call('versioning_get', { bucket });
}

/** Enables or suspends versioning (it cannot be turned off again); answers the new state. */
export function versioningSet(bucket: string, status: VersioningStatus): Promise<VersioningStatus> {
  return call('versioning_set', { bucket, status });
}

/** Every version and delete marker of one object, newest first. */
export function versionsList(bucket: string, key: string): Promise<ObjectVersion[]> {
  return call('versions_list', { bucket, key });
}

/** Downloads one version into `folder` as "name (version ….).ext", as a transfer the panel shows. */
export function versionDownload(bucket: string, key: string, versionId: string, folder: string, onEvent: (event: TransferEvent) => void): Promise<TransferId[]> {
  return call('version_download', { bucket, key, versionId, folder, onEvent: new Channel<TransferEvent>(onEvent) });
}

/** Makes an old version the latest with a server-side copy; answers the new version's ID. */
export function versionRestore(bucket: string, key: string, versionId: string): Promise<string | null> {
  return call('version_restore', { bucket, key, versionId });
}

/** Deletes one version or delete marker for good. */
export function versionDelete(bucket: string, key: string, versionId: string): Promise<DeletedVersion> {
  return call('version_delete', { bucket, key, versionId });
}

/** The objects directly in `prefix` whose latest version is a delete marker. */
export function deletedList(bucket: string, prefix: string): Promise<ObjectVersion[]> {
  return call('deleted_list', { bucket, prefix });
}

/** Brings a deleted object back with its last content. */
export function deletedRestore(bucket: string, key: string): Promise<string> {
  return call('deleted_restore', { bucket, key });
}
