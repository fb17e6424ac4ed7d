import { isoTime, readableCustomFields } from '../../../../nodes/AmoCrm/helpers/readableFields';

describe('readableCustomFields', () => {
	it('names each field, gives one value alone and several as a list, dates as ISO timestamps', () => {
		expect(
			readableCustomFields(
				[
					{
						field_id: 1,
						field_name: 'Position',
						field_type: 'text',
						values: [{ value: 'Doctor' }],
					},
					{
						field_id: 2,
						field_name: 'Channels',
						field_type: 'multiselect',
						values: [
							{ value: 'Website', enum_id: 11 },
							{ value: 'Telegram', enum_id: 12 },
						],
					},
					{ field_id: 3, field_name: 'Paid', field_type: 'checkbox', values: [{ value: true }] },
					{
						field_id: 4,
						field_name: 'Visit',
						field_type: 'date_time',
						values: [{ value: 1764288000 }],
					},
					{ field_id: 5, field_name: 'Position', field_type: 'text', values: [{ value: 'Head' }] },
					{ field_code: 'PHONE', field_name: 'Phone', values: [{ value: '+998712021441' }] },
				],
				['PHONE'],
			),
		).toEqual({
			Position: 'Doctor',
			Channels: ['Website', 'Telegram'],
			Paid: true,
			Visit: '2025-11-28T00:00:00.000Z',
			'Position (5)': 'Head',
		});
	});

	it('is empty for a contact without custom fields', () => {
		expect(readableCustomFields(null)).toEqual({});
	});

	it('gives amoCRM dates as ISO timestamps and nothing as null', () => {
		expect(isoTime(1764288000)).toBe('2025-11-28T00:00:00.000Z');
		expect(isoTime(undefined)).toBeNull();
		expect(isoTime(0)).toBeNull();
	});
});
