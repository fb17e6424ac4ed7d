/**
 * Site Form > Read Submission through n8n-core: the items a Webhook node gives (headers and body),
 * the node's default expressions for Form Fields and Content Type as n8n resolves them, the
 * account's country read once, and a bad submission output (not thrown) for a 400 answer.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../harness';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';
import { accountAnswer } from '../support/amoCrmAnswers';

isolateEachTest();

const readForm = amoCrmNode('Read form', { resource: 'siteForm', operation: 'readSubmission' });

test('reads each webhook item with the default expressions; the account is asked for its country once', async () => {
	const amo = mockAmoCrm().expect('GET', '/api/v4/account', {
		status: 200,
		body: accountAnswer('UZ').body,
	});
	const webhookItem = (contentType: string, body: IDataObject) => ({
		headers: { host: 'n8n.example', 'content-type': contentType },
		params: {},
		query: {},
		body,
	});
	const result = await runWorkflow({
		workflow: { nodes: [startNode(), readForm], connections: chain('Start', 'Read form') },
		credentials: oauth2Credentials(),
		items: [
			webhookItem('application/x-www-form-urlencoded', {
				Name: 'Aziza',
				Phone: '90 123 45 67',
				city: 'Tashkent',
			}),
			webhookItem('application/json; charset=utf-8', { name: 'Bobur', phone: '8 901 555-00-11' }),
			webhookItem('text/plain', {}),
		],
	});
	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/account',
	]);
	expect(result.jsonByNode['Read form']).toEqual([
		{
			valid: true,
			errors: {},
			errorMessage: '',
			name: 'Aziza',
			phone: '+998901234567',
			email: '',
			source: '',
			message: '',
			productId: '',
			phoneChecked: true,
			fields: { city: 'Tashkent' },
		},
		{
			valid: false,
			errors: {
				phone:
					'"8 901 555-00-11" is not a phone number of country code 998. With country code 998 a number that starts with 8 is 8 and 9 more digits. Type a number from another country with + and its code, e.g. +7 901 555-00-11.',
			},
			errorMessage: 'Invalid lead: phone',
			name: 'Bobur',
			phone: '',
			email: '',
			source: '',
			message: '',
			productId: '',
			phoneChecked: true,
			fields: {},
		},
		{
			valid: false,
			errors: {
				'Content-Type':
					'send the form as application/json, application/x-www-form-urlencoded or multipart/form-data, not text/plain',
			},
			errorMessage: 'Invalid lead: Content-Type',
			name: '',
			phone: '',
			email: '',
			source: '',
			message: '',
			productId: '',
			phoneChecked: true,
			fields: {},
		},
	]);
});
