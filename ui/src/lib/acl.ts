import type { ObjectAcl } from './api';
import type { MessageKey } from './i18n';

/**
 * The message naming an object's ACL. `null` is an ACL that could not be read
 * (GetObjectAcl needs its own permission), which is not the bucket's default.
 */
export function aclLabelKey(acl: ObjectAcl | null): MessageKey {
  switch (acl) {
    case 'private':
      return 'details.aclPrivate';
    case 'public-read':
      return 'details.aclPublicRead';
    case 'public-read-write':
      return 'details.aclPublicReadWrite';
    case 'default':
      return 'details.aclDefault';
    case null:
      return 'details.aclUnknown';
  }
}
