// "An object with this name exists": which names clash, the answers asked one
// by one (with "apply to all"), and the requests they turn into. Pure.
import type { ConflictPolicy } from './api';
import { baseName } from './transfers';

export type Choice = 'overwrite' | 'skip' | 'rename';

/**
 * The paths whose name exists already. `existing` holds the names in the
 * target: files as "name", folders as "name/". A dragged path may be either.
 */
export function findConflicts(paths: readonly string[], existing: ReadonlySet<string>): string[] {
  return paths.filter((path) => {
    const name = baseName(path);
    return existing.has(name) || existing.has(`${name}/`);
  });
}

export interface ConflictQuestions {
  /** Every conflicting path, in order. */
  paths: readonly string[];
  /** Answers given so far, by path. */
  answers: ReadonlyMap<string, Choice>;
}

export function startQuestions(paths: readonly string[]): ConflictQuestions {
  return { paths, answers: new Map() };
}

/** The path asked about now, or null when all are answered. */
export function currentQuestion(q: ConflictQuestions): string | null {
  return q.paths.find((p) => !q.answers.has(p)) ?? null;
}

/** How many are still unanswered, the current one included. */
export function remaining(q: ConflictQuestions): number {
  return q.paths.filter((p) => !q.answers.has(p)).length;
}

/** Answers the current question, or every one left with `applyToAll`. */
export function answer(q: ConflictQuestions, choice: Choice, applyToAll: boolean): ConflictQuestions {
  const answers = new Map(q.answers);
  for (const path of q.paths) {
    if (answers.has(path)) continue;
    answers.set(path, choice);
    if (!applyToAll) break;
  }
  return { paths: q.paths, answers };
}

export interface PolicyGroup {
  policy: ConflictPolicy;
  paths: string[];
}

/**
 * One request per policy: the paths without a clash go with `fail` (never
 * overwrite unasked), the others with their answer. Empty groups are left out.
 */
export function groupByPolicy(all: readonly string[], answers: ReadonlyMap<string, Choice>): PolicyGroup[] {
  const order: ConflictPolicy[] = ['fail', 'overwrite', 'rename', 'skip'];
  const groups = new Map<ConflictPolicy, string[]>(order.map((p) => [p, []]));
  for (const path of all) groups.get(answers.get(path) ?? 'fail')?.push(path);
  return order.filter((p) => (groups.get(p) ?? []).length > 0).map((policy) => ({ policy, paths: groups.get(policy) ?? [] }));
}

/** What `rename` makes of `name`: "photo (1).jpg", "notes (1)" (the engine picks the first free number). */
export function renamedName(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (1)${name.slice(dot)}` : `${name} (1)`;
}
