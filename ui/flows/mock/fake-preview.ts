// The fake backend's text previews: what a preview_text of a key reads, by its extension, so that
// flows see Markdown (with a script and a remote image that must not run or load), JSON and CSV.
import type { TextPreview } from '../../src/lib/bindings';

export function fakePreviewText(key: string, size: number): TextPreview {
  const truncated = size > 1024 * 1024;
  if (/\.json$/i.test(key)) return { text: '{"name":"osslite","tags":["a","b"],"size":3}', encoding: 'UTF-8', truncated, undecoded: null };
  if (/\.csv$/i.test(key)) return { text: 'city,count\n"Hangzhou, ZJ",3\nBeijing,5\n', encoding: 'UTF-8', truncated, undecoded: null };
  const text = [
    `# ${key}`,
    '',
    `The first MiB of **${key}**, as the fake backend has it.`,
    '',
    '<script>window.__previewScript = true</script>',
    '<img src="http://remote.example/x.png" onerror="window.__previewScript = true">',
    '',
    '![remote](http://remote.example/pic.png)',
    '',
    '- one',
    '- two',
  ].join('\n');
  return { text, encoding: 'UTF-8', truncated, undecoded: null };
}
