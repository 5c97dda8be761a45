// A small typed dictionary: `translate(locale, 'key', params)`. English is
// complete and defines the keys; Chinese may leave a key out, and then the
// English text is shown. Components use `t()` from ./locale.svelte.ts.
import {
  DESKTOP_RANGE,
  formatDuration,
  formatLocal,
  type ValidityProblem,
  type ValidityRange,
  type ValidityUnit,
} from '../validity';
import { en } from './en';
import { zh } from './zh';

export type Locale = 'en' | 'zh';
export const LOCALES: readonly Locale[] = ['en', 'zh'];

/** A message, or its singular and plural forms (chosen by the `count` parameter). */
export type Message = string | { one: string; other: string };
export type MessageKey = keyof typeof en;
export type Dictionary = Partial<Record<MessageKey, Message>>;
export type Params = Record<string, string | number>;

export const DICTIONARIES: Readonly<Record<Locale, Dictionary>> = { en, zh };

/** The UI language for the browser's preferred languages: any Chinese variant → 'zh', else 'en'. */
export function detectLocale(languages: readonly string[] | undefined): Locale {
  for (const language of languages ?? []) {
    const tag = language.toLowerCase();
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Groups digits: 100000 → "100,000". */
export function formatNumber(locale: Locale, n: number): string {
  return n.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-US');
}

/**
 * The message for `key` in `locale`, falling back to English and then to the
 * key itself. `{name}` placeholders take `params`; a numeric `count` picks the
 * plural form and is shown with digit grouping.
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Params,
  dictionaries: Readonly<Record<Locale, Dictionary>> = DICTIONARIES,
): string {
  const message = dictionaries[locale][key] ?? dictionaries.en[key] ?? key;
  const count = params?.count;
  const text = typeof message === 'string' ? message : count === 1 ? message.one : message.other;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return name === 'count' && typeof value === 'number' ? formatNumber(locale, value) : String(value);
  });
}

// ------------------------------------------------------------ durations and times

const ZH_UNITS = ['小时', '分钟', '秒'];

/** "1 hour 30 minutes" / "1 小时 30 分钟". */
export function formatDurationIn(locale: Locale, seconds: number): string {
  if (locale === 'en') return formatDuration(seconds);
  const parts = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const out: string[] = [];
  parts.forEach((n, i) => {
    if (n > 0 || (i === 2 && out.length === 0)) out.push(`${n} ${ZH_UNITS[i]}`);
  });
  return out.join(' ');
}

const ZH_WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall time with its UTC offset, e.g. "Sat 21 Nov 2026, 15:00:00 (UTC+01:00)" / "2026年11月21日 周六 15:00:00 (UTC+01:00)". */
export function formatLocalIn(locale: Locale, at: Date, offsetMinutes: number = -at.getTimezoneOffset()): string {
  if (locale === 'en') return formatLocal(at, offsetMinutes);
  const wall = new Date(at.getTime() + offsetMinutes * 60_000);
  const abs = Math.abs(offsetMinutes);
  return (
    `${wall.getUTCFullYear()}年${wall.getUTCMonth() + 1}月${wall.getUTCDate()}日 ${ZH_WEEKDAYS[wall.getUTCDay()]} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())} ` +
    `(UTC${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`
  );
}

// ------------------------------------------------------------ validity messages

function rangeText(locale: Locale, range: ValidityRange): string {
  return translate(locale, 'validity.range', {
    min: translate(locale, 'validity.seconds', { count: range.min }),
    max: formatDurationIn(locale, range.max),
    maxSeconds: range.max,
  });
}

function valueText(locale: Locale, amount: number, unit: ValidityUnit, seconds: number): string {
  if (unit === 'seconds') return translate(locale, 'validity.valueSeconds', { seconds });
  const short = translate(locale, unit === 'minutes' ? 'unit.short.minutes' : 'unit.short.hours');
  return translate(locale, 'validity.valueInUnit', { amount, short, seconds });
}

/**
 * Why a validity is refused, in `locale`. In English this is exactly the
 * `message` of `resolveChoice` for the same input.
 */
export function validityProblemText(locale: Locale, problem: ValidityProblem): string {
  switch (problem.code) {
    case 'empty':
      return translate(locale, 'validity.empty', { range: rangeText(locale, problem.range) });
    case 'notNumber':
      return translate(locale, 'validity.notNumber', {
        text: problem.text,
        unit: translate(locale, `unit.${problem.unit}`),
      });
    case 'notInteger':
      return translate(locale, 'validity.notInteger', { range: rangeText(locale, problem.range) });
    case 'tooLarge':
      return translate(locale, 'validity.tooLarge', { range: rangeText(locale, problem.range) });
    case 'tooShort':
    case 'tooLong':
      return translate(locale, problem.code === 'tooShort' ? 'validity.tooShort' : 'validity.tooLong', {
        range: rangeText(locale, problem.range ?? DESKTOP_RANGE),
        value: valueText(locale, problem.amount, problem.unit, problem.seconds),
      });
  }
}
