/**
 * Incoming Lead (amoCRM "Unsorted") through n8n-core: each item's own form values from
 * expressions, the default Submission ID (n8n, execution ID, item index) as n8n resolves it, Continue
 * On Fail for a bad item before anything is sent, then Accept and Decline on the uids Create gave.
 */
import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';
import { pipelinesWithIncoming } from '../support/amoCrmAnswers';

isolateEachTest();

const create = amoCrmNode(
	'Create Incoming Lead',
	{
		resource: 'incomingLead',
		operation: 'create',
		pipelineId: '={{ $json.pipeline }}',
		dealName: '={{ "Site: " + $json.name }}',
		contactName: '={{ $json.name }}',
		contactPhone: '={{ $json.phone }}',
		formPage: '={{ $json.page }}',
		visitorIp: '={{ $json.ip }}',
		formSentAt: '={{ $json.sentAt }}',
		options: { defaultCountryCode: '998' },
		// Submission ID, Source Name, Form Name and Form ID are left at their defaults.
	},
	{ continueOnFail: true },
);

const accept = amoCrmNode(
	'Accept',
	{
		resource: 'incomingLead',
		operation: 'accept',
		uid: '={{ $json.uid }}',
		statusId: { __rl: true, mode: 'id', value: '={{ $json.stage }}' },
	},
	{ continueOnFail: true },
);
const decline = amoCrmNode(
	'Decline',
	{ resource: 'incomingLead', operation: 'decline', uid: '={{ $json.uid }}', userId: 502 },
	{ continueOnFail: true },
);

test('Create from a form: per-item values and the default Submission ID; a bad phone is an error item and nothing is sent for it', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', {
			status: 200,
			body: pipelinesWithIncoming.body,
		})
		.expect('POST', '/api/v4/leads/unsorted/forms', {
			status: 200,
			body: {
				_total_items: 2,
				_embedded: {
					unsorted: [
						{
							uid: 'u0',
							request_id: '0',
							_embedded: { leads: [{ id: 9010 }], contacts: [{ id: 7010 }] },
						},
						{
							uid: 'u2',
							request_id: '2',
							_embedded: { leads: [{ id: 9012 }], contacts: [{ id: 7012 }] },
						},
					],
				},
			},
		});
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), create], connections: chain('Start', 'Create Incoming Lead') },
		credentials: oauth2Credentials(),
		items: [
			{
				pipeline: 1001,
				name: 'Aziz',
				phone: '90 123 45 67',
				page: 'https://a.example/uz',
				ip: '203.0.113.7',
				sentAt: '2026-11-28T09:15:00+05:00',
			},
			{
				pipeline: 1001,
				name: 'Malika',
				phone: 'call me',
				page: 'https://a.example/uz',
				ip: '203.0.113.8',
				sentAt: '',
			},
			{
				pipeline: 1003,
				name: 'Rustam',
				phone: '+7 901 555-00-11',
				page: 'https://a.example/ru',
				ip: '203.0.113.9',
				sentAt: 1795839360,
			},
		],
	});
	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/leads/pipelines?page=1&limit=250',
		'POST /api/v4/leads/unsorted/forms',
	]);
	const sent = amo.requests[1].body as Array<Record<string, unknown>>;
	const [first, second] = sent;
	expect(first.source_uid).toMatch(/^n8n-\d+-0$/);
	expect(second.source_uid).toBe((first.source_uid as string).replace(/-0$/, '-2'));
	expect(sent).toEqual([
		{
			source_uid: first.source_uid,
			source_name: 'n8n',
			pipeline_id: 1001,
			metadata: {
				form_id: 'n8n-form',
				form_name: 'Site form',
				form_page: 'https://a.example/uz',
				ip: '203.0.113.7',
				form_sent_at: 1795839300,
			},
			_embedded: {
				leads: [{ name: 'Site: Aziz' }],
				contacts: [
					{
						name: 'Aziz',
						custom_fields_values: [
							{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
						],
					},
				],
			},
			request_id: '0',
		},
		{
			source_uid: second.source_uid,
			source_name: 'n8n',
			pipeline_id: 1003,
			metadata: {
				form_id: 'n8n-form',
				form_name: 'Site form',
				form_page: 'https://a.example/ru',
				ip: '203.0.113.9',
				form_sent_at: 1795839360,
			},
			_embedded: {
				leads: [{ name: 'Site: Rustam' }],
				contacts: [
					{
						name: 'Rustam',
						custom_fields_values: [
							{ field_code: 'PHONE', values: [{ value: '+79015550011', enum_code: 'MOB' }] },
						],
					},
				],
			},
			request_id: '2',
		},
	]);
	expect(result.outputsByNode['Create Incoming Lead']).toEqual([
		{
			json: {
				uid: 'u0',
				sourceUid: first.source_uid,
				dealId: 9010,
				contactId: 7010,
				pipelineId: 1001,
				pipelineName: 'Sales',
				url: 'https://e2e.amocrm.ru/leads/detail/9010',
			},
			pairedItem: { item: 0 },
		},
		{
			json: { error: 'Contact Phone: "call me" is not a phone number' },
			error: expect.objectContaining({ context: { itemIndex: 1 } }),
			pairedItem: { item: 1 },
		},
		{
			json: expect.objectContaining({
				uid: 'u2',
				dealId: 9012,
				pipelineId: 1003,
				pipelineName: 'Dealers',
			}),
			pairedItem: { item: 2 },
		},
	]);
});

