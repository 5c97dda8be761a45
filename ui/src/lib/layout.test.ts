import { describe, expect, it } from 'vitest';
import { clampPanelHeight, DEFAULT_PANEL, fitCount, hiddenCrumbs, loadPanelHeight, MIN_PANEL, PANEL_HEIGHT_KEY, savePanelHeight, splitName } from './layout';

describe('toolbar overflow', () => {
  it('all items fit: no overflow button is needed', () => {
    expect(fitCount([80, 90, 100], 286, 8, 34)).toBe(3);
  });

  it('one px short: room is made for the overflow button and the last items go', () => {
    // 34 + 8 + 80 + 8 + 90 = 220 fits; adding 100 does not.
    expect(fitCount([80, 90, 100], 285, 8, 34)).toBe(2);
    expect(fitCount([80, 90, 100], 219, 8, 34)).toBe(1);
    expect(fitCount([80, 90, 100], 60, 8, 34)).toBe(0);
  });
});

describe('breadcrumb collapse', () => {
  it('shows everything that fits', () => {
    expect(hiddenCrumbs([100, 80, 60, 60], 300, 30)).toBe(0);
    expect(hiddenCrumbs([100, 500], 300, 30)).toBe(0);
  });

  it('keeps the first and the last, then the nearest parents, hiding the middle', () => {
    // first 100 + last 60 + … 30 = 190; 60 (the parent) fits, 80 does not.
    expect(hiddenCrumbs([100, 80, 60, 60], 250, 30)).toBe(1);
    expect(hiddenCrumbs([100, 80, 60, 60], 200, 30)).toBe(2);
    expect(hiddenCrumbs([100, 80, 70, 60, 60], 120, 30)).toBe(3);
  });
});

describe('names cut in the middle', () => {
  it('keeps the extension and the characters before it', () => {
    const { head, tail } = splitName('very-long-name-of-the-report-2026.csv');
    expect(tail).toBe('ort-2026.csv');
    expect(head + tail).toBe('very-long-name-of-the-report-2026.csv');
  });

  it('without an extension, keeps the last characters', () => {
    expect(splitName('a-folder-with-a-long-name').tail).toBe('ong-name');
  });

  it('short names stay whole', () => {
    expect(splitName('logo.png')).toEqual({ head: 'logo.png', tail: '' });
    expect(splitName('')).toEqual({ head: '', tail: '' });
  });
});

describe('transfer panel height', () => {
  it('stays between its minimum and what leaves the list its room', () => {
    expect(clampPanelHeight(280, 900, 300)).toBe(280);
    expect(clampPanelHeight(900, 900, 300)).toBe(600);
    expect(clampPanelHeight(10, 900, 300)).toBe(MIN_PANEL);
    expect(clampPanelHeight(Number.NaN, 900, 300)).toBe(DEFAULT_PANEL);
  });

  it('in a window too small for both, the panel keeps its minimum', () => {
    expect(clampPanelHeight(280, 400, 300)).toBe(MIN_PANEL);
  });

  it('is kept in the settings store; junk reads as the default', () => {
    const map = new Map<string, string>();
    const store = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(loadPanelHeight(store)).toBe(DEFAULT_PANEL);
    savePanelHeight(store, 333.4);
    expect(map.get(PANEL_HEIGHT_KEY)).toBe('333');
    expect(loadPanelHeight(store)).toBe(333);
    map.set(PANEL_HEIGHT_KEY, 'tall');
    expect(loadPanelHeight(store)).toBe(DEFAULT_PANEL);
  });
});
