// Link validity: the pure logic behind the validity picker (start screen now,
// share dialog later). No DOM, no clock of its own: "now" is always a parameter.
//
// A presigned OSS URL (Signature V4) is valid for `x-oss-expires` seconds from
// its `x-oss-date`, which has whole-second precision. OSS itself accepts
// 1..=604800 s; the desktop app limits links to 60..=32400 s (1 min to 9 h).
// The Rust side owns these numbers (`app_info().validity`); the constants below
// are the same values, used until app_info has answered and in tests.

export type ValidityUnit = 'seconds' | 'minutes' | 'hours';

export const UNIT_SECONDS: Readonly<Record<ValidityUnit, number>> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
};

export const UNITS: readonly ValidityUnit[] = ['seconds', 'minutes', 'hours'];

/** Inclusive bounds, in seconds. */
export interface ValidityRange {
  min: number;
  max: number;
}

export const DESKTOP_RANGE: Readonly<ValidityRange> = { min: 60, max: 32400 };

export interface ValidityPreset {
  /** Short label for a button, e.g. "15 min". */
  label: string;
  seconds: number;
}

export const PRESETS: readonly ValidityPreset[] = [
  { label: '1 min', seconds: 60 },
  { label: '15 min', seconds: 900 },
  { label: '1 h', seconds: 3600 },
  { label: '3 h', seconds: 10800 },
  { label: '9 h', seconds: 32400 },
];

/** What the user picked: a preset, or a custom amount (kept as typed) and unit. */
export type ValidityChoice =
  | { mode: 'preset'; seconds: number }
  | { mode: 'custom'; amount: string; unit: ValidityUnit };

export const DEFAULT_CHOICE: Readonly<ValidityChoice> = { mode: 'preset', seconds: 3600 };

export type ValidityResult = { ok: true; seconds: number } | { ok: false; message: string };

export function isValidityUnit(value: unknown): value is ValidityUnit {
  return typeof value === 'string' && Object.hasOwn(UNIT_SECONDS, value);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Human duration: "59 seconds", "15 minutes", "1 hour 30 minutes", "9 hours". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(plural(h, 'hour'));
  if (m > 0) parts.push(plural(m, 'minute'));
  if (s > 0 || parts.length === 0) parts.push(plural(s, 'second'));
  return parts.join(' ');
}

/** The value as the user sees it in an error: "59 s", "10 h (36000 s)". */
function describeValue(amount: number, unit: ValidityUnit, seconds: number): string {
  if (unit === 'seconds') return `${seconds} s`;
  const short = unit === 'minutes' ? 'min' : 'h';
  return `${amount} ${short} (${seconds} s)`;
}

function rangeText(range: ValidityRange): string {
  return `between ${plural(range.min, 'second')} and ${formatDuration(range.max)} (${range.max} s)`;
}

function check(amount: number, unit: ValidityUnit, range: ValidityRange): ValidityResult {
  const seconds = amount * UNIT_SECONDS[unit];
  if (!Number.isSafeInteger(seconds)) {
    return { ok: false, message: `Validity must be ${rangeText(range)}; that number is far too large.` };
  }
  if (seconds < range.min) {
    return {
      ok: false,
      message: `Validity must be ${rangeText(range)}; ${describeValue(amount, unit, seconds)} is too short.`,
    };
  }
  if (seconds > range.max) {
    return {
      ok: false,
      message: `Validity must be ${rangeText(range)}; ${describeValue(amount, unit, seconds)} is too long.`,
    };
  }
  return { ok: true, seconds };
}

/** Validates a number of seconds against `range`. Never clamps. */
export function validateSeconds(seconds: number, range: ValidityRange = DESKTOP_RANGE): ValidityResult {
  if (!Number.isInteger(seconds)) {
    return { ok: false, message: `Validity must be a whole number of seconds ${rangeText(range)}.` };
  }
  return check(seconds, 'seconds', range);
}

/**
 * Parses a custom amount as typed ("90", " 15 ") in `unit` and validates the
 * result in seconds. Only plain whole numbers are accepted: no decimals, signs,
 * exponents or unit suffixes. Never clamps.
 */
