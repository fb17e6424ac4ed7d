/**
 * The node against the fake amoCRM (test/fakes/amocrm.ts), which enforces amoCRM's
 * limits: 7 requests in any second (counted at arrival) -> 429, 250 per batch, 50 per
 * /leads/complex. Real timers: these tests take a few seconds each.
 */
import { FakeAmoCrm } from '../../fakes/amocrm';
import { fakeTransport, runAgainstFake } from '../../support/fakeAmoCrm';
import { resetTransportState } from '../../support/runNode';

jest.setTimeout(60_000);

beforeEach(() => resetTransportState());

const contact = (name: string, extra: Record<string, unknown> = {}) => ({
	resource: 'contact',
	operation: 'create',
	name,
	avoidDuplicates: false,
	...extra,
});
const posts = (fake: FakeAmoCrm, path: string) =>
	fake.requests.filter((request) => request.method === 'POST' && request.path === path);

describe('rate limit (fake amoCRM, 7 per second at arrival)', () => {
	it('10 concurrent executions stay within 7 requests per second, with no 429', async () => {
		const fake = new FakeAmoCrm({ latencyMs: 30 });
		const runs = Array.from(
			{ length: 10 },
			async (_, execution) =>
				await runAgainstFake(fake, {
					items: [0, 1, 2].map((i) =>
						contact(`Lead ${execution}-${i}`, { options: { batchSize: 1 } }),
					),
				}),
		);
		const outputs = await Promise.all(runs);
		expect(outputs.flat()).toHaveLength(30);
		expect(fake.contacts).toHaveLength(30);
		expect(fake.tooManyRequestsCount).toBe(0);
		expect(fake.maxRequestsPerSecond()).toBeLessThanOrEqual(7);
	});

	it('a sequential flow against a fast amoCRM runs into no 429', async () => {
		const fake = new FakeAmoCrm({ latencyMs: 0 });
		const output = await runAgainstFake(fake, {
			items: Array.from({ length: 20 }, (_, i) =>
				contact(`Lead ${i}`, { options: { batchSize: 1 } }),
			),
		});
		expect(output).toHaveLength(20);
		expect(fake.tooManyRequestsCount).toBe(0);
		expect(fake.maxRequestsPerSecond()).toBeLessThanOrEqual(7);
	});
});

