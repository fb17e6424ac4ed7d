/**
 * Options > Match Existing Contacts By (Contact > Create, Deal > Create with a New Contact):
 * which details must equal an existing contact's before it is used instead of a new one.
 * Public forms choose Phone Only or Phone and Email Must Both Agree, so that knowing a
 * customer's email is not enough to attach a deal to that customer's contact.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { description as contactCreateDescription } from '../../../../nodes/AmoCrm/actions/contact/create.operation';
import { description as dealCreateDescription } from '../../../../nodes/AmoCrm/actions/deal/create.operation';
import { AmoCrmScript } from '../../../support/executeContext';
import {
	complexCreated,
	contactCreated,
	contactsFound,
	listedContact,
} from '../../../support/amoCrmAnswers';
import { resetTransportState, runNode } from '../../../support/runNode';

beforeEach(() => resetTransportState());

const contact = (matchContactsBy: string | undefined, phone: string, email: string) => ({
	resource: 'contact',
	operation: 'create',
	name: 'Site visitor',
	phones: { phone: [{ number: phone, type: 'MOB' }] },
	emails: { email: [{ address: email, type: 'WORK' }] },
	avoidDuplicates: true,
	options: { defaultCountryCode: '998', ...(matchContactsBy ? { matchContactsBy } : {}) },
});

const newContact = {
	body: [
		{
			name: 'Site visitor',
			custom_fields_values: [
				{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
				{ field_code: 'EMAIL', values: [{ value: 'aziz@example.uz', enum_code: 'WORK' }] },
			],
			request_id: '0',
		},
	],
};

describe('Contact > Create: Match Existing Contacts By', () => {
	it('Phone or Email (the default): a contact with the same email is used when no phone matches', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?query=901234567&limit=50', { status: 204 })
			.on(
				'GET',
				'/api/v4/contacts?query=aziz%40example.uz&limit=50',
				contactsFound(
					listedContact(77, 'Aziz Karimov', ['+998 71 202-14-41'], ['aziz@example.uz']),
				),
			);
		const output = await runNode({
			script,
			items: [contact(undefined, '90 123 45 67', 'aziz@example.uz')],
		});
		expect(output).toEqual([
			{
				json: {
					id: 77,
					name: 'Aziz Karimov',
					reused: true,
					url: 'https://e2e.amocrm.ru/contacts/detail/77',
				},
				pairedItem: { item: 0 },
			},
		]);
		// Used, never changed: no PATCH, no second request.
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'GET']);
	});

	it('Phone Only: the same email alone makes a new contact, and amoCRM is not searched by email', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?query=901234567&limit=50', { status: 204 })
			.on('POST', '/api/v4/contacts', contactCreated(501));
		const output = await runNode({
			script,
			items: [contact('phone', '90 123 45 67', 'aziz@example.uz')],
		});
		expect(script.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
			'GET https://e2e.amocrm.ru/api/v4/contacts?query=901234567&limit=50',
			'POST https://e2e.amocrm.ru/api/v4/contacts',
		]);
		expect(script.sent[1].body).toEqual(newContact.body);
		expect(output[0].json).toEqual({
			id: 501,
			name: 'Site visitor',
			reused: false,
			url: 'https://e2e.amocrm.ru/contacts/detail/501',
		});
	});

	it('Phone Only: the same phone uses the existing contact', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/contacts?query=901234567&limit=50',
			contactsFound(listedContact(78, 'Malika', ['+998 90 123-45-67'], ['malika@example.uz'])),
		);
		const output = await runNode({
			script,
			items: [contact('phone', '90 123 45 67', 'aziz@example.uz')],
		});
		expect(output[0].json).toEqual({
			id: 78,
			name: 'Malika',
			reused: true,
			url: 'https://e2e.amocrm.ru/contacts/detail/78',
		});
	});

	it('Phone and Email Must Both Agree: a contact with the phone but another email is not used', async () => {
		const script = new AmoCrmScript()
			.on(
				'GET',
				'/api/v4/contacts?query=901234567&limit=50',
				contactsFound(listedContact(78, 'Malika', ['+998 90 123-45-67'], ['malika@example.uz'])),
			)
			.on('POST', '/api/v4/contacts', contactCreated(502));
		const output = await runNode({
			script,
			items: [contact('phoneAndEmail', '90 123 45 67', 'aziz@example.uz')],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST']);
		expect(script.sent[1].body).toEqual(newContact.body);
		expect(output[0].json).toMatchObject({ id: 502, reused: false });
	});

	it('Phone and Email Must Both Agree: the contact that has both is used (email compared without case)', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/contacts?query=901234567&limit=50',
			contactsFound(
				listedContact(78, 'Malika', ['+998 90 123-45-67'], ['malika@example.uz']),
				listedContact(79, 'Aziz', ['8 (90) 123-45-67', '+998901234567'], ['Aziz@Example.uz']),
			),
		);
		const output = await runNode({
			script,
			items: [contact('phoneAndEmail', '90 123 45 67', 'aziz@example.uz')],
		});
		expect(output[0].json).toEqual({
			id: 79,
			name: 'Aziz',
			reused: true,
			url: 'https://e2e.amocrm.ru/contacts/detail/79',
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('Phone and Email Must Both Agree: a lead without an email never matches and is not searched', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/contacts', contactCreated(503));
		const output = await runNode({
			script,
			items: [{ ...contact('phoneAndEmail', '90 123 45 67', ''), emails: {} }],
		});
		expect(script.sent.map((request) => request.method)).toEqual(['POST']);
		expect(output[0].json).toMatchObject({ id: 503, reused: false });
	});

	it('within one run, items are one contact only by what the option compares', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?query=901234567&limit=50', { status: 204 })
			.on('GET', '/api/v4/contacts?query=911111111&limit=50', { status: 204 })
			.on('POST', '/api/v4/contacts', {
				body: {
					_embedded: {
						contacts: [
							{ id: 601, request_id: '0' },
							{ id: 602, request_id: '1' },
						],
					},
				},
			});
		// Same email, other phone: with Phone Only these are two people.
		const output = await runNode({
			script,
			items: [
				contact('phone', '90 123 45 67', 'shared@example.uz'),
				contact('phone', '91 111 11 11', 'shared@example.uz'),
			],
		});
		expect(output.map((item) => [item.json.id, item.json.reused])).toEqual([
			[601, false],
			[602, false],
		]);
	});
});

describe('Deal > Create with a New Contact: Match Existing Contacts By', () => {
	const deal = (matchContactsBy: string) => ({
		resource: 'deal',
		operation: 'create',
		name: 'Site lead',
		contactMode: 'new',
		newContactName: 'Site visitor',
		newContactPhone: '90 123 45 67',
		newContactEmail: 'aziz@example.uz',
		newContactAvoidDuplicates: true,
		options: { defaultCountryCode: '998', matchContactsBy },
	});

	it('Phone Only: a known email does not attach the deal to its contact; the deal gets a new contact', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts?query=901234567&limit=50', { status: 204 })
			.on('POST', '/api/v4/leads/complex', complexCreated(9001, 40401700));
		const output = await runNode({ script, items: [deal('phone')] });
		expect(script.sent.map((request) => request.method)).toEqual(['GET', 'POST']);
		expect(script.sent[1].body).toEqual([
			{
				name: 'Site lead',
				_embedded: {
					contacts: [
						{
							name: 'Site visitor',
							custom_fields_values: [
								{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
								{ field_code: 'EMAIL', values: [{ value: 'aziz@example.uz', enum_code: 'WORK' }] },
							],
						},
					],
				},
				request_id: '0',
			},
		]);
		expect(output[0].json).toMatchObject({
			id: 9001,
			contactId: 40401700,
			contactReused: false,
			merged: false,
		});
	});

	it('Phone and Email Must Both Agree: the existing contact is attached by ID only, never changed', async () => {
		const script = new AmoCrmScript()
			.on(
				'GET',
				'/api/v4/contacts?query=901234567&limit=50',
				contactsFound(listedContact(79, 'Aziz', ['+998901234567'], ['aziz@example.uz'])),
			)
			.on('POST', '/api/v4/leads/complex', complexCreated(9002, 79));
		const output = await runNode({ script, items: [deal('phoneAndEmail')] });
		expect(script.sent[1].body).toEqual([
			{ name: 'Site lead', _embedded: { contacts: [{ id: 79 }] }, request_id: '0' },
		]);
		expect(output[0].json).toMatchObject({
			id: 9002,
			contactId: 79,
			contactReused: true,
			merged: false,
		});
	});
});

describe('the option in the editor', () => {
	it.each([
		[
			'Contact > Create (with Avoid Duplicates on)',
			contactCreateDescription,
			{ show: { '/avoidDuplicates': [true] } },
		],
		[
			'Deal > Create (New Contact with Avoid Duplicate Contacts on)',
			dealCreateDescription,
			{ show: { '/contactMode': ['new'], '/newContactAvoidDuplicates': [true] } },
		],
	])('%s offers it in Options with Phone or Email as default', (_, description, displayOptions) => {
		const options = description.find((property) => property.name === 'options');
		const option = (options?.options as INodeProperties[]).find(
			(property) => property.name === 'matchContactsBy',
		);
		expect(option).toMatchObject({
			displayName: 'Match Existing Contacts By',
			type: 'options',
			default: 'phoneOrEmail',
		});
		expect(option?.displayOptions).toEqual(displayOptions);
		expect(
			(option?.options as INodePropertyOptions[]).map(({ name, value }) => [name, value]),
		).toEqual([
			['Phone and Email Must Both Agree', 'phoneAndEmail'],
			['Phone Only', 'phone'],
			['Phone or Email', 'phoneOrEmail'],
		]);
		expect(option?.description).toContain(
			"On a public form anyone who knows a customer's email could attach a deal to that customer's contact",
		);
	});
});
