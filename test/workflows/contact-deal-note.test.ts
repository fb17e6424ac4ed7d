import { runWorkflow } from '../harness';
import type { WorkflowJson } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { isolateEachTest, oauth2Credentials } from './fixtures';
import workflowJson from './contact-deal-note.workflow.json';

const workflow = workflowJson as unknown as WorkflowJson;

isolateEachTest();

/** amoCRM's answer to a batch create: each entity with the `request_id` it was sent with. */
const created = (entity: string, ids: Array<[number, string]>) => ({
	status: 200,
	body: { _embedded: { [entity]: ids.map(([id, requestId]) => ({ id, request_id: requestId })) } },
});

test('Create Contact -> Create Deal -> Add Note: each step gets the IDs its own item produced earlier', async () => {
	const amo = mockAmoCrm()
		.expect(
			'POST',
			'/api/v4/contacts',
			created('contacts', [
				[501, '0'],
				[502, '1'],
			]),
		)
		// amoCRM need not answer in order: results are matched to items by request_id
		.expect(
			'POST',
			'/api/v4/leads',
			created('leads', [
				[702, '1'],
				[701, '0'],
			]),
		)
		.expect(
			'POST',
			'/api/v4/leads/notes',
			created('notes', [
				[901, '0'],
				[902, '1'],
			]),
		);

	const result = await runWorkflow({
		workflow,
		credentials: oauth2Credentials(),
		items: [
			{
				name: 'Aziz Karimov',
				phone: '+998 71 202-14-41',
				product: 'Hearing aid',
				price: 1500000,
				message: 'Call after 6',
			},
			{
				name: 'Malika Yusupova',
				phone: '90 123 45 67',
				product: 'Batteries',
				price: 90000,
				message: 'Delivery?',
			},
		],
	});

	expect(result.error).toBeUndefined();
	expect(result.executionOrder).toEqual(['Form', 'Create Contact', 'Create Deal', 'Add Note']);
	const bearer = 'Bearer access-1';
	expect(amo.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v4/contacts',
			authorization: bearer,
			body: [
				{
					name: 'Aziz Karimov',
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'MOB' }] },
					],
					request_id: '0',
				},
				{
					name: 'Malika Yusupova',
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
					],
					request_id: '1',
				},
			],
		},
		{
			method: 'POST',
			path: '/api/v4/leads',
			authorization: bearer,
			body: [
				{
					name: 'Site request: Hearing aid',
					price: 1500000,
					_embedded: { contacts: [{ id: 501, is_main: true }] },
					request_id: '0',
				},
				{
					name: 'Site request: Batteries',
					price: 90000,
					_embedded: { contacts: [{ id: 502, is_main: true }] },
					request_id: '1',
				},
			],
		},
		{
			method: 'POST',
			path: '/api/v4/leads/notes',
			authorization: bearer,
			body: [
				{
					entity_id: 701,
					note_type: 'common',
					params: {
						text: 'Message: Call after 6 (contact https://e2e.amocrm.ru/contacts/detail/501)',
					},
					request_id: '0',
				},
				{
					entity_id: 702,
					note_type: 'common',
					params: {
						text: 'Message: Delivery? (contact https://e2e.amocrm.ru/contacts/detail/502)',
					},
					request_id: '1',
				},
			],
		},
	]);

	expect(result.outputsByNode['Create Contact']).toEqual([
		{
			json: {
				id: 501,
				name: 'Aziz Karimov',
				reused: false,
				url: 'https://e2e.amocrm.ru/contacts/detail/501',
			},
			pairedItem: { item: 0 },
		},
		{
			json: {
				id: 502,
				name: 'Malika Yusupova',
				reused: false,
				url: 'https://e2e.amocrm.ru/contacts/detail/502',
			},
			pairedItem: { item: 1 },
		},
	]);
	expect(result.outputsByNode['Create Deal']).toEqual([
		{
			json: {
				id: 701,
				name: 'Site request: Hearing aid',
				price: 1500000,
				pipelineId: null,
				statusId: null,
				contactId: 501,
				url: 'https://e2e.amocrm.ru/leads/detail/701',
			},
			pairedItem: { item: 0 },
		},
		{
			json: {
				id: 702,
				name: 'Site request: Batteries',
				price: 90000,
				pipelineId: null,
				statusId: null,
				contactId: 502,
				url: 'https://e2e.amocrm.ru/leads/detail/702',
			},
			pairedItem: { item: 1 },
		},
	]);
	expect(result.outputsByNode['Add Note']).toEqual([
		{
			json: {
				id: 901,
				entityType: 'deal',
				entityId: 701,
				text: 'Message: Call after 6 (contact https://e2e.amocrm.ru/contacts/detail/501)',
			},
			pairedItem: { item: 0 },
		},
		{
			json: {
				id: 902,
				entityType: 'deal',
				entityId: 702,
				text: 'Message: Delivery? (contact https://e2e.amocrm.ru/contacts/detail/502)',
			},
			pairedItem: { item: 1 },
		},
	]);
	expect(amo.isDone()).toBe(true);
});
