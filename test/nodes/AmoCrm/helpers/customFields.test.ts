import {
	CustomFieldValueError,
	customFieldValue,
	customFieldValues,
} from '../../../../nodes/AmoCrm/helpers/customFields';
import type { CustomField } from '../../../../nodes/AmoCrm/transport/types';

const field = (type: string, extra: Partial<CustomField> = {}): CustomField => ({
	id: 7,
	name: 'Field',
	type,
	code: null,
	enums: null,
	...extra,
});
const channel = field('select', {
	id: 4003,
	name: 'Channel',
	enums: [
		{ id: 1, value: 'Site' },
		{ id: 2, value: 'Instagram' },
	],
});

describe('custom field values', () => {
	it('sends text as is', () => {
		expect(customFieldValue(field('text'), ' landing-2 ')).toEqual({
			field_id: 7,
			values: [{ value: 'landing-2' }],
		});
	});

	it('sends numbers as numbers, with a comma decimal separator and spaces accepted', () => {
		expect(customFieldValue(field('numeric'), '1 500,5')).toEqual({
			field_id: 7,
			values: [{ value: 1500.5 }],
		});
		expect(() => customFieldValue(field('numeric', { name: 'Age' }), 'ten')).toThrow(
			new CustomFieldValueError('"ten" is not a number (field "Age")'),
		);
	});

	it('sends list choices by enum ID, matched by text or ID', () => {
		expect(customFieldValue(channel, 'instagram')).toEqual({
			field_id: 4003,
			values: [{ enum_id: 2 }],
		});
		expect(customFieldValue(channel, '1')).toEqual({ field_id: 4003, values: [{ enum_id: 1 }] });
		expect(() => customFieldValue(channel, 'TV')).toThrow(
			'"TV" is not one of the choices of "Channel": "Site", "Instagram"',
		);
	});

	it('splits multiselect values on commas', () => {
		expect(customFieldValue({ ...channel, type: 'multiselect' }, 'Site, Instagram')).toEqual({
			field_id: 4003,
			values: [{ enum_id: 1 }, { enum_id: 2 }],
		});
	});

	it('reads checkboxes as yes or no', () => {
		expect(customFieldValue(field('checkbox'), 'yes')).toEqual({
			field_id: 7,
			values: [{ value: true }],
		});
		expect(customFieldValue(field('checkbox'), '')).toEqual({
			field_id: 7,
			values: [{ value: false }],
		});
		expect(() => customFieldValue(field('checkbox'), 'maybe')).toThrow('"maybe" is not yes or no');
	});

	it('sends dates as Unix seconds', () => {
		expect(customFieldValue(field('date'), '2026-11-26T00:00:00Z')).toEqual({
			field_id: 7,
			values: [{ value: 1795651200 }],
		});
		expect(customFieldValue(field('date'), '1795651200')).toEqual({
			field_id: 7,
			values: [{ value: 1795651200 }],
		});
		expect(() => customFieldValue(field('date'), 'tomorrow')).toThrow('"tomorrow" is not a date');
	});

	it('leaves a field alone when its value is empty', () => {
		expect(customFieldValue(field('text'), '')).toBeUndefined();
		expect(customFieldValues([{ fieldId: 7, value: '' }], [field('text')])).toEqual([]);
	});

	it('refuses a field the account does not have', () => {
		expect(() => customFieldValues([{ fieldId: '99', value: 'x' }], [field('text')])).toThrow(
			'The account has no custom field with ID 99',
		);
	});

	it('sends the choices picked under Choices by their enum ID: one for a select field, any for a multiselect', () => {
		expect(customFieldValues([{ fieldId: 4003, value: '', choices: [2] }], [channel])).toEqual([
			{ field_id: 4003, values: [{ enum_id: 2 }] },
		]);
		expect(
			customFieldValues(
				[{ fieldId: '4003', value: '', choices: [1, 2] }],
				[{ ...channel, type: 'multiselect' }],
			),
		).toEqual([{ field_id: 4003, values: [{ enum_id: 1 }, { enum_id: 2 }] }]);
		// An expression may give the IDs as text.
		expect(customFieldValues([{ fieldId: 4003, value: '', choices: '2' }], [channel])).toEqual([
			{ field_id: 4003, values: [{ enum_id: 2 }] },
		]);
		// Rows saved before Choices existed have none: their Value counts.
		expect(customFieldValues([{ fieldId: 4003, value: 'Site' }], [channel])).toEqual([
			{ field_id: 4003, values: [{ enum_id: 1 }] },
		]);
	});

	it('refuses Choices together with a Value, several choices for a select field, and choices for a field without any', () => {
		expect(() =>
			customFieldValues([{ fieldId: 4003, value: 'Site', choices: [2] }], [channel]),
		).toThrow(
			new CustomFieldValueError('"Channel" has both Choices and a Value: keep one of them'),
		);
		expect(() =>
			customFieldValues([{ fieldId: 4003, value: '', choices: [1, 2] }], [channel]),
		).toThrow(new CustomFieldValueError('"Channel" takes one choice, not 2: keep one in Choices'));
		expect(() =>
			customFieldValues([{ fieldId: 7, value: '', choices: [1] }], [field('text')]),
		).toThrow(new CustomFieldValueError('"Field" has no choices: clear Choices and fill Value'));
	});
});
