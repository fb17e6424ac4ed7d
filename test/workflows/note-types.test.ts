import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

test("Note > Add an Incoming Call from a telephony's webhook (phone, duration, recording, status, the execution's own call ID), then Note > Update it to Talked", async () => {
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/leads/notes', {
			status: 200,
			body: { _embedded: { notes: [{ id: 76787983, entity_id: 9001, request_id: '0' }] } },
		})
		.expect('PATCH', '/api/v4/leads/notes', {
			status: 200,
			body: { _embedded: { notes: [{ id: 76787983, entity_id: 9001, updated_at: 1795849260 }] } },
		});
	const call = {
		noteType: 'call_in',
		phone: '={{ $json.from }}',
		duration: '={{ $json.seconds }}',
		link: '={{ $json.record }}',
		source: 'Zadarma',
	};
	const addCall = amoCrmNode('Add Call', {
		resource: 'note',
		operation: 'add',
		entityType: 'deal',
		entityId: { __rl: true, mode: 'id', value: '={{ $json.dealId }}' },
		...call,
		callStatus: 6,
		// The Call ID field's default.
		uniq: '=n8n-{{ $execution.id }}-{{ $itemIndex }}',
	});
	const updateCall = amoCrmNode('Update Call', {
		resource: 'note',
		operation: 'update',
		entityType: 'deal',
		noteId: '={{ $json.id }}',
		noteType: 'call_in',
		phone: "={{ $('Start').item.json.from }}",
		duration: "={{ $('Start').item.json.seconds }}",
		link: "={{ $('Start').item.json.record }}",
		source: 'Zadarma',
		callStatus: 4,
		callResult: 'Agreed on a fitting',
		uniq: '={{ $json.params.uniq }}',
	});
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), addCall, updateCall],
			connections: chain('Start', 'Add Call', 'Update Call'),
		},
		credentials: oauth2Credentials(),
		items: [
			{
				dealId: 9001,
				from: '+998901234567',
				seconds: 95,
				record: 'https://pbx.example.com/r/1.mp3',
			},
		],
	});

	expect(result.error).toBeUndefined();
	const sent = amo.requests[0].body as Array<{ params: { uniq: string } }>;
	expect(sent[0].params.uniq).toMatch(/^n8n-.+-0$/);
	const params = {
		phone: '+998901234567',
		uniq: sent[0].params.uniq,
		duration: 95,
		source: 'Zadarma',
		link: 'https://pbx.example.com/r/1.mp3',
	};
	expect(amo.requests.map((request) => [request.method, request.path, request.body])).toEqual([
		[
			'POST',
			'/api/v4/leads/notes',
			[
				{
					entity_id: 9001,
					note_type: 'call_in',
					params: { ...params, call_status: 6 },
					request_id: '0',
				},
			],
		],
		[
			'PATCH',
			'/api/v4/leads/notes',
			[
				{
					id: 76787983,
					note_type: 'call_in',
					params: { ...params, call_status: 4, call_result: 'Agreed on a fitting' },
				},
			],
		],
	]);
	expect(result.outputsByNode['Update Call']).toEqual([
		{
			json: {
				id: 76787983,
				entityType: 'deal',
				entityId: 9001,
				noteType: 'call_in',
				params: { ...params, call_status: 4, call_result: 'Agreed on a fitting' },
				updatedAt: '2026-11-28T07:01:00.000Z',
			},
			pairedItem: { item: 0 },
		},
	]);
});