describe('batches against the fake amoCRM', () => {
	it('creates 500 contacts in 10 requests, in item order, each paired with its item', async () => {
		const fake = new FakeAmoCrm();
		const output = await runAgainstFake(fake, {
			items: Array.from({ length: 500 }, (_, i) => contact(`Lead ${i}`)),
		});
		expect(posts(fake, '/api/v4/contacts')).toHaveLength(10);
		expect(output.map((item) => [item.json.name, item.pairedItem])).toEqual(
			Array.from({ length: 500 }, (_, i) => [`Lead ${i}`, { item: i }]),
		);
		expect(new Set(output.map((item) => item.json.id)).size).toBe(500);
	});

	it('a 429 storm ends with every item created exactly once', async () => {
		const fake = new FakeAmoCrm();
		fake.failNext(3, 429);
		const output = await runAgainstFake(fake, {
			items: Array.from({ length: 120 }, (_, i) => contact(`Lead ${i}`)),
		});
		expect(output).toHaveLength(120);
		expect(fake.tooManyRequestsCount).toBe(3);
		expect(fake.contacts.map((created) => created.name).sort()).toEqual(
			Array.from({ length: 120 }, (_, i) => `Lead ${i}`).sort(),
		);
	});

	it('a 429 storm longer than the retry budget keeps what was created and names the items left', async () => {
		const fake = new FakeAmoCrm();
		const transport = fakeTransport(fake);
		const items = Array.from({ length: 120 }, (_, i) => contact(`Lead ${i}`));
		const { executeContext } = await import('../../support/executeContext');
		const { AmoCrm } = await import('../../../nodes/AmoCrm/AmoCrm.node');
		const context = executeContext({
			items,
			transport: async (node, type, options) => {
				const answer = await transport(node, type, options);
				fake.setMode('rateLimited'); // amoCRM starts answering 429 to everything after the first batch
				return answer;
			},
		});
		const error = await new AmoCrm().execute.call(context).catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			message: 'amoCRM asked to wait before the next request (429 Too Many Requests)',
			context: { itemIndex: 50 },
		});
		expect((error as Error & { description: string }).description).toContain(
			'Items 0-49 were created in amoCRM before this (contact IDs ',
		);
		expect((error as Error & { description: string }).description).toContain(
			'Not created: items 50-119.',
		);
		expect(fake.contacts).toHaveLength(50);
		expect(
			posts(fake, '/api/v4/contacts').filter((request) => request.status === 200),
		).toHaveLength(1);
	});

	it('with Continue On Fail a 429 storm returns the created items and an error for each item left', async () => {
		const stormy = new FakeAmoCrm();
		const stormyTransport = fakeTransport(stormy);
		const { executeContext } = await import('../../support/executeContext');
		const { AmoCrm } = await import('../../../nodes/AmoCrm/AmoCrm.node');
		const [result] = await new AmoCrm().execute.call(
			executeContext({
				continueOnFail: true,
				items: Array.from({ length: 120 }, (_, i) => contact(`Lead ${i}`)),
				transport: async (node, type, options) => {
					const answer = await stormyTransport(node, type, options);
					stormy.setMode('rateLimited');
					return answer;
				},
			}),
		);
		expect(result.slice(0, 50).every((item) => typeof item.json.id === 'number')).toBe(true);
		expect(result.slice(50, 100).map((item) => item.json.error)).toEqual(
			Array(50).fill('amoCRM asked to wait before the next request (429 Too Many Requests)'),
		);
		expect(result.slice(100).map((item) => item.json.error)).toEqual(
			Array(20).fill(
				'Not sent: amoCRM asked to wait before the next request (429 Too Many Requests)',
			),
		);
		expect(result.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 120 }, (_, i) => ({ item: i })),
		);
		expect(stormy.contacts).toHaveLength(50);
	});

	it('does not send a create again when its answer was lost', async () => {
		const fake = new FakeAmoCrm();
		fake.dropResponseOfNext('POST', '/api/v4/contacts');
		await expect(
			runAgainstFake(fake, { items: [contact('Aziz'), contact('Malika')] }),
		).rejects.toMatchObject({
			message: "amoCRM's answer was lost: the contact may have been created",
			context: { itemIndex: 0 },
		});
		expect(posts(fake, '/api/v4/contacts')).toHaveLength(1);
		expect(fake.contacts).toHaveLength(2); // amoCRM did create them: sending again would have made 4
	});

	it('maps a 400 for a batch to its items; with Continue On Fail the good items still go through', async () => {
		const fake = new FakeAmoCrm();
		const output = await runAgainstFake(fake, {
			continueOnFail: true,
			items: [
				contact('Good 0'),
				contact('Bad 1', { additionalFields: { responsibleUserId: 999 } }),
				contact('Good 2'),
			],
		});
		expect(output.map((item) => [item.json.name ?? item.json.error, item.pairedItem])).toEqual([
			['Good 0', { item: 0 }],
			[
				'amoCRM refused the contact: Responsible User: The value you selected is not a valid choice.',
				{ item: 1 },
			],
			['Good 2', { item: 2 }],
		]);
		expect(fake.contacts.map((created) => created.name)).toEqual(['Good 0', 'Good 2']);
		expect(posts(fake, '/api/v4/contacts').map((request) => request.status)).toEqual([400, 200]);
	});

	it('without Continue On Fail a 400 names the item and nothing of the batch is created', async () => {
		const fake = new FakeAmoCrm();
		await expect(
			runAgainstFake(fake, {
				items: [
					contact('Good 0'),
					contact('Bad 1', { additionalFields: { responsibleUserId: 999 } }),
				],
			}),
		).rejects.toMatchObject({
			message:
				'amoCRM refused the contact: Responsible User: The value you selected is not a valid choice.',
			context: { itemIndex: 1 },
		});
		expect(fake.contacts).toEqual([]);
	});

	it('Avoid Duplicates inside a batch: two items with one phone make one contact, the second reused', async () => {
		const fake = new FakeAmoCrm();
		const phone = (number: string) => ({
			phones: { phone: [{ number, type: 'MOB' }] },
			avoidDuplicates: true,
		});
		const output = await runAgainstFake(fake, {
			items: [
				contact('Aziz', phone('+998 71 202-14-41')),
				contact('Aziz again', phone('998712021441')),
				contact('Malika', phone('+998 90 111 22 33')),
			],
		});
		expect(fake.contacts.map((created) => created.name)).toEqual(['Aziz', 'Malika']);
		expect(output.map((item) => [item.json.id, item.json.reused])).toEqual([
			[fake.contacts[0].id, false],
			[fake.contacts[0].id, true],
			[fake.contacts[1].id, false],
		]);
		// the account's country once (998712021441 has no +), one search per distinct number, one create for both new contacts
		expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/v4/account',
			'GET /api/v4/contacts',
			'GET /api/v4/contacts',
			'POST /api/v4/contacts',
		]);
	});
});

