// OSS storage classes as people read them: "Standard" → 标准存储 in Chinese. OSS's own names
// stay the values sent and stored; only labels are translated. Pure.
import type { MessageKey } from './i18n';

/** The storage classes OSS documents, by their API names. */
export const STORAGE_CLASS_NAMES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;

type Translate = (key: MessageKey) => string;

/** The label of a storage class; an unknown one as OSS names it, none as "–". */
export function storageClassLabel(storageClass: string | null | undefined, translate: Translate): string {
  if (!storageClass) return '–';
  const known = STORAGE_CLASS_NAMES.find((name) => name.toLowerCase() === storageClass.toLowerCase());
  return known ? translate(`storageClass.${known}`) : storageClass;
}
