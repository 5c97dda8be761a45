// How a text preview is shown: Markdown rendered to safe HTML, JSON pretty-printed, CSV as a
// table, anything else as plain text. Pure. The Markdown renderer escapes every character of the
// source first and only then adds its own tags, so a document can never bring a script, an
// event handler or a remote image into the web view: images become their alt text and links
// become text with the address as a tooltip.

import type { TextPreview } from './bindings';

export type TextFormat = 'markdown' | 'json' | 'csv' | 'plain';

/** Rows a CSV preview shows. */
export const CSV_ROWS_SHOWN = 200;

export function textFormat(key: string, contentType: string | null): TextFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const extension = key.toLowerCase().split('/').pop()?.split('.').pop() ?? '';
  if (type === 'text/markdown' || extension === 'md' || extension === 'markdown') return 'markdown';
  if (type === 'application/json' || type.endsWith('+json') || extension === 'json') return 'json';
  if (type === 'text/csv' || extension === 'csv') return 'csv';
  return 'plain';
}

/** The JSON indented by two spaces, or the text as it is when it does not parse (cut at 1 MiB, say). */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The first `max` rows of a CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
export function csvRows(text: string, max = CSV_ROWS_SHOWN): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < max; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if ((field !== '' || row.length > 0) && rows.length < max) rows.push([...row, field]);
  return rows;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline Markdown on one escaped line: code, images (as alt text), links (as text), bold, italic. */
function inline(escaped: string): string {
  const codes: string[] = [];
  let html = escaped.replace(/`([^`]+)`/g, (_, code: string) => {
    codes.push(`<code>${code}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  html = html
    .replace(/!\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g, (_, alt: string, src: string) => `<span class="md-image" title="${src}">[${alt || 'image'}]</span>`)
    .replace(/\[([^\]]+)\]\(([^)\s]*)[^)]*\)/g, (_, label: string, href: string) => `<span class="md-link" title="${href}">${label}</span>`)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\W)__([^_]+)__(?=\W|$)/g, '$1<strong>$2</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, '$1<em>$2</em>');
  return html.replace(/\u0000(\d+)\u0000/g, (_, i: string) => codes[Number(i)]);
}

/** Markdown (headings, paragraphs, lists, quotes, code blocks, rules) as HTML that loads nothing and runs nothing. */
export function renderMarkdown(source: string): string {
  const lines = escapeHtml(source).split(/\r?\n/);
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) out.push(`<${list.tag}>${list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      const fence = line.trim().slice(0, 3);
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence); i++) code.push(lines[i]);
      out.push(`<pre><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (line.trim() === '') flush();
    else if (heading) {
      flush();
      out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push('<hr>');
    } else if (line.startsWith('&gt;')) {
      flush();
      out.push(`<blockquote>${inline(line.replace(/^&gt;\s?/, ''))}</blockquote>`);
    } else if (bullet || numbered) {
      const tag = bullet ? 'ul' : 'ol';
      if (paragraph.length > 0 || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      list.items.push((bullet ?? numbered)![1]);
    } else if (list && /^\s+\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}

/** The text of a preview: as the core decoded it, or (GB18030, for which the core has no tables)
 * decoded here from the bytes it sent. */
export function decodedText(preview: TextPreview): string {
  if (preview.undecoded === null) return preview.text;
  const bytes = Uint8Array.from(atob(preview.undecoded), (c) => c.charCodeAt(0));
  return new TextDecoder(preview.encoding.toLowerCase()).decode(bytes);
}
