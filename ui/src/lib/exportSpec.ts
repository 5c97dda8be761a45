// URL-list export: turning the dialog's fields into the `export_*` command
// arguments. Pure; the Rust side signs, filters and writes the CSV.
import type { ExportOptions, ExportSpec, LinkDomain } from './api';

/** The CSV columns the Rust side writes, in order (shown in the dialog). */
export const CSV_COLUMNS = ['key', 'url', 'method', 'expires_at', 'size', 'last_modified', 'etag'] as const;

/** What to export: the selection (files, and folders with all they hold), or a whole folder. */
export type ExportScope =
  | { kind: 'selection'; keys: readonly string[]; folders: readonly string[] }
  | { kind: 'folder'; prefix: string; recursive: boolean };

/**
 * Glob patterns typed into a filter box: one per line or comma-separated,
 * trimmed, blanks and duplicates dropped, order kept.
 */
export function parsePatterns(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/[\n,]/)) {
    const pattern = raw.trim();
    if (pattern !== '') seen.add(pattern);
  }
  return [...seen];
}

export type PatternProblem = { pattern: string; reason: 'unclosedBracket' };

/**
 * The first pattern that is not a valid glob (`*`, `?`, `[abc]`, `[a-z]`,
 * `[!a]`; a `]` first in a class is a member, `\` escapes), or null.
 */
export function findPatternProblem(patterns: readonly string[]): PatternProblem | null {
  for (const pattern of patterns) {
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i] === '\\') {
        i += 1;
        continue;
      }
      if (pattern[i] !== '[') continue;
      let j = i + 1;
      if (pattern[j] === '!' || pattern[j] === '^') j += 1;
      // A ']' right after the opening (or its negation) is a literal member.
      if (pattern[j] === ']') j += 1;
      while (j < pattern.length && pattern[j] !== ']') j += 1;
      if (j >= pattern.length) return { pattern, reason: 'unclosedBracket' };
      i = j;
    }
  }
  return null;
}

export function buildExportSpec(bucket: string, scope: ExportScope, includeText: string, excludeText: string): ExportSpec {
  const include = parsePatterns(includeText);
  const exclude = parsePatterns(excludeText);
  if (scope.kind === 'selection') {
    return { bucket, keys: [...scope.keys], folders: [...scope.folders], recursive: false, include, exclude };
  }
  return { bucket, prefix: scope.prefix, recursive: scope.recursive, include, exclude };
}

export function buildExportOptions(
  expiresSecs: number,
  https: boolean,
  excelBom: boolean,
  domain: LinkDomain,
  rawValues: boolean,
): ExportOptions {
  return { expiresSecs, https, excelBom, domain, rawValues };
}

/** A stable string for a spec, to tell whether a preview still matches the fields. */
export function specFingerprint(spec: ExportSpec): string {
  return JSON.stringify([spec.bucket, spec.keys ?? null, spec.folders ?? null, spec.prefix ?? null, spec.recursive, spec.include, spec.exclude]);
}

/** Percentage 0..100 for a progress bar; 0 when the total is unknown. */
export function percent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}
