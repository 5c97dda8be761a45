import { describe, expect, it } from 'vitest';
import type { ProfileView } from './api';
import {
  buildProfileInput,
  emptyProfileForm,
  endpointPreview,
  formFromProfile,
  fromLocalInput,
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
    expect(input({ endpointType: 'custom', customUrl: 'http://127.0.0.1:9000/', https: true })).toEqual(['http://127.0.0.1:9000', 'virtual', false]);
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
