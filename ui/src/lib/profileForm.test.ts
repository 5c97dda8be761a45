import { describe, expect, it } from 'vitest';
import type { ProfileView } from './api';
import {
  buildProfileInput,
  chooseRegion,
  effectiveAddressing,
  isListedRegion,
  requiresPathStyle,
  testedInput,
  untested,
  connectionChanged,
  emptyProfileForm,
  formEndpointWarnings,
  endpointPreview,
  formFromProfile,
  fromLocalInput,
  secretRequired,
  toLocalInput,
  validateProfileForm,
  type ProfileForm,
} from './profileForm';

const filled = (patch: Partial<ProfileForm> = {}): ProfileForm => ({
  ...emptyProfileForm(),
  name: 'Prod',
  region: 'cn-shanghai',
  accessKeyId: 'LTAI5tKeyId',
  accessKeySecret: 'secret',
  ...patch,
});

const view = (patch: Partial<ProfileView>): ProfileView => ({
  name: 'Prod',
  region: 'cn-shanghai',
  endpoint: null,
  resolvedEndpoint: 'https://oss-cn-shanghai.aliyuncs.com',
  addressing: 'virtual',
  https: true,
  presetPath: null,
  proxy: null,
  accessKeyIdMasked: 'LTAI****yId',
  usesSts: false,
  stsExpiresAt: null,
  warnings: [],
  startsOnDemand: false,
  ...patch,
});

describe('endpoint types', () => {
  it('map to endpoint and addressing', () => {
    const input = (patch: Partial<ProfileForm>) => {
      const i = buildProfileInput(filled(patch));
      return [i.endpoint, i.addressing, i.https];
    };
    expect(input({})).toEqual([undefined, 'virtual', true]);
    expect(input({ endpointType: 'internal' })).toEqual(['oss-cn-shanghai-internal.aliyuncs.com', 'virtual', true]);
    expect(input({ endpointType: 'accelerate', addressing: 'path' })).toEqual(['oss-accelerate.aliyuncs.com', 'path', true]);
    expect(input({ endpointType: 'cname', customDomain: 'https://files.example.com/' })).toEqual(['files.example.com', 'cname', true]);
    expect(input({ endpointType: 'custom', customUrl: 'http://127.0.0.1:9000/', https: true })).toEqual(['http://127.0.0.1:9000', 'path', false]);
    expect(input({ endpointType: 'custom', customUrl: 'minio.local:9000', https: false, addressing: 'path' })).toEqual(['minio.local:9000', 'path', false]);
  });

  it('come back from a saved profile', () => {
    expect(formFromProfile(view({})).endpointType).toBe('public');
    expect(formFromProfile(view({ endpoint: 'oss-cn-shanghai.aliyuncs.com' })).endpointType).toBe('public');
    expect(formFromProfile(view({ endpoint: 'oss-cn-shanghai-internal.aliyuncs.com' })).endpointType).toBe('internal');
    expect(formFromProfile(view({ endpoint: 'oss-accelerate.aliyuncs.com' })).endpointType).toBe('accelerate');
    const cname = formFromProfile(view({ endpoint: 'files.example.com', addressing: 'cname' }));
    expect([cname.endpointType, cname.customDomain]).toEqual(['cname', 'files.example.com']);
    const custom = formFromProfile(view({ endpoint: 'http://127.0.0.1:9000', addressing: 'path' }));
    expect([custom.endpointType, custom.customUrl, custom.addressing]).toEqual(['custom', 'http://127.0.0.1:9000', 'path']);
  });

  it('preview where requests go', () => {
    expect(endpointPreview(filled())).toBe('https://bucket.oss-cn-shanghai.aliyuncs.com/');
    expect(endpointPreview(filled({ addressing: 'path', https: false }))).toBe('http://oss-cn-shanghai.aliyuncs.com/bucket/');
    expect(endpointPreview(filled({ endpointType: 'cname', customDomain: 'files.example.com' }))).toBe('https://files.example.com/');
  });
});

describe('keys', () => {
  it('are required for a new profile', () => {
    expect(validateProfileForm(filled({ accessKeyId: '', accessKeySecret: '' }))).toEqual({ accessKeyId: 'required', accessKeySecret: 'required' });
  });

  it('are omitted when editing with empty key fields, so the stored ones stay', () => {
    const form = { ...formFromProfile(view({})), region: 'cn-hangzhou' };
    expect(validateProfileForm(form)).toEqual({});
    const input = buildProfileInput(form);
    expect(input.replace).toBe(true);
    expect('keys' in input).toBe(false);
  });

  it('must be complete when replaced', () => {
    const form = formFromProfile(view({}));
    expect(validateProfileForm({ ...form, accessKeyId: 'LTAI' })).toEqual({ accessKeySecret: 'keysIncomplete' });
    expect(validateProfileForm({ ...form, securityToken: 'tok' })).toEqual({ securityToken: 'tokenNeedsKeys' });
  });

  it('carry an STS token and its expiry in UTC', () => {
    const input = buildProfileInput(filled({ securityToken: ' tok ', stsExpiresLocal: toLocalInput('2026-05-01T10:30:00Z') }));
    expect(input.keys).toEqual({ accessKeyId: 'LTAI5tKeyId', accessKeySecret: 'secret', securityToken: 'tok', stsExpiresAt: '2026-05-01T10:30:00Z' });
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('garbage')).toBeUndefined();
  });
});

