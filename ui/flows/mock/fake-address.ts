// The fake backend's resolve_address: the core's address parsing in small, over the fake profiles
// (their resolved endpoints, and the custom domain of a cname profile with a preset bucket).
import type { Location, ProfileView } from '../../src/lib/bindings';

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

type Fail = (kind: 'invalidInput', message: string) => never;

function located(profile: string | null, bucket: string, path: string, fail: Fail): Location {
  if (bucket === '') fail('invalidInput', 'the address names no bucket: use oss://bucket/prefix/');
  if (!BUCKET.test(bucket)) {
    fail('invalidInput', `'${bucket}' is not a valid bucket name: 3 to 63 lower-case letters, digits or '-', not starting or ending with '-'`);
  }
  return { profile, bucket, path: path.replace(/^\/+/, ''), versionId: null };
}

function split(rest: string): [string, string] {
  const cut = rest.indexOf('/');
  return cut < 0 ? [rest, ''] : [rest.slice(0, cut), rest.slice(cut + 1)];
}

export function resolveAddress(text: string, profiles: ProfileView[], fail: Fail): Location {
  const input = text.trim();
  if (input === '') fail('invalidInput', 'the address is empty: type oss://bucket/prefix/ or paste an OSS URL');
  if (/^oss:\/\//i.test(input)) return located(null, ...split(input.slice(6)), fail);
  if (!/^https?:\/\//i.test(input)) {
    if (input.includes('://')) fail('invalidInput', `a ${input.split('://')[0]}:// address is not an OSS address: use oss://bucket/prefix/, bucket/prefix or an http(s) URL`);
    return located(null, ...split(input), fail);
  }
  const url = new URL(input);
  const host = url.host.toLowerCase();
  const path = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  const version = url.searchParams.get('versionId');
  const at = (profile: string, bucket: string, key: string) => ({ ...located(profile, bucket, key, fail), versionId: version });
  for (const p of profiles) {
    const preset = p.presetPath ? /^oss:\/\/([^/]+)/.exec(p.presetPath) : null;
    if (p.addressing === 'cname' && preset && host === new URL(p.resolvedEndpoint).host) return at(p.name, preset[1], path);
  }
  for (const p of profiles) {
    if (p.addressing === 'cname') continue;
    const endpoint = new URL(p.resolvedEndpoint).host;
    if (host === endpoint) return at(p.name, ...split(path));
    if (host.endsWith(`.${endpoint}`)) return at(p.name, host.slice(0, -endpoint.length - 1), path);
  }
  return fail('invalidInput', `No saved profile uses ${host}: add one with that endpoint or custom domain, then paste the address again`);
}
