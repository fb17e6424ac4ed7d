/**
 * Answers real amoCRM accounts gave, as recorded in public threads, replayed through the node.
 * Each answer names its source; the node must read them as amoCRM meant them, not only the
 * shapes of our own fake.
 */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import * as loadOptions from '../../../nodes/AmoCrm/methods/loadOptions';
import { AmoCrmScript, LONG_LIVED_CREDENTIALS, NODE } from '../../support/executeContext';
import type { Reply } from '../../support/executeContext';
import { patched } from '../../support/dealAnswers';
import { FakeAmoCrm } from '../../fakes/amocrm';
import { fakeTransport, runAgainstFake } from '../../support/fakeAmoCrm';
import { resetTransportState, runNode } from '../../support/runNode';

beforeEach(() => resetTransportState());

/**
 * A PATCH /api/v4/leads refused with `errors` keyed by the deal's ID, a third 400 shape beside
 * `validation-errors` and `errors[]` (https://github.com/amocrm/amocrm-api-php/issues/88).
 */
const LOSS_REASON_REFUSAL: Reply = {
	status: 400,
	body: {
		errors: { '11062353': 'Loss reason can be specified only for lost lead' },
		title: 'Bad Request',
		type: 'https://httpstatus.es/400',
		status: 400,
		detail: 'Invalid request body',
	},
};

/**
 * A 400 that names no field: amoCRM's code 244, no rights or the subscription ended
 * (https://github.com/amocrm/amocrm-api-php/issues/33, answered for POST /api/v4/leads).
 */
const NO_RIGHTS_REFUSAL: Reply = {
	status: 400,
	body: {
		title: 'Bad Request',
		type: 'https://httpstatus.es/400',
		status: 400,
		detail:
			'Код ошибки 244. В случае повторного возникновения ошибки, обращайтесь в нашу техническую поддержку - support@amocrm.ru',
	},
};

/**
 * amoCRM's 500 (https://github.com/amocrm/amocrm-api-php/issues/23 and
 * https://github.com/amocrm/amocrm-api-php/issues/28).
 */
const UNKNOWN_ERROR: Reply = {
	status: 500,
	body: {
		title: 'Internal Server Error',
		type: 'https://httpstatus.es/500',
		status: 500,
		detail: 'An unknown error occurred.',
	},
};

/**
 * amoCRM's 401 (https://github.com/amocrm/amocrm-api-php/issues/333). Code 101 is amoCRM's
 * "request to an account (subdomain) that does not exist", answered 401 (amoCRM's error-code
 * table, https://www.amocrm.ru/developers/content/crm_platform/error-codes); its text is worded
 * like the recorded code-244 answer above.
 */
const UNAUTHORIZED: Reply = {
	status: 401,
	body: {
		title: 'Unauthorized',
		type: 'https://httpstatus.es/401',
		status: 401,
		detail: 'Неверный логин или пароль',
	},
};
const NO_SUCH_ACCOUNT: Reply = {
	status: 401,
	body: {
		title: 'Unauthorized',
		type: 'https://httpstatus.es/401',
		status: 401,
		detail:
			'Код ошибки 101. В случае повторного возникновения ошибки, обращайтесь в нашу техническую поддержку - support@amocrm.ru',
	},
};

const dealUpdate = (dealId: number, name: string) => ({
	resource: 'deal',
	operation: 'update',
	dealId,
	updateFields: { name },
});

