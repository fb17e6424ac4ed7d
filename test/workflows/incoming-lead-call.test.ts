import { runWorkflow } from '../harness';
import { pipelinesWithIncoming } from '../support/amoCrmAnswers';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

// A call's incoming lead as GET /api/v4/leads/unsorted/{uid} answers it (crm_platform/unsorted-api).
const record = (uid: string, dealId: number) => ({
	uid,
	source_uid: 'n8n-call-1',
	source_name: 'n8n',
	category: 'sip',
	pipeline_id: 1001,
	created_at: 1583156937,
	metadata: {
		from: 'onlinePBX',
		phone: '+998901234567',
		called_at: 1583156916,
		duration: '54',
		link: null,
		service_code: 'n8n',
	},
	account_id: 123312,
	_embedded: { contacts: [{ id: 7001 }], leads: [{ id: dealId }], companies: [] },
});

test("Incoming Lead > Create From a Call with the telephony's fields from expressions, then Get reads it by the uid it output, then Get Many lists the pipeline's calls", async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', {
			status: 200,
			...pipelinesWithIncoming,
		})
		.expect('POST', '/api/v4/leads/unsorted/sip', {
			status: 200,
			body: {
				_total_items: 1,
				_embedded: {
					unsorted: [
						{
							uid: 'aa401aff',
							account_id: 28805383,
							request_id: '0',
							_embedded: { contacts: [{ id: 7001 }], leads: [{ id: 9001 }], companies: [] },
						},
					],
				},
			},
		})
		.expect('GET', '/api/v4/leads/unsorted/aa401aff', {
			status: 200,
			body: record('aa401aff', 9001),
		})
		.expect(
			'GET',
			'/api/v4/leads/unsorted?order%5Bcreated_at%5D=desc&filter%5Bcategory%5D%5B0%5D=sip&filter%5Bpipeline_id%5D=1001&page=1&limit=50',
			{ status: 200, body: { _embedded: { unsorted: [record('aa401aff', 9001)] } } },
		);
	const create = amoCrmNode('Call Lead', {
		resource: 'incomingLead',
		operation: 'createFromCall',
		contactPhone: '={{ $json.from }}',
		callerPhone: '={{ $json.from }}',
		callUid: '={{ $json.callId }}',
		duration: '={{ $json.billsec }}',
		calledAt: '={{ $json.start }}',
		callFrom: 'onlinePBX',
		sourceUid: '=n8n-call-{{ $json.callId }}',
		options: { defaultCountryCode: '998' },
	});
	const get = amoCrmNode('Read Lead', {
		resource: 'incomingLead',
		operation: 'get',
		uid: '={{ $json.uid }}',
	});
	const list = amoCrmNode('List Calls', {
		resource: 'incomingLead',
		operation: 'getAll',
		filters: { categories: ['sip'], pipelineId: '={{ $json.pipelineId }}' },
	});
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), create, get, list],
			connections: chain('Start', 'Call Lead', 'Read Lead', 'List Calls'),
		},
		credentials: oauth2Credentials(),
		items: [{ from: '+998901234567', callId: '1', billsec: 54, start: '2020-03-02T13:48:36Z' }],
	});

	expect(result.error).toBeUndefined();
	expect(amo.isDone()).toBe(true);
	expect(amo.requests[1].body).toEqual([
		{
			source_uid: 'n8n-call-1',
			source_name: 'n8n',
			pipeline_id: 1001,
			metadata: {
				uniq: '1',
				phone: '+998901234567',
				called_at: 1583156916,
				duration: 54,
				service_code: 'n8n',
				from: 'onlinePBX',
				is_call_event_needed: true,
			},
			_embedded: {
				leads: [{}],
				contacts: [
					{
						custom_fields_values: [
							{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
						],
					},
				],
			},
			request_id: '0',
		},
	]);
	const read = {
		uid: 'aa401aff',
		category: 'sip',
		sourceUid: 'n8n-call-1',
		sourceName: 'n8n',
		pipelineId: 1001,
		createdAt: '2020-03-02T13:48:57.000Z',
		dealId: 9001,
		contactId: 7001,
		companyId: null,
		metadata: record('aa401aff', 9001).metadata,
		url: 'https://e2e.amocrm.ru/leads/detail/9001',
	};
	expect(result.outputsByNode['Read Lead']).toEqual([{ json: read, pairedItem: { item: 0 } }]);
	expect(result.outputsByNode['List Calls']).toEqual([{ json: read, pairedItem: { item: 0 } }]);
});
