import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { STORAGE_CLASS_NAMES, storageClassLabel } from './storageClass';

describe('storage class labels', () => {
  const zh = (key: Parameters<typeof translate>[1]) => translate('zh', key);
  const en = (key: Parameters<typeof translate>[1]) => translate('en', key);

  it('are translated for every documented class, in either letter case', () => {
    expect(storageClassLabel('Standard', zh)).toBe('标准存储');
    expect(storageClassLabel('STANDARD', zh)).toBe('标准存储');
    expect(storageClassLabel('IA', en)).toBe('Infrequent Access');
    for (const name of STORAGE_CLASS_NAMES) {
      expect(storageClassLabel(name, zh), name).not.toBe(storageClassLabel(name, en));
    }
  });

  it('keep an unknown class as OSS names it and show a dash for none', () => {
    expect(storageClassLabel('FutureClass', zh)).toBe('FutureClass');
    expect(storageClassLabel(null, zh)).toBe('–');
    expect(storageClassLabel(undefined, en)).toBe('–');
  });
});