describe('A PATCH refused with errors keyed by entity ID (amocrm-api-php#88)', () => {
	it("fails the deal amoCRM names with amoCRM's reason and sends the other deal again", async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', LOSS_REASON_REFUSAL)
			.on('PATCH', '/api/v4/leads', patched('leads', 11062354));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [dealUpdate(11062353, 'Returned deal'), dealUpdate(11062354, 'Innocent deal')],
		});
		expect(script.sent.map((request) => request.body)).toEqual([
			[
				{ id: 11062353, name: 'Returned deal', request_id: '0' },
				{ id: 11062354, name: 'Innocent deal', request_id: '1' },
			],
			[{ id: 11062354, name: 'Innocent deal', request_id: '1' }],
		]);
		expect(output[0]).toMatchObject({
			json: {
				error: 'amoCRM refused the deal: Loss reason can be specified only for lost lead',
				description:
					'amoCRM gave this reason for deal 11062353. Change what it names, in amoCRM or in this node, then run this item again.',
			},
			pairedItem: { item: 0 },
		});
		expect(output[1].json).toMatchObject({ id: 11062354, name: 'Innocent deal' });
	});

	it("without Continue On Fail stops at the deal amoCRM names, with amoCRM's reason", async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', LOSS_REASON_REFUSAL);
		await expect(
			runNode({
				script,
				items: [dealUpdate(11062353, 'Returned deal'), dealUpdate(11062354, 'Innocent deal')],
			}),
		).rejects.toMatchObject({
			message: 'amoCRM refused the deal: Loss reason can be specified only for lost lead',
			description:
				'amoCRM gave this reason for deal 11062353. Change what it names, in amoCRM or in this node, then run this item again. Nothing was changed in amoCRM by this node. Not updated: items 0, 1.',
			context: { itemIndex: 0 },
		});
	});

	it('reads the same shape for a contact update', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/contacts', {
				...LOSS_REASON_REFUSAL,
				body: {
					...(LOSS_REASON_REFUSAL.body as object),
					errors: { '40401636': 'Loss reason can be specified only for lost lead' },
				},
			})
			.on('PATCH', '/api/v4/contacts', patched('contacts', 40401635));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{
					resource: 'contact',
					operation: 'update',
					contactId: 40401635,
					updateFields: { name: 'A' },
				},
				{
					resource: 'contact',
					operation: 'update',
					contactId: 40401636,
					updateFields: { name: 'B' },
				},
			],
		});
		expect(output.map((item) => item.json.error ?? item.json.id)).toEqual([
			40401635,
			'amoCRM refused the contact: Loss reason can be specified only for lost lead',
		]);
	});
});

describe('A 400 that names no field: code 244 (amocrm-api-php#33)', () => {
	it("says the user lacks rights or the subscription ended, keeps amoCRM's text and sends no more batches", async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads', NO_RIGHTS_REFUSAL);
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ resource: 'deal', operation: 'create', name: 'One', options: { batchSize: 1 } },
				{ resource: 'deal', operation: 'create', name: 'Two', options: { batchSize: 1 } },
			],
		});
		expect(script.sent).toHaveLength(1);
		expect(output[0].json.error).toBe(
			"amoCRM refused the deal: the user who connected the integration has no rights for this, or the account's subscription ended",
		);
		expect(output[1].json.error).toBe(
			"Not sent: amoCRM refused the deal: the user who connected the integration has no rights for this, or the account's subscription ended",
		);
	});

	it('never asks to check values amoCRM did not name', async () => {
		const script = new AmoCrmScript().on('POST', '/api/v4/leads', NO_RIGHTS_REFUSAL);
		const error = (await runNode({
			script,
			items: [{ resource: 'deal', operation: 'create', name: 'One' }],
		}).catch((caught: unknown) => caught)) as { description: string };
		expect(error.description).toBe(
			'amoCRM said: "Код ошибки 244. В случае повторного возникновения ошибки, обращайтесь в нашу техническую поддержку - support@amocrm.ru" (its error code 244: no rights). amoCRM named no field, so no value in this node is the cause. In amoCRM check Settings > Users: the user who connected the integration needs the right to do this with deals; and check that the account is paid. Then run again.',
		);
	});
});

