/**
 * The trigger's webhook registration (publish / unpublish) and its handling of deliveries, with
 * n8n's hook and webhook contexts mocked and amoCRM played by the fake (in-process).
 */
import type { IDataObject, IHookFunctions, INode, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ACCOUNT_ID, FakeAmoCrm, encodeForm } from '../../fakes/amocrm';
import { LONG_LIVED_CREDENTIALS } from '../../support/executeContext';
import { fakeTransport } from '../../support/fakeAmoCrm';
import { resetTransportState } from '../../support/runNode';
import { AmoCrmTrigger } from '../../../nodes/AmoCrmTrigger/AmoCrmTrigger.node';

const NODE: INode = {
	id: 'trigger-1',
	name: 'AmoCRM Trigger',
	type: 'n8n-nodes-amocrm.amoCrmTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	webhookId: '5f0c1a2b-0000-4000-8000-000000000001',
	credentials: { amoCrmApi: { id: 'cred-1', name: 'amoCRM account' } },
};
const TEMPLATE = `https://n8n.example.com/webhook/${NODE.webhookId}/amocrm-wf1/:secret`;
const PREFIX = `https://n8n.example.com/webhook/${NODE.webhookId}/amocrm-wf1/`;

interface Setup {
	fake: FakeAmoCrm;
	staticData: IDataObject;
	parameters: IDataObject;
}

function hookContext({ fake, staticData, parameters }: Setup): IHookFunctions {
	return {
		getNode: () => NODE,
		getNodeWebhookUrl: () => TEMPLATE,
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => LONG_LIVED_CREDENTIALS,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name === 'authentication' ? 'longLivedToken' : (parameters[name] ?? fallback),
		helpers: {
			httpRequestWithAuthentication: async (type: string, options: never) =>
				await fakeTransport(fake)(NODE, type, options),
		},
	} as unknown as IHookFunctions;
}

interface Delivery {
	secret: string | undefined;
	body: string;
}

interface Answer {
	status?: number;
	json?: unknown;
	/** How many requests amoCRM had received when the answer was sent. */
	requestsBefore?: number;
}

function webhookContext(
	{ fake, staticData, parameters }: Setup,
	delivery: Delivery,
	answer: Answer,
): IWebhookFunctions {
	const response = {
		status(code: number) {
			answer.status = code;
			return this;
		},
		json(body: unknown) {
			answer.json = body;
			answer.requestsBefore = fake.requests.length;
			return this;
		},
	};
	return {
		getNode: () => NODE,
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => LONG_LIVED_CREDENTIALS,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name === 'authentication' ? 'longLivedToken' : (parameters[name] ?? fallback),
		getParamsData: () => (delivery.secret === undefined ? {} : { secret: delivery.secret }),
		getRequestObject: () => ({ rawBody: Buffer.from(delivery.body) }),
		getBodyData: () => Object.fromEntries(new URLSearchParams(delivery.body)),
		getResponseObject: () => response,
		helpers: {
			httpRequestWithAuthentication: async (type: string, options: never) =>
				await fakeTransport(fake)(NODE, type, options),
		},
	} as unknown as IWebhookFunctions;
}

const trigger = new AmoCrmTrigger();
const methods = trigger.webhookMethods.default;

function setup(events: string[] = ['status_lead', 'add_lead']): Setup {
	return {
		fake: new FakeAmoCrm({ rateLimitPerSecond: 0 }),
		staticData: {},
		parameters: { events },
	};
}

beforeEach(() => resetTransportState());

