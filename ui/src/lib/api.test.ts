import { beforeEach, describe, expect, it, vi } from 'vitest';

const core = vi.hoisted(() => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
}));
vi.mock('@tauri-apps/api/core', () => core);

import { appInfo, isAppError, toAppError, type AppInfo } from './api';

const INFO: AppInfo = {
  name: 'OSS Lite',
  version: '0.1.0',
  validity: { coreMin: 1, coreMax: 604800, desktopMin: 60, desktopMax: 32400 },
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

  it('recognises the shape', () => {
    expect(isAppError({ kind: 'a', message: 'b' })).toBe(true);
    expect(isAppError({ kind: 'a' })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });
});
