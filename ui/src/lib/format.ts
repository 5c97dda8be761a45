// Formatting of sizes, dates and counts for the tables and dialogs. Pure; the
// locale is a parameter.

const UNITS = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/**
 * Human-readable size with 1024-based units, as the OSS console shows them:
 * "0 B", "999 B", "1.0 KB", "12.3 MB", "140 GB". One decimal below 100, none above.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  // Round first so that 1023.96 KB becomes "1.0 MB", not "1024.0 KB".
  while (unit < UNITS.length - 1 && Number(value.toFixed(value < 100 ? 1 : 0)) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

/** "1,234,567 bytes" style grouping for exact numbers. */
export function formatCount(n: number, locale: string): string {
  return n.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-US');
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall time "2026-05-01 14:03", or with seconds. Locale-neutral and fast enough for list rows. */
export function formatDateTime(ms: number, withSeconds = false): string {
  if (!Number.isFinite(ms)) return '–';
  const d = new Date(ms);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${base}:${pad(d.getSeconds())}` : base;
}

/** Parses an RFC 3339 / ISO 8601 time; NaN when it is not one. */
export function parseTime(text: string | null | undefined): number {
  return text ? Date.parse(text) : Number.NaN;
}