describe('Deal > Create with a new contact (/leads/complex)', () => {
	const deal = (name: string, extra: Record<string, unknown> = {}) => ({
		resource: 'deal',
		operation: 'create',
		name,
		pipelineId: 1001,
		statusId: 2002,
		contactMode: 'new',
		newContactName: 'Aziz Karimov',
		newContactPhone: '+998 71 202-14-41',
		newContactAvoidDuplicates: false,
		...extra,
	});

	it('creates the deal and its contact in one request', async () => {
		const fake = new FakeAmoCrm();
		const output = await runAgainstFake(fake, { items: [deal('Site lead')] });
		const created = fake.leads[0];
		expect(output).toEqual([
			{
				json: {
					id: created.id,
					name: 'Site lead',
					price: 0,
					pipelineId: 1001,
					statusId: 2002,
					contactId: fake.contacts[0].id,
					url: `https://e2e.amocrm.ru/leads/detail/${created.id}`,
					contactReused: false,
					merged: false,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(fake.leadContacts(created.id)).toEqual([{ id: fake.contacts[0].id, is_main: true }]);
		expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/v4/leads/pipelines',
			'POST /api/v4/leads/complex',
		]);
	});

	it('a deal amoCRM refuses (its stage was deleted since the pipelines were read) leaves no contact behind and says which stage to pick', async () => {
		const fake = new FakeAmoCrm();
		await runAgainstFake(fake, { items: [deal('First')] }); // remembers the pipelines
		const sales = fake.pipelines[0];
		sales.statuses.splice(
			sales.statuses.findIndex((status) => status.id === 2002),
			1,
		);
		fake.clearRequests();
		await expect(runAgainstFake(fake, { items: [deal('Second')] })).rejects.toMatchObject({
			message: 'Stage 2002 is not a stage of pipeline "Sales"',
			context: { itemIndex: 0 },
		});
		// amoCRM's refusal makes the node read the pipelines again before failing the item.
		expect(
			fake.requests.map((request) => `${request.method} ${request.path} ${request.status}`),
		).toEqual(['POST /api/v4/leads/complex 400', 'GET /api/v4/leads/pipelines 200']);
		expect(fake.contacts).toHaveLength(1);
		expect(fake.leads).toHaveLength(1);
	});

	it("a deal amoCRM's duplicate control merged into an existing one comes out as merged, with that deal's ID and contact", async () => {
		const fake = new FakeAmoCrm();
		await runAgainstFake(fake, { items: [deal('First')] });
		const existing = fake.leads[0];
		fake.mergeNextComplexInto(existing.id);
		const output = await runAgainstFake(fake, { items: [deal('Second')] });
		expect(output[0].json).toMatchObject({
			id: existing.id,
			contactId: fake.contacts[0].id,
			contactReused: true,
			merged: true,
		});
		expect(fake.leads).toHaveLength(1);
	});

	it('two deals with one phone share one contact, with duplicate search on', async () => {
		const fake = new FakeAmoCrm();
		const output = await runAgainstFake(fake, {
			items: [
				deal('A', { newContactAvoidDuplicates: true }),
				deal('B', { newContactAvoidDuplicates: true }),
			],
		});
		expect(fake.contacts).toHaveLength(1);
		expect(output.map((item) => [item.json.contactId, item.json.contactReused])).toEqual([
			[fake.contacts[0].id, false],
			[fake.contacts[0].id, true],
		]);
		expect(
			posts(fake, '/api/v4/leads/complex').map((request) => (request.body as unknown[]).length),
		).toEqual([1, 1]);
	});
});