describe('publishing: the webhook in amoCRM', () => {
	it('registers one webhook: destination = the production URL with a secret segment, settings = the chosen events', async () => {
		const s = setup();
		const hook = hookContext(s);

		expect(await methods.checkExists.call(hook)).toBe(false);
		expect(s.fake.requests).toEqual([]);
		expect(await methods.create.call(hook)).toBe(true);

		const secret = s.staticData.secret as string;
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		expect(s.fake.webhooks).toEqual([
			expect.objectContaining({
				destination: `${PREFIX}${secret}`,
				settings: ['add_lead', 'status_lead'],
				disabled: false,
			}),
		]);
		expect(s.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
			['GET', '/api/v4/webhooks', undefined],
			[
				'POST',
				'/api/v4/webhooks',
				{ destination: `${PREFIX}${secret}`, settings: ['add_lead', 'status_lead'] },
			],
		]);
		expect(s.staticData).toEqual({ secret, accountId: ACCOUNT_ID, subdomain: 'e2e' });
	});

	it('publishing again finds it and registers nothing more', async () => {
		const s = setup();
		const hook = hookContext(s);
		await methods.create.call(hook);
		s.fake.clearRequests();

		expect(await methods.checkExists.call(hook)).toBe(true);
		expect(s.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/webhooks']);
		expect(s.fake.webhooks).toHaveLength(1);
	});

	it('a webhook amoCRM switched off counts as missing and is replaced by a working one', async () => {
		const s = setup();
		const hook = hookContext(s);
		await methods.create.call(hook);
		const destination = `${PREFIX}${s.staticData.secret as string}`;
		s.fake.disableWebhook(destination);

		expect(await methods.checkExists.call(hook)).toBe(false);
		await methods.create.call(hook);
		expect(s.fake.webhooks).toEqual([
			expect.objectContaining({
				destination,
				disabled: false,
				settings: ['add_lead', 'status_lead'],
			}),
		]);
	});

	it('other events chosen: the same webhook is updated with them, not doubled', async () => {
		const s = setup();
		const hook = hookContext(s);
		await methods.create.call(hook);
		s.parameters.events = ['note_lead', 'add_unsorted'];

		expect(await methods.checkExists.call(hook)).toBe(false);
		await methods.create.call(hook);
		expect(s.fake.webhooks).toEqual([
			expect.objectContaining({
				destination: `${PREFIX}${s.staticData.secret as string}`,
				settings: ['add_unsorted', 'note_lead'],
			}),
		]);
	});

	it('an earlier registration of this node whose secret was lost is removed; other webhooks of the account stay', async () => {
		const s = setup();
		const hook = hookContext(s);
		await methods.create.call(hook);
		await s.fake.handle({
			method: 'POST',
			url: '/api/v4/webhooks',
			headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
			body: JSON.stringify({ destination: 'https://other.example/amo', settings: ['add_contact'] }),
		});
		const lost = s.fake.webhooks[0].destination;
		delete s.staticData.secret;

		expect(await methods.checkExists.call(hook)).toBe(false);
		await methods.create.call(hook);
		expect(s.fake.webhooks.map((w) => w.destination).sort()).toEqual(
			[`${PREFIX}${String(s.staticData.secret)}`, 'https://other.example/amo'].sort(),
		);
		expect(s.fake.webhooks.map((w) => w.destination)).not.toContain(lost);
	});

	it('unpublishing removes this node’s webhook only and forgets the secret', async () => {
		const s = setup();
		const hook = hookContext(s);
		await methods.create.call(hook);
		await s.fake.handle({
			method: 'POST',
			url: '/api/v4/webhooks',
			headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
			body: JSON.stringify({ destination: 'https://other.example/amo', settings: ['add_contact'] }),
		});

		expect(await methods.delete.call(hook)).toBe(true);
		expect(s.fake.webhooks.map((w) => w.destination)).toEqual(['https://other.example/amo']);
		expect(s.staticData).toEqual({});
		// Nothing left to remove is fine too.
		expect(await methods.delete.call(hook)).toBe(true);
	});

	it('Talk Closed asks amoCRM for talk updates; Other Event Codes are asked for as typed', async () => {
		const s = setup(['close_talk', 'responsible_contact']);
		s.parameters.otherEvents = ' add_customer, update_customer ,';
		await methods.create.call(hookContext(s));
		expect(s.fake.webhooks[0].settings).toEqual([
			'add_customer',
			'responsible_contact',
			'update_customer',
			'update_talk',
		]);
	});

	it('an Other Event Code that is not one is refused before any request', async () => {
		const s = setup(['add_lead']);
		s.parameters.otherEvents = 'add_lead, Deal moved';
		await expect(methods.create.call(hookContext(s))).rejects.toThrow(
			'"Deal moved" is not an amoCRM event code',
		);
		expect(s.fake.requests).toEqual([]);
	});

	it('without events chosen it says so before any request', async () => {
		const s = setup([]);
		await expect(methods.create.call(hookContext(s))).rejects.toThrow('No events chosen');
		expect(s.fake.requests).toEqual([]);
	});

	it('a credential without administrator rights: the error says an administrator must connect it', async () => {
		const s = setup();
		s.fake.failNext(1, 403);
		const error = (await methods.create
			.call(hookContext(s))
			.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('amoCRM refused access: no rights, or API access blocked');
		expect(error.description).toMatch(
			/^Only an administrator of the amoCRM account may register webhooks: connect the credential as an administrator/,
		);
		expect(s.fake.webhooks).toEqual([]);
	});
});

describe('deliveries', () => {
	async function published(parameters: IDataObject = {}): Promise<Setup> {
		const s = setup();
		Object.assign(s.parameters, parameters);
		await methods.create.call(hookContext(s));
		s.fake.clearRequests();
		return s;
	}

	const statusChange = (
		accountId: number | string = ACCOUNT_ID,
		pipelineId = '1001',
		statusId = '142',
	) =>
		encodeForm({
			leads: {
				status: [
					{
						id: '20000001',
						name: 'Заказ с сайта',
						status_id: statusId,
						old_status_id: '2003',
						pipeline_id: pipelineId,
						old_pipeline_id: pipelineId,
						price: '15000',
						responsible_user_id: '501',
						account_id: String(accountId),
						custom_fields: [
							{ id: '4001', name: 'Источник', values: [{ value: 'Сайт' }] },
							{ id: '4003', name: 'Канал', values: [{ value: 'Telegram', enum: '4102' }] },
						],
					},
				],
			},
			account: { subdomain: 'e2e', id: String(accountId) },
		});

	it('answers 200 before reading anything from amoCRM, then gives one item per event with the account’s field names', async () => {
		const s = await published();
		const answer: Answer = {};
		const result = await trigger.webhook.call(
			webhookContext(s, { secret: s.staticData.secret as string, body: statusChange() }, answer),
		);

		expect(answer).toEqual({ status: 200, json: { received: true }, requestsBefore: 0 });
		expect(result.noWebhookResponse).toBe(true);
		const [[item]] = result.workflowData ?? [[]];
		expect(item.json).toEqual({
			event: 'deal.statusChanged',
			entity: 'deal',
			id: 20000001,
			name: 'Заказ с сайта',
			statusId: 142,
			oldStatusId: 2003,
			pipelineId: 1001,
			oldPipelineId: 1001,
			responsibleUserId: 501,
			oldResponsibleUserId: null,
			price: 15000,
			tags: [],
			createdAt: null,
			updatedAt: null,
			customFields: { Source: 'Сайт', Channel: 'Telegram' },
			accountId: ACCOUNT_ID,
			raw: expect.objectContaining({ id: '20000001' }),
		});
		expect(s.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /api/v4/leads/custom_fields',
		]);
	});

	it('reads the account’s fields once for many deliveries (cached)', async () => {
		const s = await published();
		for (let i = 0; i < 3; i++)
			await trigger.webhook.call(
				webhookContext(s, { secret: s.staticData.secret as string, body: statusChange() }, {}),
			);
		expect(s.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /api/v4/leads/custom_fields',
		]);
	});

	it('when the account’s fields cannot be read, the names in the delivery are used and nothing is lost', async () => {
		const s = await published();
		s.fake.setMode('error500');
		const result = await trigger.webhook.call(
			webhookContext(s, { secret: s.staticData.secret as string, body: statusChange() }, {}),
		);
		expect(result.workflowData?.[0][0].json.customFields).toEqual({
			Источник: 'Сайт',
			Канал: 'Telegram',
		});
	});

	it.each([
		['a wrong secret', 'f'.repeat(64)],
		['no secret', undefined],
	])('%s: 403, no run, nothing asked of amoCRM', async (_, secret) => {
		const s = await published();
		const answer: Answer = {};
		const result = await trigger.webhook.call(
			webhookContext(s, { secret, body: statusChange() }, answer),
		);
		expect(answer).toMatchObject({ status: 403, json: { message: 'Unknown webhook address' } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(s.fake.requests).toEqual([]);
	});

	it('another account: 403, no run', async () => {
		const s = await published();
		const answer: Answer = {};
		const result = await trigger.webhook.call(
			webhookContext(
				s,
				{ secret: s.staticData.secret as string, body: statusChange(7039099) },
				answer,
			),
		);
		expect(answer).toMatchObject({
			status: 403,
			json: { message: 'This webhook belongs to another amoCRM account' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('another subdomain, or no account at all: 403', async () => {
		const s = await published();
		for (const body of [
			encodeForm({ task: { add: [{ id: '1' }] }, account: { subdomain: 'stranger' } }),
			encodeForm({ task: { add: [{ id: '1' }] } }),
		]) {
			const answer: Answer = {};
			expect(
				await trigger.webhook.call(
					webhookContext(s, { secret: s.staticData.secret as string, body }, answer),
				),
			).toEqual({ noWebhookResponse: true });
			expect(answer.status).toBe(403);
		}
	});

	it('the deal filter leaves out other stages (answered 200, no run when nothing is left)', async () => {
		const s = await published({ dealFilter: { stages: ['1001:142'] } });
		const won = await trigger.webhook.call(
			webhookContext(
				s,
				{ secret: s.staticData.secret as string, body: statusChange(ACCOUNT_ID, '1001', '142') },
				{},
			),
		);
		expect(won.workflowData?.[0]).toHaveLength(1);

		const answer: Answer = {};
		const wonElsewhere = await trigger.webhook.call(
			webhookContext(
				s,
				{ secret: s.staticData.secret as string, body: statusChange(ACCOUNT_ID, '1002', '142') },
				answer,
			),
		);
		expect(answer.status).toBe(200);
		expect(wonElsewhere).toEqual({ noWebhookResponse: true });
	});

	it('with Talk Closed alone, only closing updates of talks start the workflow', async () => {
		const s = setup(['close_talk']);
		await methods.create.call(hookContext(s));
		const talks = encodeForm({
			talk: {
				update: [
					{
						talk_id: '502',
						chat_id: 'c-1',
						is_in_work: '1',
						entity_type: 'leads',
						entity_id: '9001',
					},
					{
						talk_id: '503',
						chat_id: 'c-2',
						is_in_work: '0',
						entity_type: 'leads',
						entity_id: '9002',
					},
				],
			},
			account: { subdomain: 'e2e', id: String(ACCOUNT_ID) },
		});
		const result = await trigger.webhook.call(
			webhookContext(s, { secret: s.staticData.secret as string, body: talks }, {}),
		);
		expect(result.workflowData?.[0].map((item) => [item.json.event, item.json.id])).toEqual([
			['talk.closed', 503],
		]);
		s.parameters.events = ['close_talk', 'update_talk'];
		const both = await trigger.webhook.call(
			webhookContext(s, { secret: s.staticData.secret as string, body: talks }, {}),
		);
		expect(both.workflowData?.[0].map((item) => item.json.event)).toEqual([
			'talk.updated',
			'talk.closed',
		]);
	});

	it('the pipeline filter', async () => {
		const s = await published({ dealFilter: { pipelineIds: [1002] } });
		expect(
			(
				await trigger.webhook.call(
					webhookContext(
						s,
						{ secret: s.staticData.secret as string, body: statusChange(ACCOUNT_ID, '1001') },
						{},
					),
				)
			).workflowData,
		).toBeUndefined();
		expect(
			(
				await trigger.webhook.call(
					webhookContext(
						s,
						{ secret: s.staticData.secret as string, body: statusChange(ACCOUNT_ID, '1002') },
						{},
					),
				)
			).workflowData?.[0],
		).toHaveLength(1);
	});
});
