import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'task', operation: 'getAll' };

function task(id: number, overrides: Record<string, unknown> = {}) {
	return {
		id,
		created_by: 501,
		updated_by: 501,
		created_at: 1795849200,
		updated_at: 1795849200,
		responsible_user_id: 501,
		group_id: 0,
		entity_id: 9001,
		entity_type: 'leads',
		duration: 0,
		is_completed: false,
		task_type_id: 1,
		text: 'Call back',
		result: [],
		complete_till: 1795850100,
		account_id: 30000001,
		_links: { self: { href: `https://e2e.amocrm.ru/api/v4/tasks/${id}` } },
		...overrides,
	};
}

const page = (tasks: unknown[], next?: string) => ({
	body: {
		_page: 1,
		_links: { self: { href: 'x' }, ...(next ? { next: { href: next } } : {}) },
		_embedded: { tasks },
	},
});

/** The query amoCRM gets, decoded, as "key=value" pairs. */
function query(url: string): string[] {
	return [...new URL(url).searchParams.entries()].map(([key, value]) => `${key}=${value}`);
}

beforeEach(() => resetTransportState());

describe('Task > Get Many', () => {
	it('by default: open tasks of everyone, soonest due first, up to 50, due as ISO too', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/tasks',
			page([
				task(11),
				task(12, {
					entity_type: 'contacts',
					entity_id: 4040,
					task_type_id: 2,
					responsible_user_id: 502,
					text: 'Meet',
				}),
				task(13, { entity_type: null, entity_id: null, text: 'Order paper' }),
			]),
		);
		const output = await runNode({ script, items: [base] });
		expect(query(script.sent[0].url)).toEqual([
			'filter[is_completed]=0',
			'order[complete_till]=asc',
			'page=1',
			'limit=50',
		]);
		expect(output.map((item) => item.json)).toEqual([
			{
				id: 11,
				text: 'Call back',
				entityType: 'deal',
				entityId: 9001,
				taskTypeId: 1,
				dueAt: '2026-11-28T07:15:00.000Z',
				completeTill: 1795850100,
				responsibleUserId: 501,
				isCompleted: false,
				result: null,
				url: 'https://e2e.amocrm.ru/leads/detail/9001',
			},
			{
				id: 12,
				text: 'Meet',
				entityType: 'contact',
				entityId: 4040,
				taskTypeId: 2,
				dueAt: '2026-11-28T07:15:00.000Z',
				completeTill: 1795850100,
				responsibleUserId: 502,
				isCompleted: false,
				result: null,
				url: 'https://e2e.amocrm.ru/contacts/detail/4040',
			},
			{
				id: 13,
				text: 'Order paper',
				entityType: null,
				entityId: null,
				taskTypeId: 1,
				dueAt: '2026-11-28T07:15:00.000Z',
				completeTill: 1795850100,
				responsibleUserId: 501,
				isCompleted: false,
				result: null,
				url: null,
			},
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
	});

	it("completed tasks of one deal and one user, with the result's text", async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/tasks',
			page([task(21, { is_completed: true, result: { text: 'Called, comes Monday' } })]),
		);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					status: 'completed',
					entityType: 'deal',
					dealId: { __rl: true, mode: 'url', value: 'https://e2e.amocrm.ru/leads/detail/9001' },
					filters: { responsibleUserId: 501 },
					limit: 10,
				},
			],
		});
		expect(query(script.sent[0].url)).toEqual([
			'filter[is_completed]=1',
			'filter[entity_type]=leads',
			'filter[entity_id]=9001',
			'filter[responsible_user_id]=501',
			'order[complete_till]=asc',
			'page=1',
			'limit=10',
		]);
		expect(output[0].json).toMatchObject({
			id: 21,
			isCompleted: true,
			result: 'Called, comes Monday',
		});
	});

	it('all statuses of every company (For: Company, no company chosen)', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/tasks', { status: 204 });
		const output = await runNode({
			script,
			items: [
				{
					...base,
					status: 'all',
					entityType: 'company',
					companyId: { __rl: true, mode: 'list', value: '' },
				},
			],
		});
		expect(query(script.sent[0].url)).toEqual([
			'filter[entity_type]=companies',
			'order[complete_till]=asc',
			'page=1',
			'limit=50',
		]);
		expect(output).toEqual([]);
	});

	it('Return All reads page after page until amoCRM has no next page', async () => {
		const script = new AmoCrmScript()
			.on(
				'GET',
				'/api/v4/tasks',
				page([task(1), task(2)], 'https://e2e.amocrm.ru/api/v4/tasks?page=2'),
			)
			.on('GET', '/api/v4/tasks', page([task(3)]));
		const output = await runNode({ script, items: [{ ...base, returnAll: true }] });
		expect(script.sent.map((request) => query(request.url).slice(-2))).toEqual([
			['page=1', 'limit=250'],
			['page=2', 'limit=250'],
		]);
		expect(output.map((item) => item.json.id)).toEqual([1, 2, 3]);
	});

	it.each([
		[
			{ entityType: 'contact', contactId: { __rl: true, mode: 'id', value: 'Anna' } },
			'Contact must be an amoCRM ID or the contact\'s page address, not "Anna"',
		],
		[
			{ filters: { responsibleUserId: 'Anna' } },
			'Responsible User ID must be a number, not "Anna"',
		],
		[{ limit: 0 }, 'Limit must be a whole number of 1 or more, not "0"'],
	])('refuses %j before any request', async (parameters, message) => {
		const script = new AmoCrmScript();
		await expect(runNode({ script, items: [{ ...base, ...parameters }] })).rejects.toMatchObject({
			message,
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});
});
