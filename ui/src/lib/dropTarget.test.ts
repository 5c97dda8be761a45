import { describe, expect, it } from 'vitest';
import { dropTarget, toCssPoint, type RowBox } from './dropTarget';

const row = (key: string, top: number): RowBox => ({ key, kind: key.endsWith('/') ? 'folder' : 'file', top, bottom: top + 34, left: 100, right: 900 });
const rows = [row('photos/2023/', 200), row('photos/2024/', 234), row('photos/cover.jpg', 268)];
const viewport = { top: 180, bottom: 500, left: 100, right: 900 };

describe('drop target', () => {
  it('converts physical pixels to CSS pixels', () => {
    expect(toCssPoint({ x: 300, y: 500 }, 2)).toEqual({ x: 150, y: 250 });
    expect(toCssPoint({ x: 300, y: 500 }, 0)).toEqual({ x: 300, y: 500 });
  });

  it('is the folder row under the pointer', () => {
    expect(dropTarget({ x: 400, y: 240 }, rows, 'photos/', viewport)).toEqual({ prefix: 'photos/2024/', rowKey: 'photos/2024/' });
    expect(dropTarget({ x: 400, y: 200 }, rows, 'photos/', viewport)).toEqual({ prefix: 'photos/2023/', rowKey: 'photos/2023/' });
  });

  it('is the folder shown over a file row, empty space or outside the list', () => {
    expect(dropTarget({ x: 400, y: 270 }, rows, 'photos/', viewport)).toEqual({ prefix: 'photos/', rowKey: null });
    expect(dropTarget({ x: 400, y: 450 }, rows, 'photos/', viewport)).toEqual({ prefix: 'photos/', rowKey: null });
    expect(dropTarget({ x: 50, y: 240 }, rows, '', viewport)).toEqual({ prefix: '', rowKey: null });
  });

  it('ignores the part of a row scrolled out of the list', () => {
    const half = [row('a/', 160)];
    expect(dropTarget({ x: 400, y: 170 }, half, '', viewport)).toEqual({ prefix: '', rowKey: null });
    expect(dropTarget({ x: 400, y: 185 }, half, '', viewport)).toEqual({ prefix: 'a/', rowKey: 'a/' });
  });
});
