import { amoCrmBatchUpdate } from '../../../../nodes/AmoCrm/transport/batch';
import type { BatchEntry } from '../../../../nodes/AmoCrm/transport/batch';
import { validationRefusal } from '../../../support/amoCrmAnswers';
import { AmoCrmScript, executeContext } from '../../../support/executeContext';
import { resetTransportState } from '../../../support/runNode';

type Body = { id: number; name?: string; price?: number };

const updated = (...ids: number[]) => ({
	body: {
		_links: { self: { href: 'https://e2e.amocrm.ru/api/v4/leads' } },
		_embedded: {
			leads: ids.map((id) => ({
				id,
				updated_at: 1764300000,
				_links: { self: { href: `https://e2e.amocrm.ru/api/v4/leads/${id}` } },
			})),
		},
	},
});

const entries = (...bodies: Body[]): Array<BatchEntry<Body>> =>
	bodies.map((body, itemIndex) => ({ itemIndex, body }));

async function update(
	script: AmoCrmScript,
	list: Array<BatchEntry<Body>>,
	options: { batchSize?: number; continueOnFail?: boolean } = {},
) {
	const context = executeContext({
		script,
		items: list.map(() => ({})),
		continueOnFail: options.continueOnFail,
	});
	return await amoCrmBatchUpdate.call(
		context,
		{
			path: 'leads',
			subject: 'deal',
			embeddedKey: 'leads',
			batchSize: options.batchSize ?? 50,
			continueOnFail: options.continueOnFail ?? false,
		},
		list,
	);
}

beforeEach(() => resetTransportState());

describe('batched PATCH (amoCrmBatchUpdate)', () => {
	it('changes several entities in one PATCH, each with its id and request_id, and pairs the answers by id', async () => {
		// amoCRM's answer lists the deals in its own order.
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', updated(12, 11));
		const outcomes = await update(script, entries({ id: 11, name: 'A' }, { id: 12, price: 5 }));
		expect(script.sent).toEqual([
			expect.objectContaining({
				method: 'PATCH',
				url: 'https://e2e.amocrm.ru/api/v4/leads',
				body: [
					{ id: 11, name: 'A', request_id: '0' },
					{ id: 12, price: 5, request_id: '1' },
				],
			}),
		]);
		expect(outcomes).toEqual([
			{ itemIndex: 0, updated: expect.objectContaining({ id: 11, updated_at: 1764300000 }) },
			{ itemIndex: 1, updated: expect.objectContaining({ id: 12, updated_at: 1764300000 }) },
		]);
	});

	it('sends at most Batch Size entities per request, and a deal named twice in a later request', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', updated(1, 2))
			.on('PATCH', '/api/v4/leads', updated(3, 1))
			.on('PATCH', '/api/v4/leads', updated(1));
		const outcomes = await update(
			script,
			entries({ id: 1 }, { id: 2 }, { id: 3 }, { id: 1 }, { id: 1 }),
			{
				batchSize: 2,
			},
		);
		expect(script.sent.map((request) => request.body)).toEqual([
			[
				{ id: 1, request_id: '0' },
				{ id: 2, request_id: '1' },
			],
			[
				{ id: 3, request_id: '2' },
				{ id: 1, request_id: '3' },
			],
			[{ id: 1, request_id: '4' }],
		]);
		expect(outcomes.map((outcome) => 'updated' in outcome && outcome.updated.id)).toEqual([
			1, 2, 3, 1, 1,
		]);
	});

	it('with Continue On Fail fails only the item amoCRM refused and sends the others again', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', validationRefusal('status_id', '1'))
			.on('PATCH', '/api/v4/leads', updated(11, 13));
		const outcomes = await update(script, entries({ id: 11 }, { id: 12 }, { id: 13 }), {
			continueOnFail: true,
		});
		expect(script.sent[1].body).toEqual([
			{ id: 11, request_id: '0' },
			{ id: 13, request_id: '2' },
		]);
		expect(outcomes[0]).toMatchObject({ itemIndex: 0, updated: { id: 11 } });
		expect(outcomes[1]).toMatchObject({
			itemIndex: 1,
			error: {
				message: 'amoCRM refused the deal: Stage: The value you selected is not a valid choice.',
				context: { itemIndex: 1 },
			},
		});
		expect(outcomes[2]).toMatchObject({ itemIndex: 2, updated: { id: 13 } });
	});

	it('without Continue On Fail stops at the refused item, saying what was changed and what was not', async () => {
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', updated(11))
			.on('PATCH', '/api/v4/leads', validationRefusal('price', '1'));
		await expect(
			update(script, entries({ id: 11 }, { id: 12, price: 1 }, { id: 13 }), { batchSize: 1 }),
		).rejects.toMatchObject({
			message: 'amoCRM refused the deal: Price: The value you selected is not a valid choice.',
			description:
				'Fix the value of the field named above in this node, then run it again. Items 0 were updated in amoCRM before this (deal IDs 11): do not send them again. Not updated: items 1, 2.',
			context: { itemIndex: 1 },
		});
		expect(script.sent).toHaveLength(2);
	});

	it('fails an entity amoCRM left out of its answer', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', updated(11));
		const outcomes = await update(script, entries({ id: 11 }, { id: 12 }), {
			continueOnFail: true,
		});
		expect(outcomes[1]).toMatchObject({
			itemIndex: 1,
			error: {
				message: 'amoCRM did not confirm the change of deal 12',
				description:
					'amoCRM answered without this deal. Open it in amoCRM to see whether it changed before running again.',
			},
		});
	});

	it('says a deal may have been changed when the answer to a PATCH was lost, and does not send it again', async () => {
		const script = new AmoCrmScript().on('PATCH', '/api/v4/leads', { networkError: 'ECONNRESET' });
		await expect(update(script, entries({ id: 11 }))).rejects.toMatchObject({
			message: "amoCRM's answer was lost: the deal may have been changed",
		});
		expect(script.sent).toHaveLength(1);
	});

	it('a refusal keyed by an ID it was not sent (amoCRM named no entry): one request per entity finds it', async () => {
		// The keyed shape of https://github.com/amocrm/amocrm-api-php/issues/88, under a key that is
		// none of the IDs sent.
		const keyed = {
			status: 400,
			body: {
				errors: { '999': 'Loss reason can be specified only for lost lead' },
				title: 'Bad Request',
				type: 'https://httpstatus.es/400',
				status: 400,
				detail: 'Invalid request body',
			},
		};
		const script = new AmoCrmScript()
			.on('PATCH', '/api/v4/leads', keyed)
			.on('PATCH', '/api/v4/leads', keyed)
			.on('PATCH', '/api/v4/leads', updated(12));
		const outcomes = await update(script, entries({ id: 11, name: 'A' }, { id: 12, name: 'B' }), {
			continueOnFail: true,
		});
		expect(script.sent.map((request) => request.body)).toEqual([
			[
				{ id: 11, name: 'A', request_id: '0' },
				{ id: 12, name: 'B', request_id: '1' },
			],
			[{ id: 11, name: 'A', request_id: '0' }],
			[{ id: 12, name: 'B', request_id: '1' }],
		]);
		expect(
			outcomes.map((outcome) => ('error' in outcome ? outcome.error.message : 'updated')),
		).toEqual([
			'amoCRM refused the deal: Loss reason can be specified only for lost lead',
			'updated',
		]);
	});
});
