// QR codes for share links, made on this computer (no network): an SVG as a
// data: URI, which the CSP allows for images.
import qrcode from 'qrcode-generator';

export interface QrImage {
  /** data:image/svg+xml URI. */
  src: string;
  /** Modules per side, quiet zone excluded. */
  modules: number;
}

/**
 * The QR code for `text` with error correction level L (long presigned URLs
 * need the capacity), or null when the text does not fit in a version-40 code.
 */
export function qrSvg(text: string, margin = 4): QrImage | null {
  const code = qrcode(0, 'L');
  try {
    code.addData(text, 'Byte');
    code.make();
  } catch {
    return null;
  }
  const n = code.getModuleCount();
  const size = n + margin * 2;
  let path = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!code.isDark(row, col)) continue;
      // Merge runs of dark modules in a row into one rectangle.
      let end = col;
      while (end + 1 < n && code.isDark(row, end + 1)) end++;
      path += `M${col + margin} ${row + margin}h${end - col + 1}v1h${-(end - col + 1)}z`;
      col = end;
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  return { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, modules: n };
}
