import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

test("Deal > Unlink Contact then Contact > Unlink From Company: each item's IDs from expressions, amoCRM's 204s, one output per item", async () => {
	const amo = mockAmoCrm()
		.expect('POST', '/api/v4/leads/9001/unlink', { status: 204 })
		.expect('POST', '/api/v4/leads/9002/unlink', { status: 204 })
		.expect('POST', '/api/v4/contacts/40401635/unlink', { status: 204 })
		.expect('POST', '/api/v4/contacts/40401636/unlink', { status: 204 });
	const unlinkContact = amoCrmNode('Unlink Contact', {
		resource: 'deal',
		operation: 'unlinkContact',
		dealId: { __rl: true, mode: 'id', value: '={{ $json.dealId }}' },
		contactId: { __rl: true, mode: 'id', value: '={{ $json.contactId }}' },
	});
	const unlinkCompany = amoCrmNode('Unlink Company', {
		resource: 'contact',
		operation: 'unlinkCompany',
		contactId: { __rl: true, mode: 'id', value: '={{ $json.contactId }}' },
		companyId: { __rl: true, mode: 'id', value: "={{ $('Start').item.json.companyId }}" },
	});
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), unlinkContact, unlinkCompany],
			connections: chain('Start', 'Unlink Contact', 'Unlink Company'),
		},
		credentials: oauth2Credentials(),
		items: [
			{ dealId: 9001, contactId: 40401635, companyId: 301 },
			{ dealId: '9002', contactId: '40401636', companyId: '302' },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v4/leads/9001/unlink',
			authorization: 'Bearer access-1',
			body: [{ to_entity_id: 40401635, to_entity_type: 'contacts' }],
		},
		{
			method: 'POST',
			path: '/api/v4/leads/9002/unlink',
			authorization: 'Bearer access-1',
			body: [{ to_entity_id: 40401636, to_entity_type: 'contacts' }],
		},
		{
			method: 'POST',
			path: '/api/v4/contacts/40401635/unlink',
			authorization: 'Bearer access-1',
			body: [{ to_entity_id: 301, to_entity_type: 'companies' }],
		},
		{
			method: 'POST',
			path: '/api/v4/contacts/40401636/unlink',
			authorization: 'Bearer access-1',
			body: [{ to_entity_id: 302, to_entity_type: 'companies' }],
		},
	]);
	expect(result.outputsByNode['Unlink Contact'].map((item) => item.json)).toEqual([
		{ dealId: 9001, contactId: 40401635, unlinked: true },
		{ dealId: 9002, contactId: 40401636, unlinked: true },
	]);
	expect(result.outputsByNode['Unlink Company']).toEqual([
		{ json: { contactId: 40401635, companyId: 301, unlinked: true }, pairedItem: { item: 0 } },
		{ json: { contactId: 40401636, companyId: 302, unlinked: true }, pairedItem: { item: 1 } },
	]);
});
