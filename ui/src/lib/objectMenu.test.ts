import { describe, expect, it } from 'vitest';
import { itemsFor, objectMenuItems, ossPaths, runItem, type ObjectActions } from './objectMenu';
import { fileEntry, folderEntry, type Entry, type FileEntry } from './sort';

const file = (key: string): FileEntry => fileEntry({ key, size: 1, lastModified: null, etag: '"e"', storageClass: null, state: { state: 'readable' } }, '');
const folder = folderEntry('photos/', '');

function recorder(extra: Partial<ObjectActions> = {}) {
  const calls: string[] = [];
  const note = (what: string) => (arg: unknown) => calls.push(`${what}:${JSON.stringify(Array.isArray(arg) ? arg.map((e: Entry) => e.key) : (arg as Entry).key)}`);
  const actions: ObjectActions = {
    share: note('share'),
    copyLinks: note('copyLinks'),
    copyPaths: note('copyPaths'),
    download: note('download'),
    delete: note('delete'),
    properties: note('properties'),
    ...extra,
  };
  return { actions, calls };
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('the object menu', () => {
  it('one file: every base action, in order', () => {
    const items = objectMenuItems(recorder().actions);
    expect(ids(itemsFor(items, [file('a.txt')]))).toEqual(['share', 'copyUrl', 'copyPath', 'download', 'delete', 'properties']);
  });

  it('a folder: no Share and no Copy URL (links are for files)', () => {
    const items = objectMenuItems(recorder().actions);
    expect(ids(itemsFor(items, [folder]))).toEqual(['copyPath', 'download', 'delete', 'properties']);
  });

  it('several: no Share; Copy URL gets the files only', () => {
    const { actions, calls } = recorder();
    const items = objectMenuItems(actions);
    const selected = [file('a.txt'), folder, file('b.txt')];
    expect(ids(itemsFor(items, selected))).toEqual(['copyUrl', 'copyPath', 'download', 'delete', 'properties']);
    expect(runItem(items, 'copyUrl', selected)).toBe(true);
    expect(calls).toEqual(['copyLinks:["a.txt","b.txt"]']);
  });

  it('management actions appear only when provided; rename needs exactly one entry', () => {
    expect(ids(objectMenuItems(recorder().actions))).not.toContain('rename');
    const { actions, calls } = recorder({ rename: (e) => calls.push(`rename:${e.key}`), moveTo: () => {} });
    const items = objectMenuItems(actions);
    expect(ids(itemsFor(items, [file('a.txt')]))).toEqual(['share', 'copyUrl', 'copyPath', 'download', 'rename', 'moveTo', 'delete', 'properties']);
    expect(runItem(items, 'rename', [file('a.txt'), file('b.txt')])).toBe(false);
    expect(runItem(items, 'rename', [file('a.txt')])).toBe(true);
    expect(calls).toEqual(['rename:a.txt']);
  });

  it('nothing selected: nothing to run', () => {
    const items = objectMenuItems(recorder().actions);
    expect(itemsFor(items, [])).toEqual([]);
    expect(runItem(items, 'delete', [])).toBe(false);
    expect(runItem(items, 'missing', [file('a')])).toBe(false);
  });

  it('oss:// paths, one a line', () => {
    expect(ossPaths('b', [file('x/a.txt'), folderEntry('x/y/', 'x/')])).toBe('oss://b/x/a.txt\noss://b/x/y/');
  });
});
