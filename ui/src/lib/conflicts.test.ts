import { describe, expect, it } from 'vitest';
import { answer, currentQuestion, findConflicts, groupByPolicy, remaining, renamedName, startQuestions } from './conflicts';

describe('conflicts', () => {
  it('finds dropped files and folders whose names exist', () => {
    const existing = new Set(['a.jpg', 'docs/', 'notes.md']);
    expect(findConflicts(['/x/a.jpg', '/x/docs', '/x/b.jpg', 'C:\\y\\notes.md'], existing)).toEqual(['/x/a.jpg', '/x/docs', 'C:\\y\\notes.md']);
    expect(findConflicts(['/x/b.jpg'], existing)).toEqual([]);
  });

  it('asks one by one', () => {
    let q = startQuestions(['/a', '/b', '/c']);
    expect(currentQuestion(q)).toBe('/a');
    expect(remaining(q)).toBe(3);
    q = answer(q, 'skip', false);
    expect(currentQuestion(q)).toBe('/b');
    q = answer(q, 'rename', false);
    q = answer(q, 'overwrite', false);
    expect(currentQuestion(q)).toBeNull();
    expect([...q.answers]).toEqual([['/a', 'skip'], ['/b', 'rename'], ['/c', 'overwrite']]);
  });

  it('"apply to all" answers every remaining question', () => {
    let q = startQuestions(['/a', '/b', '/c']);
    q = answer(q, 'skip', false);
    q = answer(q, 'overwrite', true);
    expect(remaining(q)).toBe(0);
    expect(q.answers.get('/c')).toBe('overwrite');
    expect(q.answers.get('/a')).toBe('skip');
  });

  it('groups into one request per policy; no clash goes with fail', () => {
    const answers = new Map([['/a', 'overwrite'], ['/c', 'skip'], ['/d', 'overwrite']] as const);
    expect(groupByPolicy(['/a', '/b', '/c', '/d'], answers)).toEqual([
      { policy: 'fail', paths: ['/b'] },
      { policy: 'overwrite', paths: ['/a', '/d'] },
      { policy: 'skip', paths: ['/c'] },
    ]);
    expect(groupByPolicy([], new Map())).toEqual([]);
  });

  it('shows what a rename makes', () => {
    expect(renamedName('photo.jpg')).toBe('photo (1).jpg');
    expect(renamedName('notes')).toBe('notes (1)');
    expect(renamedName('.env')).toBe('.env (1)');
  });
});
