import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'incomingLead', operation: 'decline' };
const UID = 'aa401affb0094076b7449008363c1dc7';

beforeEach(() => resetTransportState());

describe('Incoming Lead > Decline', () => {
	it('declines on behalf of the chosen user', async () => {
		const script = new AmoCrmScript().on('DELETE', `/api/v4/leads/unsorted/${UID}/decline`, {
			body: {
				uid: UID,
				pipeline_id: 1001,
				category: 'forms',
				created_at: 1795320900,
				_embedded: { leads: [{ id: 9001 }], contacts: [{ id: 7001 }] },
			},
		});
		const output = await runNode({ script, items: [{ ...base, uid: UID, userId: '502' }] });
		expect(script.sent).toEqual([
			expect.objectContaining({
				method: 'DELETE',
				url: `https://e2e.amocrm.ru/api/v4/leads/unsorted/${UID}/decline`,
				body: { user_id: 502 },
			}),
		]);
		expect(output).toEqual([
			{
				json: { uid: UID, declined: true, dealId: 9001, contactId: 7001, pipelineId: 1001 },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a lead already declined (400) says so and what to do', async () => {
		const script = new AmoCrmScript().on('DELETE', `/api/v4/leads/unsorted/${UID}/decline`, {
			status: 400,
			body: { title: 'Bad Request', status: 400, detail: 'Unsorted already declined' },
		});
		await expect(runNode({ script, items: [{ ...base, uid: UID }] })).rejects.toMatchObject({
			message: 'This incoming lead was already declined in amoCRM',
			description:
				'amoCRM answered "Unsorted already declined": an incoming lead (Unsorted) is accepted or declined once, and a declined one is in the trash. Check Incoming Lead UID: map the uid of a lead still waiting in the pipeline\'s Incoming stage, or leave this item out.',
			context: { itemIndex: 0 },
		});
	});

	it('an unknown UID (404) names the field; with Continue On Fail it is an error item', async () => {
		const script = new AmoCrmScript().on('DELETE', '/api/v4/leads/unsorted/cc03/decline', {
			status: 404,
			body: { title: 'Not Found', status: 404, detail: 'Unsorted not found' },
		});
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [{ ...base, uid: 'cc03' }],
		});
		expect(output).toEqual([
			expect.objectContaining({
				json: {
					error: 'Incoming lead cc03 was not found in amoCRM',
					description:
						'amoCRM answered "Not Found" (Unsorted not found). Check Incoming Lead UID: map the uid of an incoming lead of this amoCRM account ({{ $json.uid }} after Incoming Lead > Create, {{ $json.id }} after the AmoCRM Trigger), not a deal ID.',
				},
				pairedItem: { item: 0 },
			}),
		]);
	});

	it('refuses a user ID that is not a number before any request', async () => {
		const script = new AmoCrmScript();
		await expect(
			runNode({ script, items: [{ ...base, uid: UID, userId: 'Sales Manager' }] }),
		).rejects.toMatchObject({ message: 'User ID must be a number, not "Sales Manager"' });
		expect(script.sent).toEqual([]);
	});
});
