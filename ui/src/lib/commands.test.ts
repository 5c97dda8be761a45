// The IPC commands are one set in three places: registered in the shell (generate_handler! in
// src-tauri/src/lib.rs), invoked in api.ts, and answered by the flows' fake backend.
import { describe, expect, it } from 'vitest';
import shellSource from '../../../src-tauri/src/lib.rs?raw';
import apiSource from './api.ts?raw';
import mockSource from '../../flows/mock/fake-backend.ts?raw';

/** The last path segment of each entry of `tauri::generate_handler![...]`. */
function registered(rust: string): Set<string> {
  const list = /generate_handler!\[([^\]]*)\]/.exec(rust)?.[1] ?? '';
  return new Set(
    list
      .split(',')
      .map((entry) => entry.trim().split('::').pop() ?? '')
      .filter((name) => name !== ''),
  );
}

/** Each `call('name', …)` (or `call<T>('name', …)`). */
function invoked(ts: string): Set<string> {
  return new Set([...ts.matchAll(/\bcall(?:<[^>]*>)?\(\s*'([a-z_]+)'/g)].map((m) => m[1]));
}

/** Each `case 'name':` of the fake backend's dispatch. */
function answered(ts: string): Set<string> {
  return new Set([...ts.matchAll(/\bcase '([a-z_]+)':/g)].map((m) => m[1]));
}

/** One line per command missing from some of the places, naming where it is and where not. */
function differences(places: Record<string, Set<string>>): string[] {
  const all = new Set(Object.values(places).flatMap((names) => [...names]));
  const lines: string[] = [];
  for (const name of [...all].sort()) {
    const missing = Object.keys(places).filter((place) => !places[place].has(name));
    if (missing.length > 0) {
      const present = Object.keys(places).filter((place) => places[place].has(name));
      lines.push(`${name}: in ${present.join(', ')}; not in ${missing.join(', ')}`);
    }
  }
  return lines;
}

describe('IPC command names', () => {
  it('are the same set in the shell, api.ts and the fake backend', () => {
    const places = {
      'src-tauri/src/lib.rs': registered(shellSource),
      'ui/src/lib/api.ts': invoked(apiSource),
      'ui/flows/mock/fake-backend.ts': answered(mockSource),
    };
    expect(places['src-tauri/src/lib.rs'].size).toBeGreaterThan(30);
    expect(differences(places)).toEqual([]);
  });

  it('are read from each source and their differences named', () => {
    const rust = 'tauri::generate_handler![\n  commands::app_info,\n  commands::browse::bucket_list,\n]';
    expect([...registered(rust)]).toEqual(['app_info', 'bucket_list']);
    expect([...invoked("call('app_info'); call<Foo>('object_details', { a });")]).toEqual(['app_info', 'object_details']);
    expect([...answered("case 'app_info':\n case 'x_y': {")]).toEqual(['app_info', 'x_y']);
    expect(
      differences({ shell: new Set(['a', 'b']), api: new Set(['a']), mock: new Set(['a', 'c']) }),
    ).toEqual(['b: in shell; not in api, mock', 'c: in mock; not in shell, api']);
  });
});
