import { pipelinesWithIncoming, validationRefusal } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { resetTransportState, runNode } from '../../../support/runNode';

const base = { resource: 'incomingLead', operation: 'accept' };
const UID = 'aa401affb0094076b7449008363c1dc7';
const PIPELINES = '/api/v4/leads/pipelines?page=1&limit=250';
const pipelines = pipelinesWithIncoming;
/** amoCRM's answer to accept and decline (unsorted-api). */
const handled = (uid: string) => ({
	body: {
		uid,
		pipeline_id: 1001,
		category: 'forms',
		created_at: 1795320900,
		_embedded: { leads: [{ id: 9001 }], contacts: [{ id: 7001 }], companies: [] },
	},
});
const stage = (value: string) => ({ mode: 'list', value });

beforeEach(() => resetTransportState());

describe('Incoming Lead > Accept', () => {
	it('accepts into the chosen stage on behalf of the chosen user', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on('POST', `/api/v4/leads/unsorted/${UID}/accept`, handled(UID));
		const output = await runNode({
			script,
			items: [{ ...base, uid: ` ${UID} `, statusId: stage('1001:2003'), userId: 502 }],
		});
		expect(script.sent[1]).toMatchObject({
			method: 'POST',
			url: `https://e2e.amocrm.ru/api/v4/leads/unsorted/${UID}/accept`,
			body: { user_id: 502, status_id: 2003 },
		});
		expect(output).toEqual([
			{
				json: {
					uid: UID,
					dealId: 9001,
					contactId: 7001,
					pipelineId: 1001,
					statusId: 2003,
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it("without a stage: amoCRM's default, read back from the deal", async () => {
		const script = new AmoCrmScript()
			.on('POST', `/api/v4/leads/unsorted/${UID}/accept`, handled(UID))
			.on('GET', '/api/v4/leads/9001', { body: { id: 9001, status_id: 2002, pipeline_id: 1001 } });
		const output = await runNode({ script, items: [{ ...base, uid: UID, statusId: stage('') }] });
		expect(script.sent[0].body).toEqual({});
		expect(output[0].json).toMatchObject({ dealId: 9001, statusId: 2002 });
	});

	it('refuses the Incoming leads stage itself before sending anything', async () => {
		const script = new AmoCrmScript().on('GET', PIPELINES, pipelines);
		await expect(
			runNode({ script, items: [{ ...base, uid: UID, statusId: stage('1001:2001') }] }),
		).rejects.toMatchObject({
			message: 'Stage "Incoming" is the Incoming leads stage, where the lead already is',
			description:
				"Choose Pipeline and Stage from the list: a stage of the pipeline the incoming lead is in, other than Incoming leads. Or leave it empty for that pipeline's first stage.",
			context: { itemIndex: 0 },
		});
		expect(script.sent.map((request) => request.method)).toEqual(['GET']);
	});

	it.each([
		[
			'',
			'Incoming Lead UID is empty',
			"Map the uid of the incoming lead: {{ $json.uid }} after Incoming Lead > Create, or {{ $json.id }} after the AmoCRM Trigger's Incoming Lead Added event.",
		],
		[
			'../leads/1',
			'Incoming Lead UID must be letters and digits, not "../leads/1"',
			'Map the uid amoCRM gave the incoming lead (such as 69035fda95c38bf3a281e846652217aade38692a), not a deal ID or a name: {{ $json.uid }} after Incoming Lead > Create, or {{ $json.id }} after the AmoCRM Trigger.',
		],
	])('refuses the UID %j before any request', async (uid, message, description) => {
		const script = new AmoCrmScript();
		await expect(runNode({ script, items: [{ ...base, uid }] })).rejects.toMatchObject({
			message,
			description,
			context: { itemIndex: 0 },
		});
		expect(script.sent).toEqual([]);
	});

	it('an unknown UID (404) names the field and what to map', async () => {
		const script = new AmoCrmScript().on('POST', `/api/v4/leads/unsorted/${UID}/accept`, {
			status: 404,
			body: { title: 'Not Found', status: 404, detail: 'Unsorted not found' },
		});
		await expect(runNode({ script, items: [{ ...base, uid: UID }] })).rejects.toMatchObject({
			message: `Incoming lead ${UID} was not found in amoCRM`,
			description:
				'amoCRM answered "Not Found" (Unsorted not found). Check Incoming Lead UID: map the uid of an incoming lead of this amoCRM account ({{ $json.uid }} after Incoming Lead > Create, {{ $json.id }} after the AmoCRM Trigger), not a deal ID.',
			context: { itemIndex: 0 },
		});
	});

	it('a lead already accepted (400) says so and what to do', async () => {
		const script = new AmoCrmScript().on('POST', `/api/v4/leads/unsorted/${UID}/accept`, {
			status: 400,
			body: { title: 'Bad Request', status: 400, detail: 'Unsorted already accepted' },
		});
		await expect(runNode({ script, items: [{ ...base, uid: UID }] })).rejects.toMatchObject({
			message: 'This incoming lead was already accepted in amoCRM',
			description:
				'amoCRM answered "Unsorted already accepted": an incoming lead (Unsorted) is accepted or declined once, and an accepted one is now a deal in its stage, moved like any other deal. Check Incoming Lead UID: map the uid of a lead still waiting in the pipeline\'s Incoming stage, or leave this item out.',
		});
	});

	it('a stage of another pipeline refused by amoCRM names the field and the rule; with Continue On Fail the next lead is accepted', async () => {
		const script = new AmoCrmScript()
			.on('GET', PIPELINES, pipelines)
			.on('POST', `/api/v4/leads/unsorted/${UID}/accept`, validationRefusal('status_id'))
			.on('POST', '/api/v4/leads/unsorted/bb02/accept', handled('bb02'));
		const output = await runNode({
			script,
			continueOnFail: true,
			items: [
				{ ...base, uid: UID, statusId: stage('2003') },
				{ ...base, uid: 'bb02', statusId: stage('1001:2003') },
			],
		});
		expect(output.map((item) => item.json)).toEqual([
			{
				error:
					'amoCRM refused the incoming lead: Pipeline and Stage (a stage of the pipeline the incoming lead is in): The value you selected is not a valid choice.',
				description: 'Fix the value of the field named above in this node, then run it again.',
			},
			expect.objectContaining({ uid: 'bb02', statusId: 2003 }),
		]);
	});
});
