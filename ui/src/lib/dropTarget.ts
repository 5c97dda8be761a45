// Where files dragged from the OS land: the folder row under the pointer, or
// the folder shown. Pure: the component passes the row boxes it measured.

export interface Point {
  x: number;
  y: number;
}

/** A row of the object list as measured on screen (CSS pixels). */
export interface RowBox {
  key: string;
  kind: 'folder' | 'file';
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface DropTarget {
  /** The prefix the files are uploaded into. */
  prefix: string;
  /** The folder row highlighted, or null when they land in the folder shown. */
  rowKey: string | null;
}

/** Tauri reports drag positions in physical pixels; the DOM uses CSS pixels. */
export function toCssPoint(position: Point, devicePixelRatio: number): Point {
  const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  return { x: position.x / ratio, y: position.y / ratio };
}

const inside = (p: Point, b: Box): boolean => p.x >= b.left && p.x < b.right && p.y >= b.top && p.y < b.bottom;

/**
 * The target for a drop at `point`: a folder row under it (only the part of
 * the row inside `viewport`, when given), else the shown folder `prefix`.
 */
export function dropTarget(point: Point, rows: readonly RowBox[], prefix: string, viewport?: Box | null): DropTarget {
  if (!viewport || inside(point, viewport)) {
    for (const row of rows) {
      if (row.kind === 'folder' && inside(point, row)) return { prefix: row.key, rowKey: row.key };
    }
  }
  return { prefix, rowKey: null };
}