export function parseCustom(amount: string, unit: ValidityUnit, range: ValidityRange = DESKTOP_RANGE): ValidityResult {
  const text = amount.trim();
  if (text === '') {
    return { ok: false, message: `Enter a validity ${rangeText(range)}.` };
  }
  if (!/^[0-9]+$/.test(text)) {
    return {
      ok: false,
      message: `“${text.length > 24 ? `${text.slice(0, 24)}…` : text}” is not a whole number of ${unit}.`,
    };
  }
  return check(Number(text), unit, range);
}

/** Resolves a choice (preset or custom) to a validated number of seconds. */
export function resolveChoice(choice: ValidityChoice, range: ValidityRange = DESKTOP_RANGE): ValidityResult {
  return choice.mode === 'preset' ? validateSeconds(choice.seconds, range) : parseCustom(choice.amount, choice.unit, range);
}

export interface Expiry {
  /** The instant the link stops working (whole seconds). */
  at: Date;
  /** Local wall time with its UTC offset, e.g. "Sat 21 Nov 2026, 15:00:00 (UTC+01:00)". */
  local: string;
  /** ISO 8601 in UTC, e.g. "2026-11-21T14:00:00Z". */
  utc: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2026-11-21T14:00:00Z": ISO 8601 in UTC, without milliseconds. */
export function formatUtc(at: Date): string {
  return (
    `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}` +
    `T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}Z`
  );
}

/**
 * Local wall time, e.g. "Sat 21 Nov 2026, 15:00:00 (UTC+01:00)".
 * `offsetMinutes` is east of UTC (UTC+01:00 → 60); it defaults to the
 * machine's offset at that instant, so daylight saving is honoured.
 */
export function formatLocal(at: Date, offsetMinutes: number = -at.getTimezoneOffset()): string {
  const wall = new Date(at.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${WEEKDAYS[wall.getUTCDay()]} ${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]} ${wall.getUTCFullYear()}, ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())} ` +
    `(UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`
  );
}

/**
 * When a link signed at `now` with `seconds` of validity expires. The signing
 * time has whole-second precision, so `now` is truncated to the second first.
 */
export function expiryAt(seconds: number, now: Date, offsetMinutes?: number): Expiry {
  const signedAt = Math.floor(now.getTime() / 1000) * 1000;
  const at = new Date(signedAt + seconds * 1000);
  return { at, local: formatLocal(at, offsetMinutes), utc: formatUtc(at) };
}

/**
 * Why a choice is refused, as data rather than an English sentence, so the UI
 * can say it in the user's language. `resolveChoice(...).message` is the
 * English wording of the same problem.
 */
export type ValidityProblem =
  | { code: 'empty'; range: ValidityRange }
  | { code: 'notNumber'; text: string; unit: ValidityUnit }
  | { code: 'notInteger'; range: ValidityRange }
  | { code: 'tooLarge'; range: ValidityRange }
  | { code: 'tooShort' | 'tooLong'; amount: number; unit: ValidityUnit; seconds: number; range: ValidityRange };

function problemOf(amount: number, unit: ValidityUnit, range: ValidityRange): ValidityProblem | null {
  const seconds = amount * UNIT_SECONDS[unit];
  if (!Number.isSafeInteger(seconds)) return { code: 'tooLarge', range };
  if (seconds < range.min) return { code: 'tooShort', amount, unit, seconds, range };
  if (seconds > range.max) return { code: 'tooLong', amount, unit, seconds, range };
  return null;
}

/** The problem with `choice`, or null when `resolveChoice` accepts it. Never clamps. */
export function explainChoice(choice: ValidityChoice, range: ValidityRange = DESKTOP_RANGE): ValidityProblem | null {
  if (choice.mode === 'preset') {
    if (!Number.isInteger(choice.seconds)) return { code: 'notInteger', range };
    return problemOf(choice.seconds, 'seconds', range);
  }
  const text = choice.amount.trim();
  if (text === '') return { code: 'empty', range };
  if (!/^[0-9]+$/.test(text)) {
    return { code: 'notNumber', text: text.length > 24 ? `${text.slice(0, 24)}…` : text, unit: choice.unit };
  }
  return problemOf(Number(text), choice.unit, range);
}
