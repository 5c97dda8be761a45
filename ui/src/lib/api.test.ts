import { beforeEach, describe, expect, it, vi } from 'vitest';

const core = vi.hoisted(() => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
  /** Stands in for Tauri's Channel: keeps the handler so a test can deliver messages. */
  Channel: class {
    constructor(public onmessage: (message: unknown) => void) {}
  },
}));
vi.mock('@tauri-apps/api/core', () => core);

import {
  appInfo,
  exportCsv,
  isAppError,
  objectListPage,
  objectsDelete,
  profileSave,
  sharePresign,
  toAppError,
  type AppInfo,
  type DeleteEvent,
} from './api';

const INFO: AppInfo = {
  name: 'OSS Lite',
  version: '0.1.0',
  validity: { coreMin: 1, coreMax: 604800, desktopMin: 60, desktopMax: 32400 },
  debugBuild: false,
};

beforeEach(() => {
  core.invoke.mockReset();
  core.isTauri.mockReturnValue(true);
});

describe('appInfo', () => {
  it("invokes 'app_info' and returns its answer", async () => {
    core.invoke.mockResolvedValue(INFO);
    await expect(appInfo()).resolves.toEqual(INFO);
    expect(core.invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('passes a {kind, message} error through unchanged', async () => {
    core.invoke.mockRejectedValue({ kind: 'keyring', message: 'The keyring is locked.' });
    await expect(appInfo()).rejects.toEqual({ kind: 'keyring', message: 'The keyring is locked.' });
  });

  it('turns any other rejection into an AppError', async () => {
    core.invoke.mockRejectedValue('command app_info not found');
    await expect(appInfo()).rejects.toEqual({ kind: 'unexpected', message: 'command app_info not found' });
  });

  it('refuses outside the desktop app without calling invoke', async () => {
    core.isTauri.mockReturnValue(false);
    const error: unknown = await appInfo().catch((e: unknown) => e);
    expect(isAppError(error) && error.kind).toBe('notInApp');
    expect(core.invoke).not.toHaveBeenCalled();
  });
});

describe('toAppError', () => {
  it('keeps only kind and message of a well-formed error', () => {
    expect(toAppError({ kind: 'notFound', message: 'No such object.', extra: 1 })).toEqual({
      kind: 'notFound',
      message: 'No such object.',
    });
  });

  it('wraps Error objects, strings and anything else', () => {
    expect(toAppError(new TypeError('boom'))).toEqual({ kind: 'unexpected', message: 'boom' });
    expect(toAppError('plain text')).toEqual({ kind: 'unexpected', message: 'plain text' });
    for (const odd of [undefined, null, 42, '', { kind: 1, message: 'x' }, { message: 'no kind' }]) {
      const error = toAppError(odd);
      expect(error.kind).toBe('unexpected');
      expect(error.message).not.toBe('');
    }
  });

  it('keeps well-formed OSS details (code, RequestId) and drops the rest', () => {
    const service = { status: 403, code: 'AccessDenied', requestId: '5C3D9B0E', hostId: 'b.oss-cn-hangzhou.aliyuncs.com', ec: '0003-00000001' };
    expect(toAppError({ kind: 'permissionDenied', message: 'Denied.', service: { ...service, extra: 1, message: '' } })).toEqual({
      kind: 'permissionDenied',
      message: 'Denied.',
      service,
    });
    expect(toAppError({ kind: 'service', message: 'x', service: { code: 'NoStatus' } })).toEqual({ kind: 'service', message: 'x' });
    expect(toAppError({ kind: 'service', message: 'x', service: null })).toEqual({ kind: 'service', message: 'x' });
  });

  it('recognises the shape', () => {
    expect(isAppError({ kind: 'a', message: 'b' })).toBe(true);
    expect(isAppError({ kind: 'a' })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });
});

describe('command arguments', () => {
  it('wraps inputs as the commands expect them', async () => {
    core.invoke.mockResolvedValue(null);
    await profileSave({ name: 'p', region: 'cn-hangzhou', addressing: 'virtual', https: true, replace: false });
    expect(core.invoke).toHaveBeenLastCalledWith('profile_save', {
      input: { name: 'p', region: 'cn-hangzhou', addressing: 'virtual', https: true, replace: false },
    });
    await sharePresign({ bucket: 'b', key: 'k', method: 'GET', expiresSecs: 60, https: true, domain: { kind: 'default' } });
    expect(core.invoke).toHaveBeenLastCalledWith('share_presign', {
      request: { bucket: 'b', key: 'k', method: 'GET', expiresSecs: 60, https: true, domain: { kind: 'default' } },
    });
  });

  it('lists a folder with the "/" delimiter', async () => {
    core.invoke.mockResolvedValue({ folders: [], objects: [], nextContinuationToken: null });
    await objectListPage({ bucket: 'b', prefix: 'p/', continuationToken: null, maxKeys: 1000 });
    expect(core.invoke).toHaveBeenLastCalledWith('object_list_page', {
      bucket: 'b',
      prefix: 'p/',
      delimiter: '/',
      continuationToken: null,
      maxKeys: 1000,
    });
  });

  it('passes progress channels that deliver to the handler', async () => {
    const events: DeleteEvent[] = [];
    core.invoke.mockImplementation(async (_cmd: string, args: { onProgress: { onmessage: (m: DeleteEvent) => void } }) => {
      args.onProgress.onmessage({ event: 'progress', data: { deleted: 1, total: 2 } });
      args.onProgress.onmessage({ event: 'finished', data: { deleted: 2 } });
      return { deleted: 2 };
    });
    await expect(objectsDelete('b', ['a'], ['p/'], (e) => events.push(e))).resolves.toEqual({ deleted: 2 });
    expect(events.map((e) => e.event)).toEqual(['progress', 'finished']);
    expect(core.invoke.mock.calls[0][0]).toBe('objects_delete');
    expect(core.invoke.mock.calls[0][1]).toMatchObject({ bucket: 'b', keys: ['a'], prefixes: ['p/'] });

    core.invoke.mockResolvedValue(null);
    const spec = { bucket: 'b', prefix: 'p/', recursive: true, include: [], exclude: [] };
    const options = { expiresSecs: 60, https: true, excelBom: true, rawValues: false, domain: { kind: 'default' } as const };
    await expect(exportCsv(spec, options, () => {})).resolves.toBeNull();
    expect(core.invoke).toHaveBeenLastCalledWith('export_csv', { spec, options, onProgress: expect.any(core.Channel) });
  });
});
