import { runWorkflow } from '../harness';
import { pipelinesAnswer } from '../support/dealAnswers';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

test('Account > Get, Pipeline > Get Many and User > Get Many in one workflow: the IDs a user maps; a 403 on users says only administrators may list them', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/account', {
			status: 200,
			body: {
				id: 30000001,
				name: 'Shifo Med',
				subdomain: 'e2e',
				current_user_id: 501,
				country: 'UZ',
			},
		})
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', { status: 200, ...pipelinesAnswer })
		.expect('GET', '/api/v4/users?page=1&limit=50', {
			status: 403,
			body: {
				title: 'Forbidden',
				type: 'https://httpstatus.es/403',
				status: 403,
				detail: 'Access denied',
			},
		});
	const result = await runWorkflow({
		workflow: {
			nodes: [
				startNode(),
				amoCrmNode('Account', { resource: 'account', operation: 'get' }),
				amoCrmNode(
					'Pipelines',
					{ resource: 'pipeline', operation: 'getAll' },
					{ executeOnce: true },
				),
				amoCrmNode(
					'Users',
					{ resource: 'user', operation: 'getAll' },
					{ executeOnce: true, continueOnFail: true },
				),
			],
			connections: chain('Start', 'Account', 'Pipelines', 'Users'),
		},
		credentials: oauth2Credentials(),
		items: [{}],
	});

	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/account',
		'GET /api/v4/leads/pipelines?page=1&limit=250',
		'GET /api/v4/users?page=1&limit=50',
	]);
	expect(result.outputsByNode.Account[0].json).toMatchObject({
		id: 30000001,
		url: 'https://e2e.amocrm.ru',
		currentUserId: 501,
	});
	const pipelines = result.outputsByNode.Pipelines.map((item) => item.json);
	const embedded = pipelinesAnswer.body._embedded.pipelines;
	expect(pipelines.map((pipeline) => pipeline.id)).toEqual(embedded.map((pipeline) => pipeline.id));
	expect((pipelines[0].stages as Array<{ id: number }>).map((stage) => stage.id)).toEqual(
		embedded[0]._embedded.statuses.map((status) => status.id),
	);
	expect(result.outputsByNode.Users).toMatchObject([
		{
			json: { error: 'Only amoCRM administrators can list users' },
			error: expect.objectContaining({ httpCode: '403' }),
		},
	]);
});
