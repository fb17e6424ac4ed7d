import type { ILoadOptionsFunctions } from 'n8n-workflow';

import * as loadOptions from '../../../../nodes/AmoCrm/methods/loadOptions';
import { AmoCrmScript, LONG_LIVED_CREDENTIALS, NODE } from '../../../support/executeContext';
import { resetTransportState } from '../../../support/runNode';

function loadOptionsContext(script: AmoCrmScript, current: Record<string, unknown> = {}): ILoadOptionsFunctions {
	return {
		getNode: () => NODE,
		getCredentials: async () => LONG_LIVED_CREDENTIALS,
		getCurrentNodeParameter: (name: string) => (name === 'authentication' ? 'longLivedToken' : current[name]),
		getNodeParameter: (_name: string, fallback: unknown) => fallback,
		helpers: { httpRequestWithAuthentication: async (type: string, options: never) => await script.handle(NODE, type, options) },
	} as unknown as ILoadOptionsFunctions;
}

const pipelines = {
	body: {
		_embedded: {
			pipelines: [
				{ id: 1002, name: 'Wholesale', sort: 2, is_main: false, _embedded: { statuses: [{ id: 2102, name: 'Contacted', sort: 20 }, { id: 2101, name: 'New', sort: 10 }] } },
				{ id: 1001, name: 'Sales', sort: 1, is_main: true, _embedded: { statuses: [{ id: 2002, name: 'New lead', sort: 10 }] } },
				{ id: 1003, name: 'Old', sort: 3, is_main: false, is_archive: true, _embedded: { statuses: [] } },
			],
		},
	},
};

beforeEach(() => resetTransportState());

describe('dropdowns', () => {
	it('lists the account\'s active pipelines in amoCRM\'s order, marking the main one', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines);
		expect(await loadOptions.getPipelines.call(loadOptionsContext(script))).toEqual([
			{ name: 'Sales (main)', value: 1001, description: 'ID 1001' },
			{ name: 'Wholesale', value: 1002, description: 'ID 1002' },
		]);
	});

	it('lists the stages of the chosen pipeline, and of the main pipeline when none is chosen', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/pipelines?page=1&limit=250', pipelines);
		expect(await loadOptions.getStages.call(loadOptionsContext(script, { pipelineId: 1002 }))).toEqual([
			{ name: 'New', value: 2101, description: 'ID 2101' },
			{ name: 'Contacted', value: 2102, description: 'ID 2102' },
		]);
		expect(await loadOptions.getStages.call(loadOptionsContext(script, { pipelineId: '' }))).toEqual([{ name: 'New lead', value: 2002, description: 'ID 2002' }]);
	});

	it('lists active users by name', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
			body: {
				_embedded: {
					users: [
						{ id: 502, name: 'Sales Manager', email: 's@x.uz', rights: { is_active: true } },
						{ id: 501, name: 'Admin', email: 'a@x.uz', rights: { is_active: true } },
						{ id: 503, name: 'Gone', email: 'g@x.uz', rights: { is_active: false } },
					],
				},
			},
		});
		expect(await loadOptions.getUsers.call(loadOptionsContext(script))).toEqual([
			{ name: 'Admin', value: 501, description: 'a@x.uz' },
			{ name: 'Sales Manager', value: 502, description: 's@x.uz' },
		]);
	});

	it('lists custom fields from every page, without phone and email', async () => {
		const script = new AmoCrmScript()
			.on('GET', '/api/v4/contacts/custom_fields?page=1&limit=250', {
				body: {
					_embedded: { custom_fields: [{ id: 3001, name: 'Phone', type: 'multitext', code: 'PHONE' }, { id: 3003, name: 'Position', type: 'text', code: null }] },
					_links: { next: { href: 'next' } },
				},
			})
			.on('GET', '/api/v4/contacts/custom_fields?page=2&limit=250', { body: { _embedded: { custom_fields: [{ id: 3010, name: 'Age', type: 'numeric', code: null }] } } });
		expect(await loadOptions.getContactCustomFields.call(loadOptionsContext(script))).toEqual([
			{ name: 'Age', value: 3010, description: 'numeric, ID 3010' },
			{ name: 'Position', value: 3003, description: 'text, ID 3003' },
		]);
	});

	it('explains when a non-admin cannot list users', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', { status: 403, body: { title: 'Forbidden', status: 403, detail: 'Access denied' } });
		await expect(loadOptions.getUsers.call(loadOptionsContext(script))).rejects.toMatchObject({
			message: 'amoCRM refused access: no rights, or API access blocked',
		});
	});
});
