import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { toAppError } from './lib/api';
import { t } from './lib/i18n/locale.svelte';
import { showToast } from './lib/toasts.svelte';

const target = document.getElementById('app');
if (!target) {
  throw new Error('OSS Lite: the #app element is missing from index.html');
}

// Anything that escapes a handler still reaches the screen.
window.addEventListener('unhandledrejection', (event) => {
  showToast(t('app.unexpected'), 'error', toAppError(event.reason));
});
window.addEventListener('error', (event) => {
  // A harmless browser notice, not a failure of the app.
  if (typeof event.message === 'string' && event.message.includes('ResizeObserver loop')) return;
  showToast(t('app.unexpected'), 'error', toAppError(event.error ?? event.message));
});

export default mount(App, { target });
