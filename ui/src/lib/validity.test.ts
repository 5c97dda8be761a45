import { describe, expect, it } from 'vitest';
import {
  DESKTOP_RANGE,
  PRESETS,
  UNIT_SECONDS,
  expiryAt,
  formatDuration,
  formatLocal,
  formatUtc,
  parseCustom,
  resolveChoice,
  validateSeconds,
} from './validity';

describe('presets', () => {
  it('are 1 min, 15 min, 1 h, 3 h and 9 h', () => {
    expect(PRESETS.map((p) => p.seconds)).toEqual([60, 900, 3600, 10800, 32400]);
    expect(PRESETS.map((p) => p.label)).toEqual(['1 min', '15 min', '1 h', '3 h', '9 h']);
  });

  it('are all valid in the desktop range', () => {
    for (const preset of PRESETS) {
      expect(validateSeconds(preset.seconds)).toEqual({ ok: true, seconds: preset.seconds });
      expect(resolveChoice({ mode: 'preset', seconds: preset.seconds })).toEqual({ ok: true, seconds: preset.seconds });
    }
  });

  it('uses the desktop range 60..=32400', () => {
    expect(DESKTOP_RANGE).toEqual({ min: 60, max: 32400 });
  });
});

describe('custom units', () => {
  it('converts seconds, minutes and hours to seconds', () => {
    expect(UNIT_SECONDS).toEqual({ seconds: 1, minutes: 60, hours: 3600 });
    expect(parseCustom('90', 'seconds')).toEqual({ ok: true, seconds: 90 });
    expect(parseCustom('45', 'minutes')).toEqual({ ok: true, seconds: 2700 });
    expect(parseCustom('2', 'hours')).toEqual({ ok: true, seconds: 7200 });
    expect(parseCustom(' 15 ', 'minutes')).toEqual({ ok: true, seconds: 900 });
  });

  it('resolves a custom choice', () => {
    expect(resolveChoice({ mode: 'custom', amount: '3', unit: 'hours' })).toEqual({ ok: true, seconds: 10800 });
  });
});

describe('boundaries', () => {
  it('refuses 59 s with a message naming the allowed range', () => {
    expect(parseCustom('59', 'seconds')).toEqual({
      ok: false,
      message: 'Validity must be between 60 seconds and 9 hours (32400 s); 59 s is too short.',
    });
  });

  it('accepts exactly 60 s and exactly 32400 s', () => {
    expect(parseCustom('60', 'seconds')).toEqual({ ok: true, seconds: 60 });
    expect(parseCustom('1', 'minutes')).toEqual({ ok: true, seconds: 60 });
    expect(parseCustom('32400', 'seconds')).toEqual({ ok: true, seconds: 32400 });
    expect(parseCustom('540', 'minutes')).toEqual({ ok: true, seconds: 32400 });
    expect(parseCustom('9', 'hours')).toEqual({ ok: true, seconds: 32400 });
  });

  it('refuses 32401 s and never clamps', () => {
    expect(parseCustom('32401', 'seconds')).toEqual({
      ok: false,
      message: 'Validity must be between 60 seconds and 9 hours (32400 s); 32401 s is too long.',
    });
    expect(validateSeconds(32401).ok).toBe(false);
    expect(validateSeconds(59).ok).toBe(false);
  });

  it('names the value in the unit it was typed in', () => {
    expect(parseCustom('10', 'hours')).toEqual({
      ok: false,
      message: 'Validity must be between 60 seconds and 9 hours (32400 s); 10 h (36000 s) is too long.',
    });
    const zero = parseCustom('0', 'minutes');
    expect(zero.ok).toBe(false);
    if (!zero.ok) expect(zero.message).toContain('0 min (0 s) is too short');
  });

  it('follows a different range, e.g. what app_info reports for OSS itself', () => {
    const core = { min: 1, max: 604800 };
    expect(parseCustom('1', 'seconds', core)).toEqual({ ok: true, seconds: 1 });
    expect(parseCustom('168', 'hours', core)).toEqual({ ok: true, seconds: 604800 });
    const tooLong = parseCustom('169', 'hours', core);
    expect(tooLong).toEqual({
      ok: false,
      message: 'Validity must be between 1 second and 168 hours (604800 s); 169 h (608400 s) is too long.',
    });
  });
});

