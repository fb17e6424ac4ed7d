import {
	DuplicateFinder,
	duplicateKeys,
	findByPhoneOrEmail,
	phoneEmailSearch,
} from '../../../../nodes/AmoCrm/actions/contact/duplicates';
import type {
	DuplicateRule,
	FoundEntity,
	PhoneEmailQuestion,
	PhoneEmailSearch,
} from '../../../../nodes/AmoCrm/actions/contact/duplicates';
import { AmoCrmScript, executeContext } from '../../../support/executeContext';
import { resetTransportState } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const question = (overrides: Partial<PhoneEmailQuestion> = {}): PhoneEmailQuestion => ({
	itemIndex: 0,
	avoidDuplicates: true,
	phones: [{ digits: '998712021441' }],
	emails: [{ value: 'Aziz@Example.uz' }],
	defaultCountryCode: '998',
	matchBy: 'phoneOrEmail',
	...overrides,
});

const entity = (id: number, email?: string): FoundEntity => ({
	id,
	name: `Entity ${id}`,
	custom_fields_values: email ? [{ field_code: 'EMAIL', values: [{ value: email }] }] : null,
});

/** A search answering from fixed lists, recording what it was asked. */
function fakeSearch(byPhone: FoundEntity[], byEmail: FoundEntity[]) {
	const asked: string[] = [];
	const search: PhoneEmailSearch = {
		byPhone: async (digits, country, itemIndex) => {
			asked.push(`phone ${digits} ${country} item ${itemIndex}`);
			return byPhone;
		},
		byEmail: async (email, itemIndex) => {
			asked.push(`email ${email} item ${itemIndex}`);
			return byEmail;
		},
	};
	return { search, asked };
}

describe('duplicateKeys', () => {
	it('keys by each phone and each lower-cased email for "phone or email"', () => {
		expect(duplicateKeys(question())).toEqual(['phone:998712021441', 'email:aziz@example.uz']);
	});

	it('keys by phones only for "phone"', () => {
		expect(duplicateKeys(question({ matchBy: 'phone' }))).toEqual(['phone:998712021441']);
	});

	it('keys by each phone and email pair for "phone and email", none without both', () => {
		expect(duplicateKeys(question({ matchBy: 'phoneAndEmail' }))).toEqual([
			'phone:998712021441+email:aziz@example.uz',
		]);
		expect(duplicateKeys(question({ matchBy: 'phoneAndEmail', emails: [] }))).toEqual([]);
	});
});

describe('findByPhoneOrEmail', () => {
	it('returns the first entity found by phone without searching emails', async () => {
		const { search, asked } = fakeSearch([entity(1), entity(2)], [entity(3)]);
		expect(await findByPhoneOrEmail(search, question({ itemIndex: 4 }))).toEqual(entity(1));
		expect(asked).toEqual(['phone 998712021441 998 item 4']);
	});

	it('searches emails when no phone matched', async () => {
		const { search, asked } = fakeSearch([], [entity(3)]);
		expect(await findByPhoneOrEmail(search, question())).toEqual(entity(3));
		expect(asked).toEqual(['phone 998712021441 998 item 0', 'email Aziz@Example.uz item 0']);
	});

	it('never searches emails for "phone"', async () => {
		const { search, asked } = fakeSearch([], [entity(3)]);
		expect(await findByPhoneOrEmail(search, question({ matchBy: 'phone' }))).toBeUndefined();
		expect(asked).toEqual(['phone 998712021441 998 item 0']);
	});

	it('takes, for "phone and email", only an entity found by phone that has the email', async () => {
		const { search } = fakeSearch(
			[entity(1, 'other@example.uz'), entity(2, 'aziz@example.uz')],
			[],
		);
		expect(await findByPhoneOrEmail(search, question({ matchBy: 'phoneAndEmail' }))).toEqual(
			entity(2, 'aziz@example.uz'),
		);
	});

	it('does not search for "phone and email" when the item lacks an email', async () => {
		const { search, asked } = fakeSearch([entity(1)], []);
		expect(
			await findByPhoneOrEmail(search, question({ matchBy: 'phoneAndEmail', emails: [] })),
		).toBeUndefined();
		expect(asked).toEqual([]);
	});
});

