// What the neighbourhoods store needs only once a neighbourhood is open, gathered so that it
// arrives as one fetch after the first paint: the connection (automerge-repo and Automerge), the
// reader of what pages show, and the upkeep of a member's profile and keys.
export { Connection } from '../neighbourhood/connection.svelte.ts';
export { readCurrent } from './current-view.ts';
export { joinedProfile } from './joined.ts';
export { keyringStep, newestToPublish, ringForDevice } from './keys.ts';
export { sealContact } from './contact-seal.ts';
