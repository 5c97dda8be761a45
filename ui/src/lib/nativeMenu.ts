// WebKit's own context menu (Back, Reload, Inspect Element) is not the app's:
// it stays only in text fields (Cut/Copy/Paste), and in a debug build with Shift held (the inspector).
import { isTypingTarget, type TargetLike } from './shortcuts';

export function keepsNativeMenu(target: TargetLike | null | undefined, debugBuild: boolean, shiftKey: boolean): boolean {
  return isTypingTarget(target) || (debugBuild && shiftKey);
}
