import { describe, expect, it } from 'vitest';
import { aclLabelKey } from './acl';
import { en } from './i18n/en';

describe('aclLabelKey', () => {
  it('names each ACL, and an unreadable one as unknown rather than inherited', () => {
    expect(aclLabelKey('private')).toBe('details.aclPrivate');
    expect(aclLabelKey('public-read')).toBe('details.aclPublicRead');
    expect(aclLabelKey('public-read-write')).toBe('details.aclPublicReadWrite');
    expect(aclLabelKey('default')).toBe('details.aclDefault');
    expect(aclLabelKey(null)).toBe('details.aclUnknown');
    expect(en[aclLabelKey(null)]).not.toBe(en[aclLabelKey('default')]);
  });
});