describe('A 401 from a mistyped Subdomain (amoCRM code 101)', () => {
	it('leads with the Subdomain when amoCRM says the account does not exist', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', patched('leads', 1))
			.on('PATCH', '/api/v4/leads', NO_SUCH_ACCOUNT);
		await runNode({ script, items: [dealUpdate(1, 'A')] });
		await expect(runNode({ script, items: [dealUpdate(1, 'B')] })).rejects.toMatchObject({
			message: 'There is no amoCRM account at https://e2e.amocrm.ru: check the Subdomain',
		});
	});

	it('leads with the Subdomain when the credential has never worked, then reconnecting', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', UNAUTHORIZED);
		await expect(runNode({ script, items: [dealUpdate(1, 'A')] })).rejects.toMatchObject({
			message: 'amoCRM rejected the request: check the Subdomain, then reconnect the credential',
		});
	});

	it('asks to reconnect once the credential has worked', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', patched('leads', 1))
			.on('PATCH', '/api/v4/leads', UNAUTHORIZED);
		await runNode({ script, items: [dealUpdate(1, 'A')] });
		await expect(runNode({ script, items: [dealUpdate(1, 'B')] })).rejects.toMatchObject({
			message: 'amoCRM rejected the token: reconnect the credential',
		});
	});
});

describe('Users are listed for administrators only (amocrm-api-php#86)', () => {
	it("says so in the Responsible User list of a non-administrator's connection", async () => {
		// amoCRM's users API answers 403 to a non-administrator
		// (https://www.amocrm.ru/developers/content/crm_platform/users-api).
		const script = new AmoCrmScript().on('GET', '/api/v4/users?page=1&limit=250', {
			status: 403,
			body: {
				title: 'Forbidden',
				type: 'https://httpstatus.es/403',
				status: 403,
				detail: 'Access denied',
			},
		});
		const context = {
			getNode: () => NODE,
			getCredentials: async () => LONG_LIVED_CREDENTIALS,
			getCurrentNodeParameter: (name: string) =>
				name === 'authentication' ? 'longLivedToken' : undefined,
			getNodeParameter: (_name: string, fallback: unknown) => fallback,
			helpers: {
				httpRequestWithAuthentication: async (type: string, options: never) =>
					await script.handle(NODE, type, options),
			},
		} as unknown as ILoadOptionsFunctions;
		await expect(loadOptions.getUsers.call(context)).rejects.toMatchObject({
			message:
				'Only amoCRM administrators can list users: choose the user by ID, or connect the integration as an administrator',
		});
	});
});

describe("amoCRM's 500 (amocrm-api-php#23, #28)", () => {
	it('quotes amoCRM with one full stop', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', UNKNOWN_ERROR);
		await expect(runNode({ script, items: [dealUpdate(1, 'A')] })).rejects.toMatchObject({
			message: 'amoCRM is having trouble (HTTP 500): try again later',
			description:
				'An unknown error occurred. The request was not repeated automatically, so that nothing is created twice: check amoCRM before running it again.',
		});
	});
});

describe('A refused field of a new contact inside /leads/complex', () => {
	it("names the new contact's field, not Contact ID", async () => {
		// amoCRM's validation paths follow the body sent (error-codes page:
		// "custom_fields_values.0.field_id"); inside /leads/complex the contact is _embedded.contacts.0.
		const script = new AmoCrmScript().on('POST', '/api/v4/leads/complex', {
			status: 400,
			body: {
				'validation-errors': [
					{
						request_id: '0',
						errors: [
							{
								code: 'InvalidValue',
								path: '_embedded.contacts.0.custom_fields_values.0.values.0.value',
								detail: 'This value is not valid.',
							},
						],
					},
				],
				title: 'Bad Request',
				type: 'https://httpstatus.es/400',
				status: 400,
				detail: 'Request validation failed',
			},
		});
		await expect(
			runNode({
				script,
				items: [
					{
						resource: 'deal',
						operation: 'create',
						name: 'Site lead',
						contactMode: 'new',
						newContactName: 'Aziz',
						newContactPhone: '+998 71 202-14-41',
						newContactAvoidDuplicates: false,
					},
				],
			}),
		).rejects.toMatchObject({
			message: 'amoCRM refused the deal: Contact Phone: This value is not valid.',
		});
	});
});