describe('validation', () => {
  it('checks name, region, hosts, preset path and proxy', () => {
    expect(validateProfileForm(filled())).toEqual({});
    expect(validateProfileForm(filled({ name: ' ', region: 'Hangzhou' }))).toEqual({ name: 'required', region: 'badRegion' });
    expect(validateProfileForm(filled({ endpointType: 'cname', customDomain: 'bad host' }))).toEqual({ customDomain: 'badHost' });
    expect(validateProfileForm(filled({ endpointType: 'custom', customUrl: 'https://x.example/path' }))).toEqual({ customUrl: 'badUrl' });
    expect(validateProfileForm(filled({ presetPath: 'oss://my-bucket/photos/' }))).toEqual({});
    expect(validateProfileForm(filled({ presetPath: 'my-bucket/photos' }))).toEqual({ presetPath: 'badPresetPath' });
    expect(validateProfileForm(filled({ presetPath: 'oss://B/' }))).toEqual({ presetPath: 'badPresetPath' });
    expect(validateProfileForm(filled({ proxy: 'socks5://127.0.0.1:1080' }))).toEqual({});
    expect(validateProfileForm(filled({ proxy: 'proxy:3128' }))).toEqual({ proxy: 'badProxy' });
  });

  it('trims what it sends and leaves out blank optional fields', () => {
    const input = buildProfileInput(filled({ name: ' Prod ', presetPath: ' ', proxy: ' http://p:3128 ' }));
    expect(input).toEqual({
      name: 'Prod',
      region: 'cn-shanghai',
      addressing: 'virtual',
      https: true,
      replace: false,
      proxy: 'http://p:3128',
      keys: { accessKeyId: 'LTAI5tKeyId', accessKeySecret: 'secret' },
    });
  });
});

describe('editing where a profile connects', () => {
  const stored = view({
    endpoint: 'oss-cn-shanghai.aliyuncs.com',
    proxy: 'http://alice@proxy.local:3128',
  });
  const edit = (patch: Partial<ProfileForm>) => ({ ...formFromProfile(stored), ...patch });

  it('needs no secret for other settings, the same URL, or the form as it opened', () => {
    expect(connectionChanged(edit({}), stored)).toBe(false);
    expect(connectionChanged(edit({ presetPath: 'oss://bucket/team/' }), stored)).toBe(false);
    expect(secretRequired(edit({ presetPath: 'oss://bucket/team/' }), stored)).toBe(false);
    expect(validateProfileForm(edit({}), stored)).toEqual({});
    const regional = view({});
    expect(connectionChanged({ ...formFromProfile(regional), region: 'cn-beijing' }, regional)).toBe(false);
  });

  it('requires the secret again when the endpoint, HTTPS or proxy changes', () => {
    for (const patch of [
      { endpointType: 'custom', customUrl: 'https://evil.example.com' },
      { endpointType: 'internal' },
      { https: false },
      { proxy: 'http://alice@other.example:3128' },
      { proxy: '' },
    ] as Partial<ProfileForm>[]) {
      const form = edit(patch);
      expect(connectionChanged(form, stored), JSON.stringify(patch)).toBe(true);
      expect(secretRequired(form, stored)).toBe(true);
      expect(validateProfileForm(form, stored)).toEqual({ accessKeySecret: 'secretAgain' });
      expect(validateProfileForm({ ...form, accessKeySecret: 'new-secret' }, stored)).toEqual({});
      expect(
        validateProfileForm({ ...form, accessKeyId: 'LTAI5tNew', accessKeySecret: 'new-secret' }, stored),
      ).toEqual({});
    }
    expect(secretRequired(emptyProfileForm(), null)).toBe(true);
  });
});

