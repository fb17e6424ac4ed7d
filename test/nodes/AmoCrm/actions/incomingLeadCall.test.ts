import { FakeAmoCrm } from '../../../fakes/amocrm';
import { pipelinesWithIncoming } from '../../../support/amoCrmAnswers';
import { AmoCrmScript } from '../../../support/executeContext';
import { runAgainstFake } from '../../../support/fakeAmoCrm';
import { resetTransportState, runNode } from '../../../support/runNode';

const PIPELINES = '/api/v4/leads/pipelines?page=1&limit=250';

// An incoming call lead as GET /api/v4/leads/unsorted shows it (crm_platform/unsorted-api example).
const sipRecord = {
	uid: '98fb033cefde74f5de1a5d3980a2a2d108037',
	source_uid: null,
	source_name: 'UIS',
	category: 'sip',
	pipeline_id: 2194576,
	created_at: 1583156937,
	metadata: {
		from: '7999999999',
		phone: 7999999999,
		called_at: 1583156916,
		duration: '0',
		link: null,
		service_code: 'uis_widget',
	},
	account_id: 123312,
	_links: {
		self: {
			href: 'https://e2e.amocrm.ru/api/v4/leads/unsorted/98fb033cefde74f5de1a5d3980a2a2d108037',
		},
	},
	_embedded: { contacts: [{ id: 13176707 }], leads: [{ id: 7002787 }], companies: [] },
};

const sipOutput = {
	uid: '98fb033cefde74f5de1a5d3980a2a2d108037',
	category: 'sip',
	sourceUid: null,
	sourceName: 'UIS',
	pipelineId: 2194576,
	createdAt: '2020-03-02T13:48:57.000Z',
	dealId: 7002787,
	contactId: 13176707,
	companyId: null,
	metadata: sipRecord.metadata,
	url: 'https://e2e.amocrm.ru/leads/detail/7002787',
};

beforeEach(() => resetTransportState());

