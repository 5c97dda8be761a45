import { describe, expect, it } from 'vitest';
import { explainChoice, resolveChoice, type ValidityChoice } from '../validity';
import { en } from './en';
import {
  detectLocale,
  formatDurationIn,
  formatLocalIn,
  translate,
  validityProblemText,
  type Dictionary,
  type Locale,
  type MessageKey,
} from './index';
import { zh } from './zh';

describe('translate', () => {
  it('reads the dictionary of the locale', () => {
    expect(translate('en', 'common.cancel')).toBe('Cancel');
    expect(translate('zh', 'common.cancel')).toBe('取消');
  });

  it('falls back to English for a key the Chinese dictionary lacks, then to the key', () => {
    const dictionaries: Record<Locale, Dictionary> = {
      en: { 'common.cancel': 'Cancel', 'common.close': 'Close' },
      zh: { 'common.cancel': '取消' },
    };
    expect(translate('zh', 'common.cancel', undefined, dictionaries)).toBe('取消');
    expect(translate('zh', 'common.close', undefined, dictionaries)).toBe('Close');
    expect(translate('zh', 'common.done', undefined, dictionaries)).toBe('common.done');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'share.title', { name: 'a.jpg' })).toBe('Share “a.jpg”');
    expect(translate('en', 'share.title')).toBe('Share “{name}”');
  });

  it('picks singular or plural by count and groups its digits', () => {
    expect(translate('en', 'list.itemCount', { count: 1 })).toBe('1 item');
    expect(translate('en', 'list.itemCount', { count: 0 })).toBe('0 items');
    expect(translate('en', 'list.itemCount', { count: 100000 })).toBe('100,000 items');
    expect(translate('zh', 'list.itemCount', { count: 100000 })).toBe('共 100,000 项');
  });

  it('has a Chinese text for every English key, each with the same placeholders', () => {
    const placeholders = (m: unknown) =>
      JSON.stringify(m)
        .match(/\{\w+\}/g)
        ?.filter((p, i, all) => all.indexOf(p) === i)
        .sort() ?? [];
    for (const key of Object.keys(en) as MessageKey[]) {
      expect(zh[key], key).toBeDefined();
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
    expect(Object.keys(zh).filter((k) => !(k in en))).toEqual([]);
  });
});

describe('detectLocale', () => {
  it('follows the first English or Chinese preference', () => {
    expect(detectLocale(['zh-CN', 'en'])).toBe('zh');
    expect(detectLocale(['zh'])).toBe('zh');
    expect(detectLocale(['zh-TW'])).toBe('zh');
    expect(detectLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(detectLocale(['fr-FR', 'zh-CN'])).toBe('zh');
    expect(detectLocale(['de'])).toBe('en');
    expect(detectLocale([])).toBe('en');
    expect(detectLocale(undefined)).toBe('en');
  });
});

describe('durations and local times', () => {
  it('says durations in both languages', () => {
    expect(formatDurationIn('en', 5430)).toBe('1 hour 30 minutes 30 seconds');
    expect(formatDurationIn('zh', 5430)).toBe('1 小时 30 分钟 30 秒');
    expect(formatDurationIn('zh', 0)).toBe('0 秒');
    expect(formatDurationIn('zh', 32400)).toBe('9 小时');
  });

  it('writes local times with the offset', () => {
    const at = new Date('2026-11-21T14:00:00Z');
    expect(formatLocalIn('en', at, 60)).toBe('Sat 21 Nov 2026, 15:00:00 (UTC+01:00)');
    expect(formatLocalIn('zh', at, 480)).toBe('2026年11月21日 周六 22:00:00 (UTC+08:00)');
    expect(formatLocalIn('zh', at, -300)).toBe('2026年11月21日 周六 09:00:00 (UTC-05:00)');
  });
});

describe('validity messages', () => {
  const choices: ValidityChoice[] = [
    { mode: 'custom', amount: '59', unit: 'seconds' },
    { mode: 'custom', amount: '32401', unit: 'seconds' },
    { mode: 'custom', amount: '10', unit: 'hours' },
    { mode: 'custom', amount: '0', unit: 'minutes' },
    { mode: 'custom', amount: '', unit: 'minutes' },
    { mode: 'custom', amount: '1.5', unit: 'minutes' },
    { mode: 'custom', amount: 'x'.repeat(200), unit: 'seconds' },
    { mode: 'custom', amount: '9'.repeat(30), unit: 'hours' },
    { mode: 'preset', seconds: 60.5 },
    { mode: 'preset', seconds: 59 },
  ];

  it('in English are exactly the messages of resolveChoice', () => {
    for (const choice of choices) {
      const result = resolveChoice(choice);
      const problem = explainChoice(choice);
      expect(result.ok).toBe(false);
      expect(problem).not.toBeNull();
      if (!result.ok && problem) expect(validityProblemText('en', problem)).toBe(result.message);
    }
    const core = { min: 1, max: 604800 };
    const choice: ValidityChoice = { mode: 'custom', amount: '169', unit: 'hours' };
    const result = resolveChoice(choice, core);
    const problem = explainChoice(choice, core);
    if (!result.ok && problem) expect(validityProblemText('en', problem)).toBe(result.message);
  });

  it('has no problem exactly when resolveChoice accepts', () => {
    for (const choice of [...choices, { mode: 'custom', amount: '120', unit: 'seconds' } as ValidityChoice, { mode: 'preset', seconds: 900 } as ValidityChoice]) {
      expect(explainChoice(choice) === null).toBe(resolveChoice(choice).ok);
    }
  });

  it('in Chinese name the range and the value', () => {
    const short = explainChoice({ mode: 'custom', amount: '59', unit: 'seconds' });
    const long = explainChoice({ mode: 'custom', amount: '10', unit: 'hours' });
    expect(short && validityProblemText('zh', short)).toBe('有效期必须介于 60 秒与 9 小时（32400 秒）之间；59 秒太短。');
    expect(long && validityProblemText('zh', long)).toBe('有效期必须介于 60 秒与 9 小时（32400 秒）之间；10 小时（36000 秒）太长。');
  });
});