describe('endpoint warnings while typing', () => {
  const custom = (customUrl: string) => formEndpointWarnings(filled({ endpointType: 'custom', customUrl }));

  it('mirror the core: plain HTTP, private, loopback, link-local and metadata addresses', () => {
    expect(formEndpointWarnings(filled())).toEqual([]);
    expect(custom('https://47.96.1.2')).toEqual([]);
    expect(custom('https://172.32.0.1')).toEqual([]);
    expect(custom('http://oss-cn-hangzhou-internal.aliyuncs.com')).toEqual(['plainHttp']);
    expect(custom('http://127.0.0.1:9000')).toEqual(['plainHttp', 'loopback']);
    expect(custom('https://localhost:9000')).toEqual(['loopback']);
    expect(custom('https://10.1.2.3')).toEqual(['privateAddress']);
    expect(custom('https://172.20.0.1:8443')).toEqual(['privateAddress']);
    expect(custom('https://192.168.1.10')).toEqual(['privateAddress']);
    expect(custom('https://[fd12:3456::1]')).toEqual(['privateAddress']);
    expect(custom('https://[::1]:9000')).toEqual(['loopback']);
    expect(custom('https://169.254.169.254')).toEqual(['linkLocal']);
    expect(custom('https://[fe80::1]')).toEqual(['linkLocal']);
    expect(custom('https://100.100.100.200')).toEqual(['cloudMetadata']);
  });
});

describe('changing only the secret', () => {
  const stored = view({});

  it('sends the secret without an AccessKey ID, so the stored ID stays', () => {
    const form = { ...formFromProfile(stored), accessKeySecret: 'rotated-secret' };
    expect(validateProfileForm(form, stored)).toEqual({});
    expect(buildProfileInput(form).keys).toEqual({ accessKeySecret: 'rotated-secret' });
  });

  it('still needs the ID for a new profile, and a secret for a typed ID', () => {
    expect(validateProfileForm(filled({ accessKeyId: '' }))).toEqual({ accessKeyId: 'required' });
    expect(buildProfileInput(filled({ accessKeyId: '' })).keys).toBeUndefined();
    expect(validateProfileForm({ ...formFromProfile(stored), accessKeyId: 'LTAI5tNew' }, stored)).toEqual({ accessKeySecret: 'keysIncomplete' });
  });
});

describe('path style for IP and localhost endpoints', () => {
  const custom = (customUrl: string, addressing: 'virtual' | 'path' = 'virtual') =>
    filled({ endpointType: 'custom', customUrl, addressing });

  it('is forced where virtual-hosted cannot resolve, and left alone elsewhere', () => {
    for (const url of ['http://127.0.0.1:18765', 'localhost:9000', 'http://LOCALHOST:9000/', 'http://[::1]:9000', '10.0.0.8']) {
      expect(requiresPathStyle(custom(url)), url).toBe(true);
      expect(effectiveAddressing(custom(url)), url).toBe('path');
      expect(buildProfileInput(custom(url)).addressing, url).toBe('path');
    }
    for (const url of ['https://oss.example.com', 'http://minio.localhost:9000']) {
      expect(requiresPathStyle(custom(url)), url).toBe(false);
      expect(buildProfileInput(custom(url)).addressing, url).toBe('virtual');
    }
    expect(requiresPathStyle(filled())).toBe(false);
    expect(endpointPreview(custom('http://127.0.0.1:18765'))).toBe('http://127.0.0.1:18765/bucket/');
  });
});

describe('the region drop-down', () => {
  it('lists the common OSS regions and leaves others to the free field', () => {
    for (const id of ['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'us-west-1', 'eu-central-1']) {
      expect(isListedRegion(id), id).toBe(true);
    }
    expect(isListedRegion('cn-example-9')).toBe(false);
  });

  it('fills an empty or region-made custom endpoint, and keeps a typed one', () => {
    const empty = filled({ endpointType: 'custom', customUrl: '' });
    expect(chooseRegion(empty, 'eu-central-1').customUrl).toBe('oss-eu-central-1.aliyuncs.com');
    const filledIn = chooseRegion(empty, 'cn-beijing');
    expect(chooseRegion(filledIn, 'us-west-1').customUrl).toBe('oss-us-west-1.aliyuncs.com');
    const typed = filled({ endpointType: 'custom', customUrl: 'https://oss.example.internal:9000' });
    expect(chooseRegion(typed, 'us-west-1')).toEqual({ ...typed, region: 'us-west-1' });
    expect(endpointPreview(chooseRegion(filled(), 'ap-southeast-1'))).toBe('https://bucket.oss-ap-southeast-1.aliyuncs.com/');
  });
});

describe('the untested-profile warning', () => {
  it('holds until a test passes, and returns when the form changes after it', () => {
    const form = filled();
    expect(untested(form, null)).toBe(true);
    const passed = testedInput(form);
    expect(untested(form, passed)).toBe(false);
    expect(untested({ ...form, accessKeySecret: 'other' }, passed)).toBe(true);
    expect(untested({ ...form, region: 'cn-beijing' }, passed)).toBe(true);
  });
});
