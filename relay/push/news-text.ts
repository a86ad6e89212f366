// A push says what "Nieuw voor u" says: the sentence comes from the news module
// (src/lib/news/text.ts), in the reader's language, with first names from the members document
// and the neighbourhood's name as its title.
import type { NewsItem } from '../../src/lib/news/item.ts';
import type { Member } from '../../src/lib/members/view.ts';
import type { Logger } from '../log.ts';
import { textsIn } from '../../src/lib/i18n/every-language.ts';
import { firstNames, newsText } from '../../src/lib/news/text.ts';
import type { PushText } from './schedule.ts';

export interface NewsPushTextOptions {
	nameOf: (neighbourhood: string) => string | undefined;
	membersOf: (neighbourhood: string) => Promise<Member[] | undefined>;
	log: Logger;
}

export class NewsPushText {
	#o: NewsPushTextOptions;
	#names = new Map<string, (member: string) => string | undefined>();
	#queue: Promise<void> = Promise.resolve();

	constructor(options: NewsPushTextOptions) {
		this.#o = options;
	}

	/**
	 * Hands an item on once the neighbourhood's first names are read afresh (a new member's name is
	 * in the push about their first response), one item after the other, in the order they came.
	 */
	tell(neighbourhood: string, item: NewsItem, deliver: (neighbourhood: string, item: NewsItem) => void): void {
		this.#queue = this.#queue
			.then(async () => {
				const members = await this.#o.membersOf(neighbourhood).catch(() => undefined);
				if (members) this.#names.set(neighbourhood, firstNames(members));
			})
			.then(() => deliver(neighbourhood, item))
			.catch((error: unknown) => this.#o.log.error({ neighbourhood, reason: (error as Error).message }, 'news could not be handed to pushes'));
	}

	readonly text: PushText = (item, language, reader) => {
		const firstName = this.#names.get(reader.neighbourhood) ?? (() => undefined);
		return {
			title: this.#o.nameOf(reader.neighbourhood) || 'Noaber',
			body: newsText(item, { texts: textsIn(language), viewer: reader.member, firstName })
		};
	};
}
