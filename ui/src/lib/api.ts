// The one module that talks to the Rust side. One typed function per command;
// nothing else in the UI imports `invoke`.
import { invoke, isTauri } from '@tauri-apps/api/core';

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

/**
 * An error as it crosses the IPC boundary: a stable camelCase `kind` to branch
 * on, and a `message` to show. Never branch on `message`.
 *
 * Besides the kinds the Rust side sends, the UI itself produces:
 * - `notInApp`: the page is not running inside the OSS Lite window (no IPC).
 * - `unexpected`: the rejection did not have the `{ kind, message }` shape.
 */
export interface AppError {
  kind: string;
  message: string;
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).kind === 'string' &&
    typeof (value as Record<string, unknown>).message === 'string'
  );
}

/** Turns whatever a command rejected with into an `AppError`. */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) {
    return { kind: reason.kind, message: reason.message };
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
