import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'task', operation: 'complete' };
const patched = (id: number) => ({
	body: { id, updated_at: 1795849260, _links: { self: { href: `/api/v4/tasks/${id}` } } },
});

beforeEach(() => resetTransportState());

describe('Task > Complete', () => {
	it('marks the task as done with its result text', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/tasks/4745251', patched(4745251));
		const output = await runNode({
			script,
			items: [{ ...base, taskId: ' 4745251 ', resultText: ' Called back, comes on Monday ' }],
		});
		expect(script.sent).toEqual([
			{
				credentialType: 'amoCrmApi',
				method: 'PATCH',
				url: 'https://e2e.amocrm.ru/api/v4/tasks/4745251',
				qs: undefined,
				body: { is_completed: true, result: { text: 'Called back, comes on Monday' } },
			},
		]);
		expect(output).toEqual([
			{
				json: {
					id: 4745251,
					isCompleted: true,
					result: 'Called back, comes on Monday',
					updatedAt: '2026-11-28T07:01:00.000Z',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('completes without a result when Result is empty', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/tasks/12', patched(12));
		const output = await runNode({ script, items: [{ ...base, taskId: 12, resultText: '' }] });
		expect(script.sent[0].body).toEqual({ is_completed: true });
		expect(output[0].json).toEqual({
			id: 12,
			isCompleted: true,
			result: null,
			updatedAt: '2026-11-28T07:01:00.000Z',
		});
	});

	it('one request per item, each with its own task and result', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/tasks/1', patched(1))
			.on('PATCH', '/api/v4/tasks/2', patched(2));
		const output = await runNode({
			script,
			items: [
				{ ...base, taskId: '1', resultText: 'Done' },
				{ ...base, taskId: '2', resultText: 'No answer' },
			],
		});
		expect(script.sent.map((request) => [request.url, request.body])).toEqual([
			['https://e2e.amocrm.ru/api/v4/tasks/1', { is_completed: true, result: { text: 'Done' } }],
			[
				'https://e2e.amocrm.ru/api/v4/tasks/2',
				{ is_completed: true, result: { text: 'No answer' } },
			],
		]);
		expect(output.map((item) => [item.json.id, item.json.result, item.pairedItem])).toEqual([
			[1, 'Done', { item: 0 }],
			[2, 'No answer', { item: 1 }],
		]);
	});

	it.each([
		[
			'',
			'Task ID is empty',
			'Enter the amoCRM ID of the task, or map it from an earlier node, e.g. {{ $json.id }}.',
		],
		[
			'https://e2e.amocrm.ru/todo/line/',
			'Task ID must be a number, not "https://e2e.amocrm.ru/todo/line/"',
			'amoCRM IDs are whole numbers such as 40401635. If you mapped it from an earlier node, map its "id" field.',
		],
	])('refuses Task ID "%s" before any request', async (taskId, message, description) => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, taskId, resultText: 'Done' }] }),
		).rejects.toMatchObject({ message, description, context: { itemIndex: 0 } });
		expect(script.sent).toEqual([]);
	});

	it('says which task amoCRM does not have; with Continue On Fail the other item is completed', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/tasks/404', {
				status: 404,
				body: { title: 'Not Found', type: 'https://httpstatus.es/404', status: 404, detail: '' },
			})
			.on('PATCH', '/api/v4/tasks/5', patched(5));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, taskId: 404, resultText: 'Done' },
				{ ...base, taskId: 5, resultText: 'Done' },
			],
		});
		expect(output.map((item) => [item.json.error ?? item.json.id, item.pairedItem])).toEqual([
			['Task 404 was not found in amoCRM', { item: 0 }],
			[5, { item: 1 }],
		]);
	});
});
