// Test-only entry: installs the fake backend through Tauri's own IPC mock
// before the app's bundle runs. Built to an IIFE and injected with
// page.addInitScript; never part of the app's build.
import { emit } from '@tauri-apps/api/event';
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { FakeBackend, type FakeConfig } from './fake-backend';

declare global {
  interface Window {
    __FAKE_CONFIG__?: FakeConfig;
    __FAKE__?: FakeBackend;
    isTauri?: boolean;
    /** Emits a webview drag-drop event (tauri://drag-enter|over|drop|leave) through the mocked event system. */
    __DRAG__?: (type: 'enter' | 'over' | 'drop' | 'leave', paths?: string[], position?: { x: number; y: number }) => Promise<void>;
  }
}

const backend = new FakeBackend(window.__FAKE_CONFIG__ ?? {});
window.__FAKE__ = backend;
// The current webview's label (getCurrentWebview needs it), and `listen`/`emit` served by the mock,
// so the flows can send the same drag-drop events the real webview sends.
mockWindows('main');
mockIPC((cmd, args) => backend.handle(cmd, args), { shouldMockEvents: true });
window.__DRAG__ = (type, paths = [], position = { x: 0, y: 0 }) =>
  emit(`tauri://drag-${type}`, type === 'leave' ? null : type === 'over' ? { position } : { paths, position });
// What `isTauri()` checks; the real webview sets it.
window.isTauri = true;