describe('DuplicateFinder', () => {
	interface Named {
		itemIndex: number;
		avoidDuplicates: boolean;
		name: string;
	}
	/** A rule for an entity recognised by name, as a company might be; amoCRM has "Acme" as 7. */
	function byName() {
		const searched: string[] = [];
		const rule: DuplicateRule<Named> = {
			keys: (item) => [`name:${item.name.toLowerCase()}`],
			findExisting: async (item) => {
				searched.push(item.name);
				return item.name === 'Acme' ? { id: 7, name: 'Acme' } : undefined;
			},
		};
		return { rule, searched };
	}

	it('returns the existing entity, and the same for a later item with its key, searching once', async () => {
		const { rule, searched } = byName();
		const finder = new DuplicateFinder(rule);
		expect(await finder.decide({ itemIndex: 0, avoidDuplicates: true, name: 'Acme' })).toEqual({
			kind: 'existing',
			id: 7,
			name: 'Acme',
		});
		expect(await finder.decide({ itemIndex: 1, avoidDuplicates: true, name: 'ACME' })).toEqual({
			kind: 'existing',
			id: 7,
			name: 'Acme',
		});
		expect(searched).toEqual(['Acme']);
	});

	it('creates an unknown entity once: a later item with its key is the same as the first', async () => {
		const { rule } = byName();
		const finder = new DuplicateFinder(rule);
		expect(await finder.decide({ itemIndex: 0, avoidDuplicates: true, name: 'Globex' })).toEqual({
			kind: 'create',
		});
		expect(await finder.decide({ itemIndex: 1, avoidDuplicates: true, name: 'globex' })).toEqual({
			kind: 'sameAs',
			itemIndex: 0,
		});
	});

	it('neither searches nor reuses for an item with Avoid Duplicates off, but remembers it for later items', async () => {
		const { rule, searched } = byName();
		const finder = new DuplicateFinder(rule);
		expect(await finder.decide({ itemIndex: 0, avoidDuplicates: false, name: 'Acme' })).toEqual({
			kind: 'create',
		});
		expect(await finder.decide({ itemIndex: 1, avoidDuplicates: true, name: 'Acme' })).toEqual({
			kind: 'sameAs',
			itemIndex: 0,
		});
		expect(searched).toEqual([]);
	});
});

describe('phoneEmailSearch', () => {
	const company = (id: number, phones: string[], emails: string[]) => ({
		id,
		name: `Company ${id}`,
		custom_fields_values: [
			{ field_code: 'PHONE', values: phones.map((value) => ({ value })) },
			{ field_code: 'EMAIL', values: emails.map((value) => ({ value })) },
		],
	});

	it("searches amoCRM's companies and keeps only those that really have the phone or email", async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/companies?query=712021441&limit=50', {
				body: {
					_embedded: {
						companies: [company(1, ['+1 712021441 99'], []), company(2, ['71 202-14-41'], [])],
					},
				},
			})
			.on('GET', '/api/v4/companies?query=office%40acme.uz&limit=50', {
				body: {
					_embedded: {
						companies: [company(3, [], ['sales@acme.uz']), company(4, [], ['Office@Acme.uz'])],
					},
				},
			});
		const search = phoneEmailSearch(executeContext({ items: [{}], script }), 'companies');
		expect((await search.byPhone('998712021441', '998', 0)).map((found) => found.id)).toEqual([2]);
		expect((await search.byEmail('office@acme.uz', 0)).map((found) => found.id)).toEqual([4]);
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/companies?query=712021441&limit=50',
			'GET https://e2e.amocrm.ru/api/v4/companies?query=office%40acme.uz&limit=50',
		]);
	});
});
