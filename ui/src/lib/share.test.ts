import { describe, expect, it } from 'vitest';
import { buildPresignRequest, defaultShareForm, findShareProblems, guessContentType, headerList, metaHeaderName, normaliseHost, type ShareForm } from './share';

const form = (patch: Partial<ShareForm> = {}): ShareForm => ({ ...defaultShareForm(), ...patch });

describe('download links', () => {
  it('send only what is set', () => {
    expect(buildPresignRequest('b', 'k.jpg', 120, form())).toEqual({
      bucket: 'b',
      key: 'k.jpg',
      method: 'GET',
      expiresSecs: 120,
      https: true,
      domain: { kind: 'default' },
    });
  });

  it('carry version, processing and download name, never upload options', () => {
    const request = buildPresignRequest(
      'b',
      'k.jpg',
      900,
      form({ versionId: ' v1 ', processPreset: 'resizeW200', downloadAs: ' photo.jpg ', contentType: 'x/y', storageClass: 'IA', meta: [{ name: 'a', value: 'b' }] }),
    );
    expect(request).toEqual({
      bucket: 'b',
      key: 'k.jpg',
      method: 'GET',
      expiresSecs: 900,
      https: true,
      domain: { kind: 'default' },
      versionId: 'v1',
      process: 'image/resize,w_200',
      downloadAs: 'photo.jpg',
    });
  });

  it('take a custom x-oss-process', () => {
    expect(buildPresignRequest('b', 'k', 60, form({ processPreset: 'custom', processCustom: ' image/rotate,90 ' })).process).toBe('image/rotate,90');
    expect(findShareProblems(form({ processPreset: 'custom' }))).toEqual([{ field: 'process', reason: 'missing' }]);
  });
});

describe('upload links', () => {
  it('carry content type, storage class and meta with lower-case names, never download options', () => {
    const request = buildPresignRequest(
      'b',
      'k',
      60,
      form({
        method: 'PUT',
        https: false,
        contentType: 'image/png',
        storageClass: 'IA',
        meta: [
          { name: ' Author ', value: 'li' },
          { name: '', value: '' },
        ],
        versionId: 'v1',
        processPreset: 'webp',
        downloadAs: 'x',
      }),
    );
    expect(request).toEqual({
      bucket: 'b',
      key: 'k',
      method: 'PUT',
      expiresSecs: 60,
      https: false,
      domain: { kind: 'default' },
      contentType: 'image/png',
      storageClass: 'IA',
      meta: [['author', 'li']],
    });
  });

  it('refuse bad, duplicate and non-ASCII meta', () => {
    const put = (meta: ShareForm['meta']) => findShareProblems(form({ method: 'PUT', meta }));
    expect(put([{ name: 'ok-name_1', value: 'plain text' }])).toEqual([]);
    expect(put([{ name: 'has space', value: 'x' }])).toEqual([{ field: 'meta', reason: 'badName', name: 'has space' }]);
    expect(put([{ name: 'A', value: '1' }, { name: 'a', value: '2' }])).toEqual([{ field: 'meta', reason: 'duplicate', name: 'a' }]);
    expect(put([{ name: 'city', value: '杭州' }])).toEqual([{ field: 'meta', reason: 'badValue', name: 'city' }]);
    expect(put([{ name: '', value: '' }])).toEqual([]);
  });

  it('show their headers sorted', () => {
    expect(headerList({ 'x-oss-storage-class': 'IA', 'content-type': 'image/png', 'x-oss-meta-a': '1' })).toEqual([
      ['content-type', 'image/png'],
      ['x-oss-meta-a', '1'],
      ['x-oss-storage-class', 'IA'],
    ]);
    expect(metaHeaderName(' Author ')).toBe('x-oss-meta-author');
  });
});

describe('domains', () => {
  it('send a custom domain without scheme or slash, or acceleration', () => {
    expect(buildPresignRequest('b', 'k', 60, form({ domain: 'cname', cnameHost: 'https://cdn.example.com/' })).domain).toEqual({ kind: 'cname', host: 'cdn.example.com' });
    expect(buildPresignRequest('b', 'k', 60, form({ domain: 'accelerate', cnameHost: 'ignored' })).domain).toEqual({ kind: 'accelerate' });
    expect(normaliseHost(' HTTP://a.b:8080// ')).toBe('a.b:8080');
  });

  it('require a valid custom domain', () => {
    expect(findShareProblems(form({ domain: 'cname' }))).toEqual([{ field: 'cnameHost', reason: 'missing' }]);
    expect(findShareProblems(form({ domain: 'cname', cnameHost: 'not a host' }))).toEqual([{ field: 'cnameHost', reason: 'invalid' }]);
    expect(findShareProblems(form({ domain: 'cname', cnameHost: 'cdn.example.com' }))).toEqual([]);
  });
});

it('guesses a content type from the extension', () => {
  expect(guessContentType('a/b.JPG')).toBe('image/jpeg');
  expect(guessContentType('a/b')).toBe('application/octet-stream');
});
