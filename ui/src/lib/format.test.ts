import { describe, expect, it } from 'vitest';
import { formatDateTime, formatSize, parseTime } from './format';

describe('formatSize', () => {
  it('uses bytes below 1 KB', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1)).toBe('1 B');
    expect(formatSize(1023)).toBe('1023 B');
  });

  it('uses 1024-based units, one decimal below 100', () => {
    expect(formatSize(1024)).toBe('1.0 KB');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(99.94 * 1024)).toBe('99.9 KB');
    expect(formatSize(100 * 1024)).toBe('100 KB');
    expect(formatSize(5 * 1024 ** 2)).toBe('5.0 MB');
    expect(formatSize(1.25 * 1024 ** 3)).toBe('1.3 GB');
    expect(formatSize(48.8 * 1024 ** 4)).toBe('48.8 TB');
  });

  it('moves to the next unit instead of showing 1024', () => {
    expect(formatSize(1024 * 1024 - 1)).toBe('1.0 MB');
    expect(formatSize(1023.6 * 1024)).toBe('1.0 MB');
    expect(formatSize(1023.4 * 1024)).toBe('1023 KB');
  });

  it('shows a dash for nonsense', () => {
    expect(formatSize(-1)).toBe('–');
    expect(formatSize(Number.NaN)).toBe('–');
  });
});

describe('dates', () => {
  it('formats local wall time', () => {
    const d = new Date(2024, 2, 5, 7, 8, 9);
    expect(formatDateTime(d.getTime())).toBe('2024-03-05 07:08');
    expect(formatDateTime(d.getTime(), true)).toBe('2024-03-05 07:08:09');
    expect(formatDateTime(Number.NaN)).toBe('–');
  });

  it('parses RFC 3339 and refuses the rest', () => {
    expect(parseTime('2024-03-05T07:08:09.000Z')).toBe(Date.UTC(2024, 2, 5, 7, 8, 9));
    expect(parseTime('')).toBeNaN();
    expect(parseTime(null)).toBeNaN();
    expect(parseTime('yesterday')).toBeNaN();
  });
});
