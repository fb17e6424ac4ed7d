import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	entityIdProperty,
	entityUrlRegex,
	readEntityId,
} from '../../../../nodes/AmoCrm/actions/entityLocator';
import { executeContext } from '../../../support/executeContext';

function read(value: unknown, required = true): unknown {
	const context = executeContext({ items: [{ dealId: value as IDataObject }] });
	try {
		return readEntityId(context, 0, 'deal', 'dealId', { required });
	} catch (error) {
		const { message, description } = error as { message: string; description: string };
		return { message, description };
	}
}

describe('deal, contact and company locators', () => {
	it('offer a searchable list, a page URL and an ID', () => {
		const property = entityIdProperty('company', {
			name: 'companyId',
			description: 'The company to update',
			displayOptions: { show: { resource: ['company'] } },
		}) as INodeProperties & { modes: Array<{ name: string; typeOptions?: object }> };
		expect(property).toMatchObject({
			displayName: 'Company',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
		});
		expect(property.modes.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
		expect(property.modes[0].typeOptions).toEqual({
			searchListMethod: 'searchCompanies',
			searchable: true,
		});
		const url = new RegExp(entityUrlRegex('company'));
		expect(url.exec('https://mycompany.amocrm.ru/companies/detail/3301')?.[1]).toBe('3301');
		expect(url.exec('https://mycompany.kommo.com/companies/detail/3301?tab=x')?.[1]).toBe('3301');
		expect(url.test('https://mycompany.amocrm.ru/leads/detail/3301')).toBe(false);
	});

	it('read the ID from the list, an ID, a number from an expression or a pasted page', () => {
		expect(read({ __rl: true, mode: 'list', value: '7001' })).toBe(7001);
		expect(read({ __rl: true, mode: 'id', value: ' 7002 ' })).toBe(7002);
		expect(read(7003)).toBe(7003);
		expect(
			read({ __rl: true, mode: 'url', value: 'https://shop.amocrm.ru/leads/detail/7004' }),
		).toBe(7004);
		expect(read('')).toEqual({
			message: 'Deal is empty',
			description:
				'Choose the deal from the list, paste its amoCRM page address, or map its ID from an earlier node, e.g. {{ $json.id }}.',
		});
		expect(read('', false)).toBeUndefined();
	});

	it('refuse anything else, naming the field and the fix', () => {
		expect(read('https://shop.amocrm.ru/contacts/detail/7004')).toEqual({
			message:
				'Deal must be an amoCRM ID or the deal\'s page address, not "https://shop.amocrm.ru/contacts/detail/7004"',
			description:
				'amoCRM IDs are whole numbers such as 12345678; a page address looks like https://mycompany.amocrm.ru/leads/detail/12345678. If you mapped it from an earlier node, map its "id" field.',
		});
		expect(read('0')).toMatchObject({
			message: 'Deal must be an amoCRM ID or the deal\'s page address, not "0"',
		});
	});
});
