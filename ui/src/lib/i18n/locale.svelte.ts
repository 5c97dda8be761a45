// The UI language as reactive state. `t()` reads it, so every text written
// with `t()` in a template updates when the language changes.
import { browserStorage } from '../settings';
import type { ValidityProblem } from '../validity';
import {
  detectLocale,
  formatDurationIn,
  formatLocalIn,
  formatNumber,
  translate,
  validityProblemText,
  type Locale,
  type MessageKey,
  type Params,
} from './index';

export type LanguagePreference = 'auto' | Locale;

export const LANGUAGE_KEY = 'osslite.language.v1';

function isPreference(value: unknown): value is LanguagePreference {
  return value === 'auto' || value === 'en' || value === 'zh';
}

function systemLocale(): Locale {
  if (typeof navigator === 'undefined') return 'en';
  return detectLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

function loadPreference(): LanguagePreference {
  try {
    const stored = browserStorage()?.getItem(LANGUAGE_KEY);
    if (isPreference(stored)) return stored;
  } catch {
    // Storage unavailable: follow the system.
  }
  return 'auto';
}

const state = $state({ preference: loadPreference() });
const locale = $derived<Locale>(state.preference === 'auto' ? systemLocale() : state.preference);

function applyDocumentLanguage(value: Locale) {
  if (typeof document !== 'undefined') document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en';
}
export function getLocale(): Locale {
  return locale;
}

applyDocumentLanguage(getLocale());

export function getLanguagePreference(): LanguagePreference {
  return state.preference;
}

/** Switches the UI language now and remembers the choice. */
export function setLanguagePreference(preference: LanguagePreference): void {
  state.preference = preference;
  applyDocumentLanguage(locale);
  try {
    browserStorage()?.setItem(LANGUAGE_KEY, preference);
  } catch {
    // Not saved: the choice applies to this session only.
  }
}

/** The message for `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(locale, key, params);
}

export function duration(seconds: number): string {
  return formatDurationIn(locale, seconds);
}

export function localTime(at: Date): string {
  return formatLocalIn(locale, at);
}

export function num(n: number): string {
  return formatNumber(locale, n);
}

export function validityProblem(problem: ValidityProblem): string {
  return validityProblemText(locale, problem);
}
