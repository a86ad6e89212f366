// A member's phone number or street as this device may show it: plain when it is for everyone
// (and the viewer's choice allows), or opened with this device's ring when it was sealed to it.
// Opening is asynchronous; pages ask synchronously and re-render once the text is open.
import { SvelteMap } from 'svelte/reactivity';
import type { KeyRing } from '../crypto/keys.ts';
import { openOnce } from '../crypto/open-cache.ts';
import { contactContext, type ContactField } from '../members/contact.ts';
import { visiblePhone, type Member } from '../members/view.ts';
import { consentContext, consentGiven, type ConsentGiven } from '../members/consent.ts';

const opened = new SvelteMap<string, string>();

function openedText(sealed: string, context: string, ring: KeyRing | undefined): string {
	const key = `${ring?.member ?? ''}\n${context}\n${sealed}`;
	const known = opened.get(key);
	if (known !== undefined) return known;
	void openOnce(sealed, ring ? [ring] : [], context).then((text) => opened.set(key, text ?? ''));
	return '';
}

export function contactOf(member: Member, field: ContactField, viewer: { id?: string; isManager: boolean; ring: KeyRing | undefined }): string {
	const sealed = field === 'phone' ? member.phoneSealed : member.areaSealed;
	if (sealed) return openedText(sealed, contactContext(member.id, field), viewer.ring);
	return field === 'phone' ? visiblePhone(member, viewer) : member.area;
}

/** A resident's consent (when, how) as this device may show it: managers and the intermediary only. */
export function consentOf(member: Member, ring: KeyRing | undefined): ConsentGiven | undefined {
	return member.consent && consentGiven(member.consent, (sealed) => openedText(sealed, consentContext(member.id), ring) || undefined);
}
