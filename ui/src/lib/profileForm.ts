// The profile form: its fields, how they map to `profile_save`, and what is
// wrong with them. Pure.
import type { Addressing, EndpointWarning, ProfileInput, ProfileView } from './api';

/** Common OSS region ids for the region field's suggestions. */
export const REGIONS: readonly { id: string; en: string; zh: string }[] = [
  { id: 'cn-hangzhou', en: 'Hangzhou', zh: '华东1（杭州）' },
  { id: 'cn-shanghai', en: 'Shanghai', zh: '华东2（上海）' },
  { id: 'cn-nanjing', en: 'Nanjing', zh: '华东5（南京）' },
  { id: 'cn-qingdao', en: 'Qingdao', zh: '华北1（青岛）' },
  { id: 'cn-beijing', en: 'Beijing', zh: '华北2（北京）' },
  { id: 'cn-zhangjiakou', en: 'Zhangjiakou', zh: '华北3（张家口）' },
  { id: 'cn-huhehaote', en: 'Hohhot', zh: '华北5（呼和浩特）' },
  { id: 'cn-wulanchabu', en: 'Ulanqab', zh: '华北6（乌兰察布）' },
  { id: 'cn-shenzhen', en: 'Shenzhen', zh: '华南1（深圳）' },
  { id: 'cn-heyuan', en: 'Heyuan', zh: '华南2（河源）' },
  { id: 'cn-guangzhou', en: 'Guangzhou', zh: '华南3（广州）' },
  { id: 'cn-chengdu', en: 'Chengdu', zh: '西南1（成都）' },
  { id: 'cn-hongkong', en: 'Hong Kong', zh: '中国香港' },
  { id: 'ap-northeast-1', en: 'Tokyo', zh: '日本（东京）' },
  { id: 'ap-northeast-2', en: 'Seoul', zh: '韩国（首尔）' },
  { id: 'ap-southeast-1', en: 'Singapore', zh: '新加坡' },
  { id: 'ap-southeast-3', en: 'Kuala Lumpur', zh: '马来西亚（吉隆坡）' },
  { id: 'ap-southeast-5', en: 'Jakarta', zh: '印度尼西亚（雅加达）' },
  { id: 'ap-southeast-6', en: 'Manila', zh: '菲律宾（马尼拉）' },
  { id: 'ap-southeast-7', en: 'Bangkok', zh: '泰国（曼谷）' },
  { id: 'us-west-1', en: 'Silicon Valley', zh: '美国（硅谷）' },
  { id: 'us-east-1', en: 'Virginia', zh: '美国（弗吉尼亚）' },
  { id: 'eu-central-1', en: 'Frankfurt', zh: '德国（法兰克福）' },
  { id: 'eu-west-1', en: 'London', zh: '英国（伦敦）' },
  { id: 'me-east-1', en: 'Dubai', zh: '阿联酋（迪拜）' },
  { id: 'me-central-1', en: 'Riyadh', zh: '沙特（利雅得）' },
];

export type EndpointType = 'public' | 'internal' | 'accelerate' | 'cname' | 'custom';
export const ENDPOINT_TYPES: readonly EndpointType[] = ['public', 'internal', 'accelerate', 'cname', 'custom'];

export const ACCELERATE_HOST = 'oss-accelerate.aliyuncs.com';

export interface ProfileForm {
  /** Set when editing: the name of the profile being edited (the name cannot change). */
  editing: string | null;
  name: string;
  region: string;
  endpointType: EndpointType;
  /** For 'cname': the bound domain, e.g. files.example.com. */
  customDomain: string;
  /** For 'custom': a full URL or host, e.g. https://oss.example.internal:9000. */
  customUrl: string;
  addressing: 'virtual' | 'path';
  https: boolean;
  presetPath: string;
  proxy: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** `<input type="datetime-local">` value, local time. */
  stsExpiresLocal: string;
}

export function emptyProfileForm(): ProfileForm {
  return {
    editing: null,
    name: '',
    region: 'cn-hangzhou',
    endpointType: 'public',
    customDomain: '',
    customUrl: '',
    addressing: 'virtual',
    https: true,
    presetPath: '',
    proxy: '',
    accessKeyId: '',
    accessKeySecret: '',
    securityToken: '',
    stsExpiresLocal: '',
  };
}

export function internalHost(region: string): string {
  return `oss-${region.trim()}-internal.aliyuncs.com`;
}

