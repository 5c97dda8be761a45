// "Edit profile" for errors far from the profile screen: the app provides how to open the open
// profile's form, and an ErrorNote for a refused key offers it. Screens that edit profiles
// themselves provide nothing (their notes pass their own handler).
import { getContext, setContext } from 'svelte';

const KEY = Symbol('edit-profile');

export type EditProfile = (() => void) | undefined;

/** Call during component initialisation; `undefined` turns the offer off below this component. */
export function provideEditProfile(edit: EditProfile): void {
  setContext(KEY, edit);
}

/** The nearest provided handler, if any. Call during component initialisation. */
export function editProfileHandler(): EditProfile {
  return getContext<EditProfile>(KEY);
}
