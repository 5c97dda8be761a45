// The share dialog's fields and the `share_presign` request they make. Pure.
import type { LinkDomain, PresignRequest, ShareMethod } from './api';

export type DomainKind = LinkDomain['kind'];

/** x-oss-process presets offered for download links. */
export const PROCESS_PRESETS = [
  { id: 'none', value: '' },
  { id: 'resizeW200', value: 'image/resize,w_200' },
  { id: 'thumb100', value: 'image/resize,m_fill,w_100,h_100' },
  { id: 'webp', value: 'image/format,webp' },
  { id: 'quality80', value: 'image/quality,q_80' },
  { id: 'custom', value: '' },
] as const;

export type ProcessPreset = (typeof PROCESS_PRESETS)[number]['id'];

/** Storage classes an upload link may ask for ('' = the bucket's default). */
export const STORAGE_CLASSES = ['', 'Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;

export interface MetaRow {
  name: string;
  value: string;
}

export interface ShareForm {
  method: ShareMethod;
  https: boolean;
  domain: DomainKind;
  cnameHost: string;
  versionId: string;
  processPreset: ProcessPreset;
  processCustom: string;
  downloadAs: string;
  contentType: string;
  storageClass: string;
  meta: MetaRow[];
}

export function defaultShareForm(https = true): ShareForm {
  return {
    method: 'GET',
    https,
    domain: 'default',
    cnameHost: '',
    versionId: '',
    processPreset: 'none',
    processCustom: '',
    downloadAs: '',
    contentType: '',
    storageClass: '',
    meta: [],
  };
}

export type ShareProblem =
  | { field: 'cnameHost'; reason: 'missing' | 'invalid' }
  | { field: 'process'; reason: 'missing' }
  | { field: 'meta'; reason: 'badName' | 'duplicate' | 'badValue'; name: string };

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/i;
/** An HTTP header token; OSS stores meta names in lower case. */
const META_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Printable ASCII: a presigned PUT carries meta values as raw header bytes. */
const META_VALUE = /^[\x20-\x7e]*$/;

/** The custom-domain host as typed, without a scheme or trailing slash. */
export function normaliseHost(text: string): string {
  return text.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

/** What is wrong with the domain choice (a custom domain needs a valid host), or null. */
export function findDomainProblem(kind: DomainKind, cnameHost: string): Extract<ShareProblem, { field: 'cnameHost' }> | null {
  if (kind !== 'cname') return null;
  const host = normaliseHost(cnameHost);
  if (host === '') return { field: 'cnameHost', reason: 'missing' };
  if (!HOST.test(host)) return { field: 'cnameHost', reason: 'invalid' };
  return null;
}

/** The host links are signed for: the profile's endpoint, a custom domain or acceleration. */
export function buildLinkDomain(kind: DomainKind, cnameHost: string): LinkDomain {
  if (kind === 'cname') return { kind: 'cname', host: normaliseHost(cnameHost) };
  return kind === 'accelerate' ? { kind: 'accelerate' } : { kind: 'default' };
}

export function processValue(form: ShareForm): string {
  if (form.processPreset === 'custom') return form.processCustom.trim();
  return PROCESS_PRESETS.find((p) => p.id === form.processPreset)?.value ?? '';
}

/** Full header name for a meta row: "x-oss-meta-" + lower-case name. */
export function metaHeaderName(name: string): string {
  return `x-oss-meta-${name.trim().toLowerCase()}`;
}

/** The rows that mean something (a name or a value typed). */
function filledMeta(rows: readonly MetaRow[]): MetaRow[] {
  return rows.filter((r) => r.name.trim() !== '' || r.value !== '');
}

export function findShareProblems(form: ShareForm): ShareProblem[] {
  const problems: ShareProblem[] = [];
  const domainProblem = findDomainProblem(form.domain, form.cnameHost);
  if (domainProblem) problems.push(domainProblem);
  if (form.method === 'GET' && form.processPreset === 'custom' && form.processCustom.trim() === '') {
    problems.push({ field: 'process', reason: 'missing' });
  }
  if (form.method === 'PUT') {
    const seen = new Set<string>();
    for (const row of filledMeta(form.meta)) {
      const name = row.name.trim();
      const header = metaHeaderName(name);
      if (!META_NAME.test(name)) problems.push({ field: 'meta', reason: 'badName', name });
      else if (seen.has(header)) problems.push({ field: 'meta', reason: 'duplicate', name });
      else if (!META_VALUE.test(row.value)) problems.push({ field: 'meta', reason: 'badValue', name });
      seen.add(header);
    }
  }
  return problems;
}

/**
 * The `share_presign` request for `form`, sending only the options that apply
 * to its method: versionId, process and download name for GET; content type,
 * storage class and meta for PUT.
 */
export function buildPresignRequest(bucket: string, key: string, expiresSecs: number, form: ShareForm): PresignRequest {
  const domain = buildLinkDomain(form.domain, form.cnameHost);
  const request: PresignRequest = { bucket, key, method: form.method, expiresSecs, https: form.https, domain };
  if (form.method === 'GET') {
    const versionId = form.versionId.trim();
    const process = processValue(form);
    const downloadAs = form.downloadAs.trim();
    if (versionId) request.versionId = versionId;
    if (process) request.process = process;
    if (downloadAs) request.downloadAs = downloadAs;
  } else {
    const contentType = form.contentType.trim();
    if (contentType) request.contentType = contentType;
    if (form.storageClass) request.storageClass = form.storageClass;
    const meta = filledMeta(form.meta).map((r): [string, string] => [r.name.trim().toLowerCase(), r.value]);
    if (meta.length > 0) request.meta = meta;
  }
  return request;
}

/** Signed headers as sorted [name, value] pairs, for display. */
export function headerList(headers: Record<string, string>): [string, string][] {
  return Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether an upload link was signed with a Content-Type (the uploader must then send it). */
export function hasContentType(signedHeaders: Record<string, string>): boolean {
  return Object.keys(signedHeaders).some((name) => name.toLowerCase() === 'content-type');
}

/** A guess at the Content-Type of a key from its extension (the app asks the core's, `contentTypeGuess`). */
export function guessContentType(key: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase() ?? '';
  const types: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    webp: 'image/webp',
    svg: 'image/svg+xml',
    pdf: 'application/pdf',
    json: 'application/json',
    txt: 'text/plain',
    csv: 'text/csv',
    html: 'text/html',
    mp4: 'video/mp4',
    zip: 'application/zip',
  };
  return types[ext] ?? 'application/octet-stream';
}

/** Whether a key looks like an image OSS can process. */
export function isImageKey(key: string): boolean {
  return /\.(jpe?g|png|gif|webp|bmp|tiff?|heic|avif)$/i.test(key);
}
