import {
	companyBody,
	companyUpdateBody,
} from '../../../../nodes/AmoCrm/actions/company/companyBody';
import {
	comparableName,
	companyDuplicateRule,
} from '../../../../nodes/AmoCrm/actions/company/companyDuplicates';
import { AmoCrmScript, executeContext } from '../../../support/executeContext';

describe('companyBody', () => {
	it('builds the full company: name, responsible user, phones and emails before other fields, tags', () => {
		expect(
			companyBody({
				name: 'Shifo Med LLC',
				responsibleUserId: 502,
				phones: [{ value: '+998712021441', digits: '998712021441', type: 'WORK' }],
				emails: [{ value: 'info@shifomed.uz', type: 'WORK' }],
				customFields: [{ field_id: 5003, values: [{ value: '301234567' }] }],
				tags: [{ name: 'clinic' }],
			}),
		).toEqual({
			name: 'Shifo Med LLC',
			responsible_user_id: 502,
			custom_fields_values: [
				{ field_code: 'PHONE', values: [{ value: '+998712021441', enum_code: 'WORK' }] },
				{ field_code: 'EMAIL', values: [{ value: 'info@shifomed.uz', enum_code: 'WORK' }] },
				{ field_id: 5003, values: [{ value: '301234567' }] },
			],
			_embedded: { tags: [{ name: 'clinic' }] },
		});
	});

	it('leaves out empty lists and tags', () => {
		expect(
			companyBody({ name: 'Shifo Med', phones: [], emails: [], customFields: [], tags: [] }),
		).toEqual({ name: 'Shifo Med' });
	});
});

describe('companyUpdateBody', () => {
	it('sends the id and only what changes; tags are added, not replaced', () => {
		expect(
			companyUpdateBody({
				id: 7001,
				name: 'Shifo Med Group',
				responsibleUserId: 503,
				customFields: [{ field_id: 5003, values: [{ value: '301234567' }] }],
				tagsToAdd: [{ name: 'vip' }],
			}),
		).toEqual({
			id: 7001,
			name: 'Shifo Med Group',
			responsible_user_id: 503,
			custom_fields_values: [{ field_id: 5003, values: [{ value: '301234567' }] }],
			tags_to_add: [{ name: 'vip' }],
		});
		expect(companyUpdateBody({ id: 7001, name: '', customFields: [], tagsToAdd: [] })).toEqual({
			id: 7001,
		});
	});
});

describe('company duplicates', () => {
	const rule = companyDuplicateRule(executeContext({ items: [{}], script: new AmoCrmScript() }));

	it('compares names without case and runs of spaces', () => {
		expect(comparableName('  Shifo   MED llc ')).toBe('shifo med llc');
	});

	it('makes items of one run the same company by name, phone or email', () => {
		expect(
			rule.keys({
				itemIndex: 0,
				avoidDuplicates: true,
				name: 'Shifo  Med',
				phones: [{ digits: '998712021441' }],
				emails: [{ value: 'Info@ShifoMed.uz' }],
				defaultCountryCode: '',
				matchBy: 'phoneOrEmail',
			}),
		).toEqual(['name:shifo med', 'phone:998712021441', 'email:info@shifomed.uz']);
	});
});
