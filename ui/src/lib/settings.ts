// UI preferences kept in the webview's localStorage. Only non-secret choices
// live here; credentials belong to the OS keyring on the Rust side.
import { parseSortOrder, SERVER_ORDER, type SortOrder } from './sort';
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

// ---------------------------------------------------------------- transfer options

export const TRANSFER_SETTINGS_KEY = 'osslite.transfers.v1';

const MIB = 1024 * 1024;

/** How transfers move data; sizes in MiB as the settings show them. */
export interface TransferSettings {
  partSizeMiB: number;
  /** Files moving at once (the engine's queue). */
  filesInFlight: number;
  /** Parts (or ranges) of one file in flight. */
  partsInFlight: number;
  multipartThresholdMiB: number;
}

export const DEFAULT_TRANSFER_SETTINGS: Readonly<TransferSettings> = {
  partSizeMiB: 8,
  filesInFlight: 3,
  partsInFlight: 4,
  multipartThresholdMiB: 100,
};

/** The bounds each setting is kept in (part size: what OSS accepts, 0.1 MiB .. 5 GiB, whole MiB here). */
export const TRANSFER_LIMITS: Readonly<Record<keyof TransferSettings, { min: number; max: number }>> = {
  partSizeMiB: { min: 1, max: 5 * 1024 },
  filesInFlight: { min: 1, max: 16 },
  partsInFlight: { min: 1, max: 32 },
  multipartThresholdMiB: { min: 1, max: 5 * 1024 },
};

/** `value` as a whole number within the setting's bounds, or null when it is not a number. */
export function clampSetting(field: keyof TransferSettings, value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) return null;
  const { min, max } = TRANSFER_LIMITS[field];
  return Math.min(max, Math.max(min, Math.round(n)));
}

export function loadTransferSettings(store: KeyValueStore | undefined): TransferSettings {
  const out: TransferSettings = { ...DEFAULT_TRANSFER_SETTINGS };
  try {
    const raw = store?.getItem(TRANSFER_SETTINGS_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (typeof parsed === 'object' && parsed !== null) {
      for (const field of Object.keys(out) as (keyof TransferSettings)[]) {
        const value = clampSetting(field, (parsed as Record<string, unknown>)[field]);
        if (value !== null) out[field] = value;
      }
    }
  } catch {
    // Corrupt or unavailable: the defaults.
  }
  return out;
}

/** Saves the settings; false when storage refused them (they still apply to this session). */
export function saveTransferSettings(store: KeyValueStore | undefined, settings: TransferSettings): boolean {
  try {
    if (!store) return false;
    store.setItem(TRANSFER_SETTINGS_KEY, JSON.stringify(settings));
    return true;
  } catch {
    return false;
  }
}

/** The options `transfer_upload` / `transfer_download` take, in bytes. */
export function transferOptionsOf(settings: TransferSettings): { partSize: number; parallel: number; multipartThreshold: number } {
  return {
    partSize: settings.partSizeMiB * MIB,
    parallel: settings.partsInFlight,
    multipartThreshold: settings.multipartThresholdMiB * MIB,
  };
}

// ---------------------------------------------------------------- list sort order

export const SORT_ORDER_KEY = 'osslite.sortOrder.v1';

/** The sort order last chosen in any folder, or name ascending. */
export function loadSortOrder(store: KeyValueStore | undefined): SortOrder {
  try {
    const raw = store?.getItem(SORT_ORDER_KEY);
    const order = raw ? parseSortOrder(JSON.parse(raw)) : null;
    if (order) return order;
  } catch {
    // Corrupt or unavailable: the default below.
  }
  return { ...SERVER_ORDER };
}

/** Keeps the chosen order for the next folder and the next start; false when storage refused it. */
export function saveSortOrder(store: KeyValueStore | undefined, order: SortOrder): boolean {
  try {
    if (!store) return false;
    store.setItem(SORT_ORDER_KEY, JSON.stringify(order));
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- download folder

export const ASK_DOWNLOAD_FOLDER_KEY = 'osslite.askDownloadFolder.v1';

/** Whether Download asks for a folder every time (off: the default download folder is used). */
export function loadAskDownloadFolder(store: KeyValueStore | undefined): boolean {
  try {
    return store?.getItem(ASK_DOWNLOAD_FOLDER_KEY) === 'ask';
  } catch {
    return false;
  }
}

export function saveAskDownloadFolder(store: KeyValueStore | undefined, ask: boolean): boolean {
  try {
    if (!store) return false;
    store.setItem(ASK_DOWNLOAD_FOLDER_KEY, ask ? 'ask' : 'default');
    return true;
  } catch {
    return false;
  }
}
