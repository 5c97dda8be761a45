// Test-only entry: installs the fake backend through Tauri's own IPC mock
// before the app's bundle runs. Built to an IIFE and injected with
// page.addInitScript; never part of the app's build.
import { mockIPC } from '@tauri-apps/api/mocks';
import { FakeBackend, type FakeConfig } from './fake-backend';

declare global {
  interface Window {
    __FAKE_CONFIG__?: FakeConfig;
    __FAKE__?: FakeBackend;
    isTauri?: boolean;
  }
}

const backend = new FakeBackend(window.__FAKE_CONFIG__ ?? {});
window.__FAKE__ = backend;
mockIPC((cmd, args) => backend.handle(cmd, args));
// What `isTauri()` checks; the real webview sets it.
window.isTauri = true;
