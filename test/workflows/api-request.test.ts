import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import {
	amoCrmNode,
	chain,
	isolateEachTest,
	longLivedTokenCredentials,
	startNode,
} from './fixtures';

isolateEachTest();

/** An API Request node as a user fills it in: the path and body mapped from each item. */
const apiRequest = amoCrmNode(
	'API Request',
	{
		authentication: 'longLivedToken',
		resource: 'apiRequest',
		operation: 'send',
		method: '={{ $json.method }}',
		path: '={{ $json.path }}',
		queryParameters: { parameter: [{ name: 'with', value: '={{ $json.with }}' }] },
		body: '={{ JSON.stringify($json.body) }}',
	},
	{ continueOnFail: true },
);

test("API Request > Send: each item's method, path, query and JSON body go to the account's /api/v4/ with the credential's token; a path to another host fails only its item, and nothing is sent there", async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/account?with=users_groups', {
			status: 200,
			// GET /api/v4/account (crm_platform/account-info), shortened.
			body: { id: 30000001, name: 'E2E', subdomain: 'e2e', current_user_id: 501, country: 'UZ' },
		})
		.expect('PATCH', '/api/v4/leads/9001?with=contacts', {
			status: 200,
			body: { id: 9001, updated_at: 1764300000 },
		});
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), apiRequest], connections: chain('Start', 'API Request') },
		credentials: longLivedTokenCredentials(),
		items: [
			{ method: 'GET', path: 'account', with: 'users_groups' },
			{ method: 'GET', path: 'https://attacker.example.com/api/v4/account', with: 'x' },
			{ method: 'PATCH', path: '/api/v4/leads/9001', with: 'contacts', body: { price: 1500 } },
		],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests).toEqual([
		{
			method: 'GET',
			path: '/api/v4/account?with=users_groups',
			authorization: 'Bearer long-lived-1',
			body: undefined,
		},
		{
			method: 'PATCH',
			path: '/api/v4/leads/9001?with=contacts',
			authorization: 'Bearer long-lived-1',
			body: { price: 1500 },
		},
	]);
	const output = result.outputsByNode['API Request'];
	expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(output[0].json).toEqual({
		id: 30000001,
		name: 'E2E',
		subdomain: 'e2e',
		current_user_id: 501,
		country: 'UZ',
	});
	expect(output[1]).toMatchObject({
		json: {
			error:
				"Path leads to https://attacker.example.com, not to this credential's account https://e2e.amocrm.ru",
		},
		error: expect.objectContaining({
			name: 'NodeOperationError',
			description:
				"The node sends the credential's token with the request, so it only talks to https://e2e.amocrm.ru/api/v4/. Enter the part after /api/v4/ in amoCRM's documentation, e.g. leads/pipelines; query parameters may follow a ?.",
			context: { itemIndex: 1 },
		}),
	});
	expect(output[2].json).toEqual({ id: 9001, updated_at: 1764300000 });
});