test('Accept takes each item its own uid and stage (an error item passed on fails alone); Decline its uid and user', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', {
			status: 200,
			body: pipelinesWithIncoming.body,
		})
		.expect('POST', '/api/v4/leads/unsorted/u0/accept', {
			status: 200,
			body: {
				uid: 'u0',
				pipeline_id: 1001,
				category: 'forms',
				_embedded: { leads: [{ id: 9010 }], contacts: [{ id: 7010 }] },
			},
		})
		.expect('POST', '/api/v4/leads/unsorted/u1/accept', {
			status: 200,
			body: {
				uid: 'u1',
				pipeline_id: 1001,
				category: 'forms',
				_embedded: { leads: [{ id: 9011 }], contacts: [] },
			},
		})
		.expect('DELETE', '/api/v4/leads/unsorted/u2/decline', {
			status: 200,
			body: {
				uid: 'u2',
				pipeline_id: 1003,
				category: 'forms',
				_embedded: { leads: [{ id: 9012 }], contacts: [{ id: 7012 }] },
			},
		});
	const accepted = await runWorkflow({
		workflow: { nodes: [startNode(), accept], connections: chain('Start', 'Accept') },
		credentials: oauth2Credentials(),
		items: [
			{ uid: 'u0', stage: '1001:2003' },
			{ error: 'Contact Phone: "call me" is not a phone number' },
			{ uid: 'u1', stage: '1001:2002' },
		],
	});
	const declined = await runWorkflow({
		workflow: { nodes: [startNode(), decline], connections: chain('Start', 'Decline') },
		credentials: oauth2Credentials(),
		items: [{ uid: 'u2' }],
	});
	expect(accepted.error).toBeUndefined();
	expect(declined.error).toBeUndefined();
	expect(amo.requests.map((request) => [request.method, request.path, request.body])).toEqual([
		['GET', '/api/v4/leads/pipelines?page=1&limit=250', undefined],
		['POST', '/api/v4/leads/unsorted/u0/accept', { status_id: 2003 }],
		['POST', '/api/v4/leads/unsorted/u1/accept', { status_id: 2002 }],
		['DELETE', '/api/v4/leads/unsorted/u2/decline', { user_id: 502 }],
	]);
	expect(accepted.outputsByNode.Accept.map((item) => [item.json, item.pairedItem])).toEqual([
		[
			{
				uid: 'u0',
				dealId: 9010,
				contactId: 7010,
				pipelineId: 1001,
				statusId: 2003,
				url: 'https://e2e.amocrm.ru/leads/detail/9010',
			},
			{ item: 0 },
		],
		[{ error: 'Incoming Lead UID is empty' }, { item: 1 }],
		[
			{
				uid: 'u1',
				dealId: 9011,
				contactId: null,
				pipelineId: 1001,
				statusId: 2002,
				url: 'https://e2e.amocrm.ru/leads/detail/9011',
			},
			{ item: 2 },
		],
	]);
	expect(declined.jsonByNode.Decline).toEqual([
		{ uid: 'u2', declined: true, dealId: 9012, contactId: 7012, pipelineId: 1003 },
	]);
});