/** The same shapes as the fake amoCRM gives them, so every level of tests meets them. */
describe('The fake amoCRM answers like the real service, and the node reads it', () => {
	it('Deal > Update: the deal amoCRM refuses by its ID fails; the other deal is changed', async () => {
		const fake = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		const open = fake.seedLead({ name: 'Open' });
		const other = fake.seedLead({ name: 'Other' });
		fake.refuseChangesOf(open.id);
		const output = await runAgainstFake(fake, {
			continueOnFail: true,
			items: [dealUpdate(open.id, 'Renamed too'), dealUpdate(other.id, 'Renamed')],
		});
		expect(output[0].json.error).toBe(
			'amoCRM refused the deal: Loss reason can be specified only for lost lead',
		);
		expect(output[1].json).toMatchObject({ id: other.id, name: 'Renamed' });
		expect(fake.leads.find((lead) => lead.id === other.id)?.name).toBe('Renamed');
	});

	it('a mistyped Subdomain meets 401 code 101 and reads "check the Subdomain"', async () => {
		const fake = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		await expect(
			runAgainstFake(fake, {
				credentials: { ...LONG_LIVED_CREDENTIALS, subdomain: 'e2e-typo' },
				items: [dealUpdate(1, 'A')],
			}),
		).rejects.toMatchObject({
			message: 'There is no amoCRM account at https://e2e-typo.amocrm.ru: check the Subdomain',
		});
	});

	it('a Kommo account pasted as https://SUB.amocrm.com with Domain kommo.com is reached on SUB.kommo.com', async () => {
		const fake = new FakeAmoCrm({ rateLimitPerSecond: 0, domain: 'kommo.com' });
		const lead = fake.seedLead({ name: 'Kommo deal' });
		const output = await runAgainstFake(fake, {
			credentials: {
				...LONG_LIVED_CREDENTIALS,
				subdomain: 'https://e2e.amocrm.com',
				domain: 'kommo.com',
			},
			items: [dealUpdate(lead.id, 'Renamed')],
		});
		expect(output[0].json).toMatchObject({
			id: lead.id,
			url: `https://e2e.kommo.com/leads/detail/${lead.id}`,
		});
	});

	it("a non-administrator's connection: the Responsible User list says only administrators can list users", async () => {
		const fake = new FakeAmoCrm({
			rateLimitPerSecond: 0,
			accessTokens: [],
			nonAdminTokens: ['manager-token'],
		});
		const transport = fakeTransport(fake, 'manager-token');
		const context = {
			getNode: () => NODE,
			getCredentials: async () => LONG_LIVED_CREDENTIALS,
			getCurrentNodeParameter: (name: string) =>
				name === 'authentication' ? 'longLivedToken' : undefined,
			getNodeParameter: (_name: string, fallback: unknown) => fallback,
			helpers: {
				httpRequestWithAuthentication: async (type: string, options: never) =>
					await transport(NODE, type, options),
			},
		} as unknown as ILoadOptionsFunctions;
		await expect(loadOptions.getUsers.call(context)).rejects.toMatchObject({
			message:
				'Only amoCRM administrators can list users: choose the user by ID, or connect the integration as an administrator',
		});
	});

	it('Contact > Get Many reads every page when the last one is full (amoCRM then answers 204)', async () => {
		const fake = new FakeAmoCrm({ rateLimitPerSecond: 0 });
		for (let i = 1; i <= 4; i++) fake.seedContact({ name: `Contact ${i}` });
		const output = await runAgainstFake(fake, {
			items: [{ resource: 'contact', operation: 'getAll', returnAll: true }],
		});
		expect(output).toHaveLength(4);
	});
});
