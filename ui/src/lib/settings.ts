// UI preferences kept in the webview's localStorage. Only non-secret choices
// live here; credentials belong to the OS keyring on the Rust side.
import { DEFAULT_CHOICE, isValidityUnit, resolveChoice, type ValidityChoice, type ValidityRange } from './validity';

/** The share dialog reads the same key for its default validity. */
export const DEFAULT_VALIDITY_KEY = 'osslite.defaultValidity.v1';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The webview's localStorage, or undefined where it is unavailable (tests, locked-down webviews). */
export function browserStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

function fromJson(value: unknown): ValidityChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.mode === 'preset' && typeof v.seconds === 'number') {
    return { mode: 'preset', seconds: v.seconds };
  }
  if (v.mode === 'custom' && typeof v.amount === 'string' && isValidityUnit(v.unit)) {
    return { mode: 'custom', amount: v.amount, unit: v.unit };
  }
  return null;
}

/**
 * The saved default validity, or `DEFAULT_CHOICE` (1 hour) when nothing valid
 * is stored: missing, unreadable, or outside `range`.
 */
export function loadDefaultValidity(store: KeyValueStore | undefined, range?: ValidityRange): ValidityChoice {
  try {
    const raw = store?.getItem(DEFAULT_VALIDITY_KEY);
    if (raw) {
      const choice = fromJson(JSON.parse(raw));
      if (choice && resolveChoice(choice, range).ok) return choice;
    }
  } catch {
    // Corrupt JSON or storage unavailable: fall back to the default below.
  }
  return { ...DEFAULT_CHOICE };
}

export type SaveOutcome =
  | { status: 'saved'; seconds: number }
  /** The choice is not a valid validity: nothing was written. */
  | { status: 'invalid' }
  /** Valid, but storage refused it (full or disabled): it applies to this session only. */
  | { status: 'notSaved'; seconds: number; message: string };

/** Saves `choice` as the default validity if it is valid. */
export function saveDefaultValidity(
  store: KeyValueStore | undefined,
  choice: ValidityChoice,
  range?: ValidityRange,
): SaveOutcome {
  const result = resolveChoice(choice, range);
  if (!result.ok) return { status: 'invalid' };
  const stored =
    choice.mode === 'preset'
      ? { mode: 'preset', seconds: choice.seconds }
      : { mode: 'custom', amount: choice.amount.trim(), unit: choice.unit };
  if (!store) {
    return { status: 'notSaved', seconds: result.seconds, message: 'Settings storage is not available.' };
  }
  try {
    store.setItem(DEFAULT_VALIDITY_KEY, JSON.stringify({ ...stored, resolvedSeconds: result.seconds }));
  } catch (e) {
    const detail = e instanceof Error && e.message ? `: ${e.message}` : '.';
    return { status: 'notSaved', seconds: result.seconds, message: `Could not save the default validity${detail}` };
  }
  return { status: 'saved', seconds: result.seconds };
}