describe('garbage input', () => {
  it('refuses empty and blank input', () => {
    for (const text of ['', '   ']) {
      const result = parseCustom(text, 'minutes');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('between 60 seconds and 9 hours');
    }
  });

  it.each(['1.5', '1,5', '-5', '+5', '1e3', '0x10', 'abc', '5 min', '٣', 'NaN', 'Infinity'])(
    'refuses %j as not a whole number',
    (text) => {
      const result = parseCustom(text, 'minutes');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/is not a whole number of minutes\.$/);
    },
  );

  it('shortens very long garbage in the message', () => {
    const result = parseCustom('x'.repeat(200), 'seconds');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(80);
  });

  it('refuses numbers too large to be exact', () => {
    const result = parseCustom('9'.repeat(30), 'hours');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('far too large');
  });

  it('refuses non-integer and non-finite seconds', () => {
    for (const n of [60.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = validateSeconds(n);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('whole number of seconds');
    }
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(59)).toBe('59 seconds');
    expect(formatDuration(60)).toBe('1 minute');
    expect(formatDuration(900)).toBe('15 minutes');
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(5430)).toBe('1 hour 30 minutes 30 seconds');
    expect(formatDuration(32400)).toBe('9 hours');
    expect(formatDuration(0)).toBe('0 seconds');
  });
});

describe('expiry with a fixed clock', () => {
  const now = new Date('2026-11-21T13:00:00.000Z');

  it('formats UTC as ISO 8601 without milliseconds', () => {
    expect(formatUtc(new Date('2026-11-21T14:00:00.999Z'))).toBe('2026-11-21T14:00:00Z');
    expect(formatUtc(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05Z');
  });

  it('gives the exact expiry for each preset', () => {
    expect(expiryAt(60, now, 0).utc).toBe('2026-11-21T13:01:00Z');
    expect(expiryAt(900, now, 0).utc).toBe('2026-11-21T13:15:00Z');
    expect(expiryAt(3600, now, 0).utc).toBe('2026-11-21T14:00:00Z');
    expect(expiryAt(10800, now, 0).utc).toBe('2026-11-21T16:00:00Z');
    expect(expiryAt(32400, now, 0).utc).toBe('2026-11-21T22:00:00Z');
  });

  it('truncates "now" to the whole second, like the signing time', () => {
    const expiry = expiryAt(3600, new Date('2026-11-21T13:00:00.900Z'), 0);
    expect(expiry.at.toISOString()).toBe('2026-11-21T14:00:00.000Z');
  });

  it('formats local time with an explicit offset', () => {
    expect(expiryAt(3600, now, 60)).toEqual({
      at: new Date('2026-11-21T14:00:00Z'),
      local: 'Sat 21 Nov 2026, 15:00:00 (UTC+01:00)',
      utc: '2026-11-21T14:00:00Z',
    });
    expect(formatLocal(new Date('2026-11-21T14:00:00Z'), 0)).toBe('Sat 21 Nov 2026, 14:00:00 (UTC+00:00)');
    // Half-hour zone, and a zone west of UTC where the date is still the day before.
    expect(formatLocal(new Date('2026-11-21T22:00:00Z'), 330)).toBe('Sun 22 Nov 2026, 03:30:00 (UTC+05:30)');
    expect(formatLocal(new Date('2026-11-21T03:00:00Z'), -300)).toBe('Fri 20 Nov 2026, 22:00:00 (UTC-05:00)');
  });

  it("uses the machine's offset by default", () => {
    const at = new Date('2026-07-01T12:00:00Z');
    const offset = -at.getTimezoneOffset();
    expect(formatLocal(at)).toBe(formatLocal(at, offset));
    const wall = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}:00`;
    expect(formatLocal(at)).toContain(wall);
  });
});
