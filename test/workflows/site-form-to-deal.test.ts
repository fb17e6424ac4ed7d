/**
 * The lead-intake chain the next template is built on, through n8n-core: Site Form > Read
 * Submission, then one Deal > Create whose Pipeline and Stage routes by `source` (an expression),
 * a deal field fed by an extra form field (`fields.city`), the form's message as the note, and
 * a value amoCRM refuses moved into the note instead of failing the lead.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../harness';
import { pipelinesAnswer } from '../support/dealAnswers';
import { validationRefusal } from '../support/amoCrmAnswers';
import { mockAmoCrm } from './amocrm-mock';
import { amoCrmNode, chain, isolateEachTest, oauth2Credentials, startNode } from './fixtures';

isolateEachTest();

const pipelines = { status: 200, ...pipelinesAnswer };
const leadFields = {
	status: 200,
	body: {
		_embedded: {
			custom_fields: [{ id: 4005, name: 'City', type: 'text', code: null, enums: null }],
		},
	},
};

const readForm = amoCrmNode('Read form', {
	resource: 'siteForm',
	operation: 'readSubmission',
	options: { defaultCountryCode: '998' },
});
const createDeal = amoCrmNode(
	'Create deal',
	{
		resource: 'deal',
		operation: 'create',
		name: '={{ "Site: " + $json.name }}',
		statusId: {
			__rl: true,
			mode: 'id',
			value: '={{ $json.source === "instagram" ? "1002:2101" : "1001:2002" }}',
		},
		contactId: '',
		customFields: { field: [{ fieldId: '4005', value: '={{ $json.fields.city }}' }] },
		options: { ifFieldRefused: 'dropAndNote', note: '={{ $json.message }}' },
	},
	{ continueOnFail: true },
);

test('form posts become deals in the pipeline their source routes to, the city in a deal field, a refused city in the note', async () => {
	const amo = mockAmoCrm()
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
		.expect('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
		.expect(
			'POST',
			'/api/v4/leads',
			validationRefusal('custom_fields_values.0.values.0.value', '1'),
		)
		.expect('POST', '/api/v4/leads', {
			status: 200,
			body: { _embedded: { leads: [{ id: 9001, request_id: '0' }] } },
		})
		.expect('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines)
		.expect('GET', '/api/v4/leads/custom_fields?page=1&limit=250', leadFields)
		.expect('POST', '/api/v4/leads', {
			status: 200,
			body: { _embedded: { leads: [{ id: 9002, request_id: '1' }] } },
		})
		.expect('POST', '/api/v4/leads/notes', {
			status: 200,
			body: {
				_embedded: {
					notes: [
						{ id: 77, entity_id: 9001, request_id: '0' },
						{ id: 78, entity_id: 9002, request_id: '1' },
					],
				},
			},
		});
	const post = (body: IDataObject) => ({
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body,
	});
	const result = await runWorkflow({
		workflow: {
			nodes: [startNode(), readForm, createDeal],
			connections: chain('Start', 'Read form', 'Create deal'),
		},
		credentials: oauth2Credentials(),
		items: [
			post({
				name: 'Aziza',
				phone: '90 123 45 67',
				source: 'instagram',
				city: 'Tashkent',
				message: 'Call after 6',
			}),
			post({
				name: 'Bobur',
				phone: '+998 71 202-14-41',
				city: 'x'.repeat(300),
				message: 'Wants a demo',
			}),
		],
	});
	expect(result.error).toBeUndefined();
	expect(amo.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /api/v4/leads/pipelines?page=1&limit=250',
		'GET /api/v4/leads/custom_fields?page=1&limit=250',
		'POST /api/v4/leads',
		'POST /api/v4/leads',
		'GET /api/v4/leads/pipelines?page=1&limit=250',
		'GET /api/v4/leads/custom_fields?page=1&limit=250',
		'POST /api/v4/leads',
		'POST /api/v4/leads/notes',
	]);
	expect(amo.requests[2].body).toEqual([
		{
			name: 'Site: Aziza',
			pipeline_id: 1002,
			status_id: 2101,
			custom_fields_values: [{ field_id: 4005, values: [{ value: 'Tashkent' }] }],
			request_id: '0',
		},
		{
			name: 'Site: Bobur',
			pipeline_id: 1001,
			status_id: 2002,
			custom_fields_values: [{ field_id: 4005, values: [{ value: 'x'.repeat(300) }] }],
			request_id: '1',
		},
	]);
	expect(amo.requests[6].body).toEqual([
		{ name: 'Site: Bobur', pipeline_id: 1001, status_id: 2002, request_id: '1' },
	]);
	expect(amo.requests[7].body).toEqual([
		{ entity_id: 9001, note_type: 'common', params: { text: 'Call after 6' }, request_id: '0' },
		{
			entity_id: 9002,
			note_type: 'common',
			params: {
				text: `Wants a demo\n\nNot saved in the deal's fields (amoCRM refused them):\nCity: ${'x'.repeat(300)} (The value you selected is not a valid choice.)`,
			},
			request_id: '1',
		},
	]);
	expect(result.jsonByNode['Create deal']).toEqual([
		{
			id: 9001,
			name: 'Site: Aziza',
			price: 0,
			pipelineId: 1002,
			statusId: 2101,
			contactId: null,
			url: 'https://e2e.amocrm.ru/leads/detail/9001',
			refusedFields: [],
			noteId: 77,
		},
		{
			id: 9002,
			name: 'Site: Bobur',
			price: 0,
			pipelineId: 1001,
			statusId: 2002,
			contactId: null,
			url: 'https://e2e.amocrm.ru/leads/detail/9002',
			refusedFields: [
				{
					field: 'City',
					value: 'x'.repeat(300),
					reason: 'The value you selected is not a valid choice.',
				},
			],
			noteId: 78,
		},
	]);
});