export function publicHost(region: string): string {
  return `oss-${region.trim()}.aliyuncs.com`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** RFC 3339 → the local `datetime-local` value ("2026-05-01T14:30"). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `datetime-local` value (local time) → RFC 3339 in UTC; undefined when blank or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The form for editing `profile`. Keys stay empty: leaving them empty keeps the stored ones. */
export function formFromProfile(profile: ProfileView): ProfileForm {
  const form: ProfileForm = {
    ...emptyProfileForm(),
    editing: profile.name,
    name: profile.name,
    region: profile.region,
    https: profile.https,
    presetPath: profile.presetPath ?? '',
    proxy: profile.proxy ?? '',
    addressing: profile.addressing === 'path' ? 'path' : 'virtual',
  };
  const endpoint = profile.endpoint?.trim() ?? '';
  if (profile.addressing === 'cname') {
    form.endpointType = 'cname';
    form.customDomain = endpoint.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  } else if (endpoint === '' || endpoint === publicHost(profile.region)) {
    form.endpointType = 'public';
  } else if (endpoint === internalHost(profile.region)) {
    form.endpointType = 'internal';
  } else if (endpoint === ACCELERATE_HOST) {
    form.endpointType = 'accelerate';
  } else {
    form.endpointType = 'custom';
    form.customUrl = endpoint;
  }
  return form;
}

/** The scheme written in a custom endpoint URL, if any ("http" / "https"). */
export function urlScheme(url: string): 'http' | 'https' | null {
  const m = /^(https?):\/\//i.exec(url.trim());
  return m ? (m[1].toLowerCase() as 'http' | 'https') : null;
}

/** Whether HTTPS follows from the form: a scheme typed in a custom URL wins over the switch. */
export function effectiveHttps(form: ProfileForm): boolean {
  if (form.endpointType === 'custom') {
    const scheme = urlScheme(form.customUrl);
    if (scheme) return scheme === 'https';
  }
  return form.https;
}

function endpointOf(form: ProfileForm): string | undefined {
  switch (form.endpointType) {
    case 'public':
      return undefined;
    case 'internal':
      return internalHost(form.region);
    case 'accelerate':
      return ACCELERATE_HOST;
    case 'cname':
      return form.customDomain.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
    case 'custom':
      return form.customUrl.trim().replace(/\/+$/, '');
  }
}

/** The host (without port or brackets) of a custom endpoint URL, lower-cased; '' for other types. */
function customHost(form: ProfileForm): string {
  if (form.endpointType !== 'custom') return '';
  const authority = form.customUrl.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  if (authority.startsWith('[')) return authority.slice(1, authority.indexOf(']'));
  return authority.replace(/:\d*$/, '').replace(/\.$/, '');
}

/**
 * Whether the endpoint only works path-style: an IP address or `localhost` (`bucket.127.0.0.1`
 * cannot resolve). Mirrors `Endpoint::needs_path_style` in the core.
 */
export function requiresPathStyle(form: ProfileForm): boolean {
  const host = customHost(form);
  if (host === '') return false;
  return host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** The addressing requests use: path style wherever virtual-hosted cannot work. */
export function effectiveAddressing(form: ProfileForm): 'virtual' | 'path' {
  return requiresPathStyle(form) ? 'path' : form.addressing;
}

function addressingOf(form: ProfileForm): Addressing {
  return form.endpointType === 'cname' ? 'cname' : effectiveAddressing(form);
}

/** Whether `region` is one of the listed OSS regions (else the form shows the free field). */
export function isListedRegion(region: string): boolean {
  return REGIONS.some((r) => r.id === region.trim());
}

const REGION_HOST = /^(?:https?:\/\/)?oss-[a-z0-9-]+?(?:-internal)?\.aliyuncs\.com\/?$/i;

/**
 * The form after choosing `region`. A custom endpoint the user left empty, or one that was a
 * region's own host, follows the region; an endpoint the user typed stays.
 */
export function chooseRegion(form: ProfileForm, region: string): ProfileForm {
  const next = { ...form, region };
  if (form.endpointType === 'custom' && (form.customUrl.trim() === '' || REGION_HOST.test(form.customUrl.trim()))) {
    next.customUrl = publicHost(region);
  }
  return next;
}

/**
 * Where requests for `bucket` go, as a preview under the endpoint field
 * (the Rust side resolves the real one).
 */
export function endpointPreview(form: ProfileForm, bucket = 'bucket'): string {
  const scheme = effectiveHttps(form) ? 'https' : 'http';
  const endpoint = endpointOf(form) ?? publicHost(form.region || 'REGION');
  const host = endpoint.replace(/^https?:\/\//i, '');
  if (form.endpointType === 'cname') return `${scheme}://${host}/`;
  return addressingOf(form) === 'path' ? `${scheme}://${host}/${bucket}/` : `${scheme}://${bucket}.${host}/`;
}

export type ProfileField =
  | 'name'
  | 'region'
  | 'customDomain'
  | 'customUrl'
  | 'presetPath'
  | 'proxy'
  | 'accessKeyId'
  | 'accessKeySecret'
  | 'securityToken'
  | 'stsExpiresLocal';

export type FieldProblem =
  | 'required'
  | 'tooLong'
  | 'badRegion'
  | 'badHost'
  | 'badUrl'
  | 'badPresetPath'
  | 'badProxy'
  | 'keysIncomplete'
  | 'secretAgain'
  | 'tokenNeedsKeys'
  | 'badDate';

const REGION_ID = /^[a-z]{2}(-[a-z0-9]+)+$/;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/i;
/** oss://bucket[/prefix], bucket names as OSS allows them: 3..63 of a-z 0-9 '-', not starting or ending with '-'. */
const PRESET_PATH = /^oss:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9](\/.*)?$/;
const PROXY = /^(https?|socks5h?):\/\/[^\s/]+\/?$/i;

function isUrlOrHost(text: string): boolean {
  const t = text.trim();
  if (/^https?:\/\//i.test(t)) {
    try {
      const url = new URL(t);
      return url.hostname !== '' && (url.pathname === '/' || url.pathname === '') && !url.search;
    } catch {
      return false;
    }
  }
  return HOST.test(t);
}

/** The URL requests go to, lower-cased, as the Rust side resolves it. */
function resolvedEndpoint(form: ProfileForm): string {
  const scheme = effectiveHttps(form) ? 'https' : 'http';
  const host = (endpointOf(form) ?? publicHost(form.region)).replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  return `${scheme}://${host.toLowerCase()}`;
}

/**
 * Whether the edited form sends requests elsewhere than `stored`: another endpoint URL or
 * proxy. Then the stored keys may not follow: the secret must be entered again (the Rust side
 * refuses otherwise). Mirrors `connection_changed` in the core's profiles/save.rs.
 */
export function connectionChanged(form: ProfileForm, stored: ProfileView): boolean {
  const endpoint = endpointOf(form);
  const endpointChanged =
    !endpoint && stored.endpoint === null
      ? effectiveHttps(form) !== stored.https
      : resolvedEndpoint(form) !== stored.resolvedEndpoint;
  return endpointChanged || form.proxy.trim() !== (stored.proxy ?? '');
}

/** Whether the secret field is required: always for a new profile, and when an edit moves the connection. */
export function secretRequired(form: ProfileForm, stored: ProfileView | null): boolean {
  return form.editing === null || (stored !== null && connectionChanged(form, stored));
}

const METADATA_IPV4 = '100.100.100.200';

function ipv4Warning(octets: number[]): EndpointWarning | null {
  const [a, b] = octets;
  if (octets.join('.') === METADATA_IPV4) return 'cloudMetadata';
  if (a === 127 || octets.every((o) => o === 0)) return 'loopback';
  if (a === 169 && b === 254) return 'linkLocal';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'privateAddress';
  return null;
}

function hostWarning(host: string): EndpointWarning | null {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host.replace(/^::ffff:/, ''));
  if (v4) return ipv4Warning(v4.slice(1).map(Number));
  if (!host.includes(':')) return null;
  if (host === '::1' || host === '::') return 'loopback';
  const first = parseInt(host.split(':')[0] || '0', 16);
  if ((first & 0xffc0) === 0xfe80) return 'linkLocal';
  if ((first & 0xfe00) === 0xfc00) return 'privateAddress';
  return null;
}

/**
 * The warnings the profile would carry once saved, to show while typing. Mirrors
 * `endpoint_warnings` in the core's profiles/warnings.rs (the saved profile's own list wins).
 */
export function formEndpointWarnings(form: ProfileForm): EndpointWarning[] {
  const url = resolvedEndpoint(form);
  const warnings: EndpointWarning[] = url.startsWith('http://') ? ['plainHttp'] : [];
  const authority = url.replace(/^https?:\/\//, '');
  const host = authority.startsWith('[')
    ? authority.slice(1, authority.indexOf(']'))
    : authority.replace(/:\d*$/, '').replace(/\.$/, '');
  const found = hostWarning(host);
  if (found) warnings.push(found);
  return warnings;
}

/** What is wrong with each field; an empty object when the form can be saved. */
export function validateProfileForm(
  form: ProfileForm,
  stored: ProfileView | null = null,
): Partial<Record<ProfileField, FieldProblem>> {
  const problems: Partial<Record<ProfileField, FieldProblem>> = {};
  const name = form.name.trim();
  if (name === '') problems.name = 'required';
  else if (name.length > 64) problems.name = 'tooLong';

  const region = form.region.trim();
  if (region === '') problems.region = 'required';
  else if (!REGION_ID.test(region)) problems.region = 'badRegion';

  if (form.endpointType === 'cname') {
    const host = form.customDomain.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
    if (host === '') problems.customDomain = 'required';
    else if (!HOST.test(host)) problems.customDomain = 'badHost';
  }
  if (form.endpointType === 'custom') {
    if (form.customUrl.trim() === '') problems.customUrl = 'required';
    else if (!isUrlOrHost(form.customUrl)) problems.customUrl = 'badUrl';
  }
  const preset = form.presetPath.trim();
  if (preset !== '' && !PRESET_PATH.test(preset)) problems.presetPath = 'badPresetPath';
  const proxy = form.proxy.trim();
  if (proxy !== '' && !PROXY.test(proxy)) problems.proxy = 'badProxy';

  const id = form.accessKeyId.trim();
  const secret = form.accessKeySecret;
  const token = form.securityToken.trim();
  if (form.editing === null) {
    if (id === '') problems.accessKeyId = 'required';
    if (secret === '') problems.accessKeySecret = 'required';
  } else if (secretRequired(form, stored) && secret === '') {
    // An empty AccessKey ID keeps the stored one: only the secret must be typed again.
    problems.accessKeySecret = 'secretAgain';
  } else if (id !== '' && secret === '') {
    problems.accessKeySecret = 'keysIncomplete';
  } else if (secret === '' && token !== '') {
    problems.securityToken = 'tokenNeedsKeys';
  }
  if (form.stsExpiresLocal.trim() !== '' && fromLocalInput(form.stsExpiresLocal) === undefined) {
    problems.stsExpiresLocal = 'badDate';
  }
  return problems;
}

/**
 * The `profile_save` (and `profile_test_unsaved`) input. Keys are sent only when a secret is
 * typed; when editing, none keeps the stored ones, and a secret without an ID keeps the stored ID.
 */
export function buildProfileInput(form: ProfileForm): ProfileInput {
  const input: ProfileInput = {
    name: form.name.trim(),
    region: form.region.trim(),
    addressing: addressingOf(form),
    https: effectiveHttps(form),
    replace: form.editing !== null,
  };
  const endpoint = endpointOf(form);
  if (endpoint) input.endpoint = endpoint;
  const preset = form.presetPath.trim();
  if (preset) input.presetPath = preset;
  const proxy = form.proxy.trim();
  if (proxy) input.proxy = proxy;
  const id = form.accessKeyId.trim();
  if (form.accessKeySecret !== '' && (id !== '' || form.editing !== null)) {
    input.keys = { accessKeySecret: form.accessKeySecret };
    if (id !== '') input.keys.accessKeyId = id;
    const token = form.securityToken.trim();
    if (token) {
      input.keys.securityToken = token;
      const expires = fromLocalInput(form.stsExpiresLocal);
      if (expires) input.keys.stsExpiresAt = expires;
    }
  }
  return input;
}

/**
 * What a connection test tried: the input it sent. A save whose input differs was not tested.
 * Kept in memory only, like the form it comes from.
 */
export function testedInput(form: ProfileForm): string {
  return JSON.stringify(buildProfileInput(form));
}

/** Whether saving should warn: the form was never tested, or changed since its last passing test. */
export function untested(form: ProfileForm, lastPassed: string | null): boolean {
  return lastPassed === null || lastPassed !== testedInput(form);
}