describe('Incoming Lead > Create From a Call', () => {
	const base = {
		resource: 'incomingLead',
		operation: 'createFromCall',
		sourceName: 'n8n',
		callFrom: 'onlinePBX',
		serviceCode: 'n8n',
		options: { defaultCountryCode: '998' },
	};

	it("sends the call's lead with sip metadata to POST /leads/unsorted/sip and outputs what it made", async () => {
		const script = new AmoCrmScript().on('GET', PIPELINES, pipelinesWithIncoming).on(
			'POST',
			'/api/v4/leads/unsorted/sip',
			// The create answer as crm_platform/unsorted-api shows it.
			{
				body: {
					_total_items: 1,
					_embedded: {
						unsorted: [
							{
								uid: 'aa401affb0094076',
								account_id: 28805383,
								request_id: '0',
								_embedded: { contacts: [{ id: 7001 }], leads: [{ id: 9001 }], companies: [] },
							},
						],
					},
				},
			},
		);
		const output = await runNode({
			script,
			items: [
				{
					...base,
					dealName: 'Call from +998901234567',
					contactPhone: '+998 90 123 45 67',
					callerPhone: ' +998901234567 ',
					callUid: '1701234567.123',
					duration: 54,
					calledAt: '2026-11-28T09:15:00+05:00',
					recordingLink: 'https://pbx.example.com/records/123.mp3',
					callResponsible: '502',
					isCallEventNeeded: true,
					sourceUid: 'n8n-345-0',
				},
			],
		});
		expect(script.sent[1].body).toEqual([
			{
				source_uid: 'n8n-345-0',
				source_name: 'n8n',
				pipeline_id: 1001,
				metadata: {
					uniq: '1701234567.123',
					phone: '+998901234567',
					called_at: 1795839300,
					duration: 54,
					link: 'https://pbx.example.com/records/123.mp3',
					service_code: 'n8n',
					from: 'onlinePBX',
					call_responsible: 502,
					is_call_event_needed: true,
				},
				_embedded: {
					leads: [{ name: 'Call from +998901234567' }],
					contacts: [
						{
							custom_fields_values: [
								{ field_code: 'PHONE', values: [{ value: '+998901234567', enum_code: 'MOB' }] },
							],
						},
					],
				},
				request_id: '0',
			},
		]);
		expect(output).toEqual([
			{
				json: {
					uid: 'aa401affb0094076',
					sourceUid: 'n8n-345-0',
					dealId: 9001,
					contactId: 7001,
					pipelineId: 1001,
					pipelineName: 'Sales',
					url: 'https://e2e.amocrm.ru/leads/detail/9001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('refuses a missing caller, call ID, a bad duration or recording link, before any request', async () => {
		const script = new AmoCrmScript();
		const item = {
			...base,
			callerPhone: '+998901234567',
			callUid: 'c1',
			duration: 5,
			sourceUid: 'x',
		};
		const refusals: Array<[Record<string, unknown>, string]> = [
			[{ callerPhone: '' }, 'Caller Phone is empty'],
			[{ callUid: ' ' }, 'Call ID is empty'],
			[{ duration: -1 }, 'Duration must be a whole number of seconds, not "-1"'],
			[{ recordingLink: 'ftp:x' }, 'Recording Link must be a web address, not "ftp:x"'],
			[{ callFrom: '' }, 'Telephony Name is empty'],
			[{ calledAt: 'soon' }, 'Called At must be a date and time, not "soon"'],
		];
		for (const [change, message] of refusals) {
			await expect(runNode({ script, items: [{ ...item, ...change }] })).rejects.toMatchObject({
				message,
				context: { itemIndex: 0 },
			});
		}
		expect(script.sent).toEqual([]);
	});
});

describe('Incoming Lead > Get', () => {
	it('reads one incoming lead by its UID', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/unsorted/98fb033cefde74f5de1a5d3980a2a2d108037',
			{ body: sipRecord },
		);
		const output = await runNode({
			script,
			items: [
				{
					resource: 'incomingLead',
					operation: 'get',
					uid: '98fb033cefde74f5de1a5d3980a2a2d108037',
				},
			],
		});
		expect(output).toEqual([{ json: sipOutput, pairedItem: { item: 0 } }]);
	});

	it('says which UID amoCRM does not have (204), and refuses a UID that is not one before any request', async () => {
		const script = new AmoCrmScript().on('GET', '/api/v4/leads/unsorted/abc123', { status: 204 });
		await expect(
			runNode({ script, items: [{ resource: 'incomingLead', operation: 'get', uid: 'abc123' }] }),
		).rejects.toMatchObject({ message: 'Incoming lead abc123 was not found in amoCRM' });
		await expect(
			runNode({ script, items: [{ resource: 'incomingLead', operation: 'get', uid: 'Deal 5' }] }),
		).rejects.toMatchObject({
			message: 'Incoming Lead UID must be letters and digits, not "Deal 5"',
		});
		expect(script.sent).toHaveLength(1);
	});
});

describe('Incoming Lead > Get Many', () => {
	const base = { resource: 'incomingLead', operation: 'getAll' };

	it('lists incoming leads newest first, filtered by category and pipeline', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/unsorted?order%5Bcreated_at%5D=desc&filter%5Bcategory%5D%5B0%5D=sip&filter%5Bcategory%5D%5B1%5D=forms&filter%5Bpipeline_id%5D=2194576&page=1&limit=10',
			{ body: { _page: 1, _embedded: { unsorted: [sipRecord] } } },
		);
		const output = await runNode({
			script,
			items: [
				{ ...base, limit: 10, filters: { categories: ['sip', 'forms'], pipelineId: 2194576 } },
			],
		});
		expect(output).toEqual([{ json: sipOutput, pairedItem: { item: 0 } }]);
	});

	it('gives no items when there are none (204), and refuses an unknown category before any request', async () => {
		const script = new AmoCrmScript().on(
			'GET',
			'/api/v4/leads/unsorted?order%5Bcreated_at%5D=desc&page=1&limit=50',
			{ status: 204 },
		);
		expect(await runNode({ script, items: [{ ...base }] })).toEqual([]);
		await expect(
			runNode({ script, items: [{ ...base, filters: { categories: ['fax'] } }] }),
		).rejects.toMatchObject({ message: 'Filters > Categories: "fax" is not a category' });
		expect(script.sent).toHaveLength(1);
	});
});

describe('Incoming leads from calls against the fake amoCRM', () => {
	it('Create From a Call makes a waiting call lead that Get Many (calls only) and Get read back', async () => {
		const fake = new FakeAmoCrm();
		const created = await runAgainstFake(fake, {
			items: [
				{
					resource: 'incomingLead',
					operation: 'createFromCall',
					contactPhone: '+998901234567',
					callerPhone: '+998901234567',
					callUid: 'call-1',
					duration: 54,
					calledAt: '2026-11-28T09:15:00+05:00',
					callFrom: 'onlinePBX',
					serviceCode: 'n8n',
					sourceUid: 'n8n-1-0',
					sourceName: 'n8n',
				},
			],
		});
		const uid = created[0].json.uid as string;
		const listed = await runAgainstFake(fake, {
			items: [{ resource: 'incomingLead', operation: 'getAll', filters: { categories: ['sip'] } }],
		});
		expect(listed.map((item) => [item.json.uid, item.json.category])).toEqual([[uid, 'sip']]);
		const [read] = await runAgainstFake(fake, {
			items: [{ resource: 'incomingLead', operation: 'get', uid }],
		});
		expect(read.json).toMatchObject({
			uid,
			category: 'sip',
			dealId: created[0].json.dealId,
			contactId: created[0].json.contactId,
			metadata: {
				uniq: 'call-1',
				phone: '+998901234567',
				called_at: 1795839300,
				duration: '54',
				link: null,
				service_code: 'n8n',
				from: 'onlinePBX',
			},
		});
		expect(
			await runAgainstFake(fake, {
				items: [
					{ resource: 'incomingLead', operation: 'getAll', filters: { categories: ['forms'] } },
				],
			}),
		).toEqual([]);
	});
});
