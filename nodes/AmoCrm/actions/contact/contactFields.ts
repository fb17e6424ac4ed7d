import type { INodeProperties } from 'n8n-workflow';

/** The Phones and Emails inputs of Contact > Create and Contact > Update (read by contactValues.ts). */

export function phonesProperty(
	description: string,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Phones',
		name: 'phones',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Phone',
		default: {},
		description,
		displayOptions,
		options: [
			{
				displayName: 'Phone',
				name: 'phone',
				values: [
					{
						displayName: 'Number',
						name: 'number',
						type: 'string',
						default: '',
						placeholder: '+998 71 202-14-41',
						description:
							'The phone number as typed. Numbers without a country code get the Default Country Code from Options.',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Fax', value: 'FAX' },
							{ name: 'Home', value: 'HOME' },
							{ name: 'Mobile', value: 'MOB' },
							{ name: 'Other', value: 'OTHER' },
							{ name: 'Work', value: 'WORK' },
							{ name: 'Work Direct', value: 'WORKDD' },
						],
						default: 'MOB',
						description: 'How amoCRM labels the number',
					},
				],
			},
		],
	};
}

export function emailsProperty(
	description: string,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Emails',
		name: 'emails',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Email',
		default: {},
		description,
		displayOptions,
		options: [
			{
				displayName: 'Email',
				name: 'email',
				values: [
					{
						displayName: 'Address',
						name: 'address',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
						description: 'The email address',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Other', value: 'OTHER' },
							{ name: 'Private', value: 'PRIV' },
							{ name: 'Work', value: 'WORK' },
						],
						default: 'WORK',
						description: 'How amoCRM labels the address',
					},
				],
			},
		],
	};
}
