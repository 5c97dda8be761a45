import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDITY_KEY, SORT_ORDER_KEY, loadDefaultValidity, loadSortOrder, saveDefaultValidity, saveSortOrder } from './settings';

function memoryStore(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe('default validity in storage', () => {
  it('defaults to 1 hour when nothing is stored', () => {
    expect(loadDefaultValidity(memoryStore())).toEqual({ mode: 'preset', seconds: 3600 });
    expect(loadDefaultValidity(undefined)).toEqual({ mode: 'preset', seconds: 3600 });
  });

  it('round-trips a preset and a custom choice', () => {
    const store = memoryStore();
    expect(saveDefaultValidity(store, { mode: 'preset', seconds: 900 })).toEqual({ status: 'saved', seconds: 900 });
    expect(loadDefaultValidity(store)).toEqual({ mode: 'preset', seconds: 900 });
    expect(JSON.parse(store.data.get(DEFAULT_VALIDITY_KEY) ?? '')).toMatchObject({ resolvedSeconds: 900 });

    expect(saveDefaultValidity(store, { mode: 'custom', amount: ' 45 ', unit: 'minutes' })).toEqual({
      status: 'saved',
      seconds: 2700,
    });
    expect(loadDefaultValidity(store)).toEqual({ mode: 'custom', amount: '45', unit: 'minutes' });
  });

  it('never saves an invalid choice', () => {
    const store = memoryStore();
    saveDefaultValidity(store, { mode: 'preset', seconds: 10800 });
    expect(saveDefaultValidity(store, { mode: 'custom', amount: '59', unit: 'seconds' })).toEqual({ status: 'invalid' });
    expect(loadDefaultValidity(store)).toEqual({ mode: 'preset', seconds: 10800 });
  });

  it('ignores corrupt or out-of-range stored values', () => {
    for (const raw of ['not json', '{}', 'null', '{"mode":"preset","seconds":"60"}', '{"mode":"custom","amount":"5","unit":"days"}',
      '{"mode":"preset","seconds":86400}']) {
      expect(loadDefaultValidity(memoryStore({ [DEFAULT_VALIDITY_KEY]: raw }))).toEqual({ mode: 'preset', seconds: 3600 });
    }
  });

  it('reports storage that refuses to save', () => {
    const store = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota exceeded');
      },
    };
    expect(saveDefaultValidity(store, { mode: 'preset', seconds: 60 })).toEqual({
      status: 'notSaved',
      seconds: 60,
      message: 'Could not save the default validity: quota exceeded',
    });
  });
});

describe('transfer settings in storage', () => {
  it('defaults, clamps and converts to bytes', async () => {
    const { loadTransferSettings, saveTransferSettings, transferOptionsOf, TRANSFER_SETTINGS_KEY, DEFAULT_TRANSFER_SETTINGS } = await import('./settings');
    const store = memoryStore();
    expect(loadTransferSettings(store)).toEqual(DEFAULT_TRANSFER_SETTINGS);
    expect(saveTransferSettings(store, { partSizeMiB: 16, filesInFlight: 2, partsInFlight: 8, multipartThresholdMiB: 64 })).toBe(true);
    expect(loadTransferSettings(store)).toEqual({ partSizeMiB: 16, filesInFlight: 2, partsInFlight: 8, multipartThresholdMiB: 64 });
    store.setItem(TRANSFER_SETTINGS_KEY, JSON.stringify({ partSizeMiB: 0, filesInFlight: 99, partsInFlight: 'x' }));
    expect(loadTransferSettings(store)).toMatchObject({ partSizeMiB: 1, filesInFlight: 16, partsInFlight: 4 });
    store.setItem(TRANSFER_SETTINGS_KEY, '{broken');
    expect(loadTransferSettings(store)).toEqual(DEFAULT_TRANSFER_SETTINGS);
    expect(transferOptionsOf(DEFAULT_TRANSFER_SETTINGS)).toEqual({ partSize: 8 * 1048576, parallel: 4, multipartThreshold: 100 * 1048576 });
  });
});

describe('sort order in storage', () => {
  it('defaults to name ascending and round-trips a chosen order', () => {
    const store = memoryStore();
    expect(loadSortOrder(store)).toEqual({ field: 'name', direction: 'asc' });
    expect(saveSortOrder(store, { field: 'date', direction: 'desc' })).toBe(true);
    expect(loadSortOrder(store)).toEqual({ field: 'date', direction: 'desc' });
  });

  it('ignores a corrupt value', () => {
    expect(loadSortOrder(memoryStore({ [SORT_ORDER_KEY]: '{"field":"x"' }))).toEqual({ field: 'name', direction: 'asc' });
    expect(loadSortOrder(memoryStore({ [SORT_ORDER_KEY]: '{"field":"owner","direction":"asc"}' }))).toEqual({ field: 'name', direction: 'asc' });
  });
});
