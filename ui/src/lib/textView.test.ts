import { describe, expect, it } from 'vitest';
import { csvRows, decodedText, prettyJson, renderMarkdown, textFormat } from './textView';

describe('text previews', () => {
  it('pick a format from the type, then the extension', () => {
    expect(textFormat('a/README.md', null)).toBe('markdown');
    expect(textFormat('notes', 'text/markdown; charset=utf-8')).toBe('markdown');
    expect(textFormat('data.json', 'application/octet-stream')).toBe('json');
    expect(textFormat('x', 'application/geo+json')).toBe('json');
    expect(textFormat('t.CSV', null)).toBe('csv');
    expect(textFormat('main.rs', 'text/plain')).toBe('plain');
  });

  it('decode the GB18030 bytes the core could only recognise', () => {
    expect(decodedText({ text: '', encoding: 'GB18030', truncated: false, undecoded: '1tDOxCDE47rD' })).toBe('中文 你好');
    expect(decodedText({ text: 'as is', encoding: 'UTF-8', truncated: false, undecoded: null })).toBe('as is');
  });

  it('pretty-print JSON, and leave text that does not parse as it is', () => {
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson('{"cut": ')).toBe('{"cut": ');
  });

  it('read CSV rows with quotes, doubled quotes and newlines in quotes, up to a cap', () => {
    expect(csvRows('a,b\r\n"x, y","say ""hi"""\n"two\nlines",3')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\nlines', '3'],
    ]);
    expect(csvRows('1\n2\n3\n4\n', 2)).toEqual([['1'], ['2']]);
  });

  it('render Markdown structure', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and *em* and `code`.\n\n- one\n- two\n\n1. first\n\n```\nlet x = 1 < 2;\n```\n\n> quoted\n\n---');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<p>Some <strong>bold</strong> and <em>em</em> and <code>code</code>.</p>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain('<ol><li>first</li></ol>');
    expect(html).toContain('<pre><code>let x = 1 &lt; 2;</code></pre>');
    expect(html).toContain('<blockquote>quoted</blockquote>');
    expect(html).toContain('<hr>');
    expect(renderMarkdown('__b__ and a.__x = 1; b.__y')).toBe('<p><strong>b</strong> and a.__x = 1; b.__y</p>');
  });

  it('never let Markdown bring a script, a handler, a remote image or a link into the page', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src="http://evil.example/x.png" onerror="alert(2)">\n\n![pic](http://evil.example/p.png)\n\n[go](javascript:alert(3))\n\n[a](http://x" onmouseover="alert(4))',
    );
    // Every tag is one of the renderer's own, with no attribute but class and title.
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)([^>]*)>/g)];
    expect(tags.length).toBe((html.match(/</g) ?? []).length);
    for (const [, name, attributes] of tags) {
      expect(['p', 'span', 'strong', 'em', 'code', 'pre', 'h1', 'ul', 'ol', 'li', 'blockquote', 'hr']).toContain(name);
      expect(attributes.replace(/\s(class|title)="[^"]*"/g, '')).toBe('');
    }
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<span class="md-image" title="http://evil.example/p.png">[pic]</span>');
    expect(html).toContain('<span class="md-link" title="javascript:alert(3">go</span>');
  });
});
