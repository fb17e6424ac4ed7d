import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

test("Call > Log: each item's call from expressions goes in one request; with Continue On Fail a number no contact has fails only its item", async () => {
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/calls', {
			// No card has the second number (amocrm/amocrm-api-php#52): amoCRM names it and logs nothing.
			status: 400,
			body: {
				_total_items: 0,
				errors: [
					{ title: 'Entity not found', status: 400, detail: 'Entity not found', request_id: '1' },
				],
			},
		})
		.expect('POST', '/api/v4/calls', {
			// crm_platform/calls-api answer.
			status: 200,
			body: {
				_total_items: 1,
				errors: [],
				_embedded: {
					calls: [
						{
							id: 37512063,
							entity_id: 11070881,
							entity_type: 'contact',
							account_id: 28805383,
							request_id: '0',
							_embedded: { entity: { id: 11070881 } },
						},
					],
				},
			},
		});
	const log = amoCrmNode(
		'Log Call',
		{
			resource: 'call',
			operation: 'log',
			direction: '={{ $json.dir }}',
			phone: '={{ $json.number }}',
			duration: '={{ $json.seconds }}',
			source: 'Asterisk',
			additionalFields: { link: '={{ $json.record }}' },
		},
		{ continueOnFail: true },
	);
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), log], connections: chain('Start', 'Log Call') },
		credentials: oauth2Credentials(),
		items: [
			{
				dir: 'inbound',
				number: '+998901234567',
				seconds: 95,
				record: 'https://pbx.example.com/1.mp3',
			},
			{
				dir: 'outbound',
				number: '+37067052156',
				seconds: 3,
				record: 'https://pbx.example.com/2.mp3',
			},
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.isDone()).toBe(true);
	expect(amo.requests[1].body).toEqual([
		{
			direction: 'inbound',
			phone: '+998901234567',
			duration: 95,
			source: 'Asterisk',
			link: 'https://pbx.example.com/1.mp3',
			request_id: '0',
		},
	]);
	expect(result.outputsByNode['Log Call']).toEqual([
		{
			json: {
				noteId: 37512063,
				entityType: 'contact',
				entityId: 11070881,
				phone: '+998901234567',
				direction: 'inbound',
				duration: 95,
				url: 'https://e2e.amocrm.ru/contacts/detail/11070881',
			},
			pairedItem: { item: 0 },
		},
		{
			json: {
				error:
					'No contact or company in amoCRM has the phone +37067052156: the call was not logged',
			},
			error: expect.objectContaining({
				description:
					'amoCRM answered "Entity not found". amoCRM logs a call only on a contact or company with that number (it compares the last 10 digits). Create the contact first (Contact > Create with this phone), then log the call.',
				context: expect.objectContaining({ itemIndex: 1 }),
			}),
			pairedItem: { item: 1 },
		},
	]);
});
