/**
 * Deliveries as amoCRM sends them: the documented examples of
 * https://www.amocrm.ru/developers/content/crm_platform/webhooks-format, form-encoded as amoCRM's
 * PHP encodes them (encodeForm), parsed back and made into items.
 */
import { encodeForm } from '../../fakes/amocrm';
import type { CustomField } from '../../../nodes/AmoCrm/transport/types';
import {
	deliveredEvents,
	eventItem,
	parseFormBody,
	passesDealFilter,
	readDelivery,
} from '../../../nodes/AmoCrmTrigger/payload';
import type { AccountFields } from '../../../nodes/AmoCrmTrigger/payload';

type Json = Record<string, unknown>;

function items(payload: Json, fields: AccountFields = {}): Json[] {
	const parsed = parseFormBody(encodeForm(payload));
	const account = parsed.account as Json | undefined;
	const accountId = account?.id === undefined ? null : Number(account.id);
	return deliveredEvents(parsed).map((event) => eventItem(event, accountId, fields));
}

const field = (
	id: number,
	name: string,
	type: string,
	enums: Array<[number, string]> | null = null,
	code: string | null = null,
): CustomField => ({
	id,
	name,
	type,
	code,
	enums: enums ? enums.map(([optionId, value]) => ({ id: optionId, value })) : null,
});

/** The documented "status" example, with the account amoCRM adds to every delivery. */
const statusExample = {
	leads: {
		status: {
			0: {
				id: '25399013',
				name: 'Lead title',
				old_status_id: '7039101',
				status_id: '142',
				price: '0',
				responsible_user_id: '123123',
				last_modified: '1413554372',
				modified_user_id: '123123',
				created_user_id: '123123',
				date_create: '1413554349',
				account_id: '7039099',
				custom_fields: [
					{ id: '427183', name: 'Checkbox custom field', values: ['1'] },
					{ id: '427271', name: 'Date custom field', values: ['1412380800'] },
					{ id: '1069602', name: 'Checkbox custom field', values: ['0'] },
					{ id: '427661', name: 'Text custom field', values: ['Валера'] },
					{ id: '1075272', name: 'Date custom field', values: ['1413331200'] },
				],
			},
		},
	},
	account: { subdomain: 'test', id: '7039099' },
};

describe('form-encoded deliveries', () => {
	it('decodes bracket keys into nested data with lists, Cyrillic and + as space', () => {
		expect(
			parseFormBody(
				'leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&leads%5Bstatus%5D%5B0%5D%5Bname%5D=%D0%A1%D0%B4%D0%B5%D0%BB%D0%BA%D0%B0+%E2%84%961&account%5Bid%5D=7',
			),
		).toEqual({
			leads: { status: [{ id: '1', name: 'Сделка №1' }] },
			account: { id: '7' },
		});
	});

	it('keeps objects keyed by IDs (linked_leads_id) as objects and ignores prototype keys', () => {
		const parsed = parseFormBody(
			'contacts[add][0][linked_leads_id][7551167][ID]=7551167&__proto__[polluted]=1&contacts[add][0][constructor][x]=1',
		);
		expect(parsed).toEqual({
			contacts: { add: [{ linked_leads_id: { '7551167': { ID: '7551167' } } }] },
		});
		expect(({} as Json).polluted).toBeUndefined();
	});

	it('keeps a malformed escape as it is instead of failing the delivery', () => {
		expect(parseFormBody('leads[add][0][name]=100%+sure%ZZ&account[id]=1')).toEqual({
			leads: { add: [{ name: '100% sure%ZZ' }] },
			account: { id: '1' },
		});
	});

	it('reads the raw body rather than n8n’s parsed one, which stops at 1000 keys', () => {
		const leads = Array.from({ length: 300 }, (_, index) => ({
			id: String(index + 1),
			name: `Сделка ${index + 1}`,
			status_id: '142',
			pipeline_id: '1',
		}));
		const raw = encodeForm({ leads: { update: leads }, account: { id: '1' } });
		const truncated = Object.fromEntries([...new URLSearchParams(raw).entries()].slice(0, 1000));
		const events = deliveredEvents(readDelivery(Buffer.from(raw), truncated));
		expect(events).toHaveLength(300);
		expect(events[299].data).toEqual({
			id: '300',
			name: 'Сделка 300',
			status_id: '142',
			pipeline_id: '1',
		});
	});

	it('reads n8n’s parsed body (bracket keys as names) when there is no raw body', () => {
		expect(readDelivery(undefined, { 'leads[delete][0][id]': '5', 'account[id]': '1' })).toEqual({
			leads: { delete: [{ id: '5' }] },
			account: { id: '1' },
		});
	});
});

describe('one clean item per entity event', () => {
	it('deal stage changed (documented example): numbers as numbers, custom fields by the account’s names and types', () => {
		const fields: AccountFields = {
			deal: [
				field(427183, 'Оплачено', 'checkbox'),
				field(427271, 'Дата оплаты', 'date'),
				field(1069602, 'Доставка', 'checkbox'),
				field(427661, 'Имя клиента', 'text'),
				field(1075272, 'Дата доставки', 'date'),
			],
		};
		expect(items(statusExample, fields)).toEqual([
			{
				event: 'deal.statusChanged',
				entity: 'deal',
				id: 25399013,
				name: 'Lead title',
				statusId: 142,
				oldStatusId: 7039101,
				pipelineId: null,
				oldPipelineId: null,
				responsibleUserId: 123123,
				oldResponsibleUserId: null,
				price: 0,
				tags: [],
				createdAt: 1413554349,
				updatedAt: 1413554372,
				customFields: {
					Оплачено: true,
					'Дата оплаты': 1412380800,
					Доставка: false,
					'Имя клиента': 'Валера',
					'Дата доставки': 1413331200,
				},
				accountId: 7039099,
				raw: { ...statusExample.leads.status[0] },
			},
		]);
	});

	it('without the account’s fields, uses the names in the delivery; a repeated name gets its ID', () => {
		const [item] = items(statusExample);
		expect(item.customFields).toEqual({
			'Checkbox custom field': '1',
			'Date custom field': '1412380800',
			'Checkbox custom field (1069602)': '0',
			'Text custom field': 'Валера',
			'Date custom field (1075272)': '1413331200',
		});
	});

	it('contact added (documented example): phones apart, linked company and deals', () => {
		const payload = {
			contacts: {
				add: [
					{
						id: '10952709',
						name: 'Контакт',
						responsible_user_id: '123123',
						date_create: '1684402722',
						last_modified: '1684402722',
						created_user_id: '123123',
						modified_user_id: '123123',
						company_name: 'Company',
						linked_company_id: '10857345',
						account_id: '7039099',
						custom_fields: [
							{
								id: '575809',
								name: 'Телефон',
								values: [{ value: '+76665554433', enum: '311321' }],
								code: 'PHONE',
							},
						],
						linked_leads_id: { '7551167': { ID: '7551167' } },
						created_at: '1684402722',
						updated_at: '1684402722',
						type: 'contact',
					},
				],
			},
			account: { subdomain: 'test', id: '7039099' },
		};
		expect(items(payload)).toEqual([
			{
				event: 'contact.added',
				entity: 'contact',
				id: 10952709,
				name: 'Контакт',
				responsibleUserId: 123123,
				oldResponsibleUserId: null,
				companyId: 10857345,
				dealIds: [7551167],
				phones: ['+76665554433'],
				emails: [],
				tags: [],
				createdAt: 1684402722,
				updatedAt: 1684402722,
				customFields: {},
				accountId: 7039099,
				raw: expect.objectContaining({ id: '10952709', type: 'contact' }),
			},
		]);
	});

	it('company added comes under "contacts" with type company (documented example)', () => {
		const payload = {
			contacts: {
				add: [
					{
						id: '10959143',
						name: 'Компания',
						responsible_user_id: '123123',
						date_create: '1684402979',
						last_modified: '1684402979',
						created_user_id: '123123',
						modified_user_id: '123123',
						account_id: '7039099',
						linked_leads_id: { '7480363': { ID: '7480363' } },
						created_at: '1684402979',
						updated_at: '1684402979',
						type: 'company',
					},
				],
			},
		};
		const [item] = items(payload);
		expect(item).toEqual({
			event: 'company.added',
			entity: 'company',
			id: 10959143,
			name: 'Компания',
			responsibleUserId: 123123,
			oldResponsibleUserId: null,
			dealIds: [7480363],
			phones: [],
			emails: [],
			tags: [],
			createdAt: 1684402979,
			updatedAt: 1684402979,
			customFields: {},
			accountId: 7039099,
			raw: expect.objectContaining({ type: 'company' }),
		});
	});

	it('company updated and deleted under "companies" are company events too', () => {
		expect(
			items({
				companies: { update: [{ id: '5', name: 'ООО Ромашка' }], delete: [{ id: '6' }] },
				account: { id: '1' },
			}).map((item) => [item.event, item.id, item.name]),
		).toEqual([
			['company.updated', 5, 'ООО Ромашка'],
			['company.deleted', 6, null],
		]);
	});

	it('task updated with its result (documented example, wrapped once more under "0")', () => {
		const payload = {
			task: {
				update: [
					{
						0: {
							id: '11122233',
							element_id: '33322211',
							element_type: '2',
							task_type: '1',
							date_create: '2017-07-20 15:00:00',
							text: 'Перезвонить клиенту',
							status: '1',
							account_id: '77711122',
							created_user_id: '123123',
							last_modified: '2017-07-21 19:00:00',
							responsible_user_id: '123123',
							complete_till: '2017-07-22 23:59:00',
							action_close: '1',
							result: { id: '155155155', text: 'Дозвонились' },
						},
					},
				],
			},
			account: { subdomain: 'test' },
		};
		expect(items(payload)).toEqual([
			{
				event: 'task.updated',
				entity: 'task',
				id: 11122233,
				text: 'Перезвонить клиенту',
				taskTypeId: 1,
				isCompleted: true,
				completeTill: null,
				completeTillLocal: '2017-07-22 23:59:00',
				responsibleUserId: 123123,
				oldResponsibleUserId: null,
				entityType: 'deal',
				entityId: 33322211,
				resultText: 'Дозвонились',
				createdAt: null,
				updatedAt: null,
				createdAtLocal: '2017-07-20 15:00:00',
				updatedAtLocal: '2017-07-21 19:00:00',
				accountId: 77711122,
				raw: expect.objectContaining({ id: '11122233', action_close: '1' }),
			},
		]);
	});

	it('task added and deleted', () => {
		expect(
			items({
				task: {
					add: [{ id: '1', text: 'Позвонить', status: '0', element_type: '1', element_id: '9' }],
					delete: [{ id: '2' }],
				},
				account: { id: '3' },
			}).map((item) => [item.event, item.id, item.text, item.isCompleted, item.entityType]),
		).toEqual([
			['task.added', 1, 'Позвонить', false, 'contact'],
			['task.deleted', 2, null, false, null],
		]);
	});

	it('incoming lead added (documented example): the form’s answers by their labels', () => {
		const payload = {
			unsorted: {
				add: [
					{
						uid: '40789acb990dbb9754dc234e18d2325470612b2284880504d78f258d8f77',
						category: 'forms',
						account_id: '1312313',
						user_id: '123123',
						source: 'Заявка с сайта №441310 из формы <<Форма #1548921297>>',
						pipeline_id: '142141',
						source_data: {
							name_1: {
								type: 'text',
								id: 'name_1',
								element_type: '1',
								name: 'ФИО',
								value: 'Валерий',
							},
							'23424_1': {
								type: 'multitext',
								id: '23424_1',
								element_type: '1',
								name: 'Телефон',
								value: '23424',
							},
							form_id: '243222',
							form_type: '1',
							date: '156232405',
							from: 'Заявка с сайта №441310 из формы <<Форма #1548921297>>',
							origin: {
								ip: '12.123.123.12',
								referer: 'https://test.amocrm.ru/settings/pipeline/leads/1232432',
								country: 'Russian Federation',
								city: 'Moscow',
							},
						},
						data: {
							leads: [
								{
									date_create: '156232405',
									visitor_uid: '202273f9-03cc-42b5-aa4d-71e2ead59ec4',
									created_user_id: '0',
									tags: 'Заявка с сайта',
								},
							],
							contacts: [
								{
									name: 'contact',
									custom_fields: [{ id: '121507', values: [{ enum: '223111', value: '23424' }] }],
								},
							],
						},
					},
				],
			},
			account: { subdomain: 'test', id: '1312313', _links: { self: 'https://test.amocrm.ru' } },
		};
		expect(items(payload)).toEqual([
			{
				event: 'incomingLead.added',
				entity: 'incomingLead',
				id: '40789acb990dbb9754dc234e18d2325470612b2284880504d78f258d8f77',
				category: 'forms',
				source: 'Заявка с сайта №441310 из формы <<Форма #1548921297>>',
				pipelineId: 142141,
				formName: null,
				formFields: { ФИО: 'Валерий', Телефон: '23424' },
				dealName: null,
				createdAt: 156232405,
				accountId: 1312313,
				raw: expect.objectContaining({ category: 'forms' }),
			},
		]);
	});

	it('note_lead as amoCRM delivers it: local date_create beside Unix created_at, main_user_id as the responsible user', () => {
		// The form of a real note_lead delivery (as reported in this project's issue 22); amoCRM's
		// webhooks-format page shows the same zone-less date for tasks and main_user_id for
		// incoming leads' deals and contacts.
		const [item] = items({
			leads: {
				note: [
					{
						note: {
							id: '1105001',
							element_id: '11062353',
							element_type: '2',
							note_type: '4',
							text: 'Клиент просит счёт',
							created_by: '501',
							main_user_id: '502',
							date_create: '2020-09-28 00:26:51',
							created_at: '1601242011',
							account_id: '29000001',
						},
					},
				],
			},
			account: { id: '29000001' },
		});
		expect(item).toMatchObject({
			event: 'note.added',
			responsibleUserId: 502,
			createdAt: 1601242011,
			createdAtLocal: '2020-09-28 00:26:51',
		});
		// One type per field across events: a deal's createdAt is a number too.
		expect(typeof item.createdAt).toBe('number');
	});

	it('note added to a deal, a contact and a company', () => {
		const note = (elementType: string, text: string) => ({
			note: {
				id: '900',
				element_id: '77',
				element_type: elementType,
				note_type: '4',
				text,
				created_by: '501',
				date_create: '1700000000',
				account_id: '29000001',
			},
		});
		expect(
			items({
				leads: { note: [note('2', 'Клиент просит счёт')] },
				contacts: { note: [note('1', 'Перезвонить после обеда')] },
				companies: { note: [note('3', 'Реквизиты обновлены')] },
				account: { id: '29000001' },
			}).map(({ raw, ...item }) => item),
		).toEqual([
			{
				event: 'note.added',
				entity: 'note',
				id: 900,
				noteType: 'common',
				text: 'Клиент просит счёт',
				entityType: 'deal',
				entityId: 77,
				createdBy: 501,
				responsibleUserId: null,
				createdAt: 1700000000,
				createdAtLocal: null,
				accountId: 29000001,
			},
			{
				event: 'note.added',
				entity: 'note',
				id: 900,
				noteType: 'common',
				text: 'Перезвонить после обеда',
				entityType: 'contact',
				entityId: 77,
				createdBy: 501,
				responsibleUserId: null,
				createdAt: 1700000000,
				createdAtLocal: null,
				accountId: 29000001,
			},
			{
				event: 'note.added',
				entity: 'note',
				id: 900,
				noteType: 'common',
				text: 'Реквизиты обновлены',
				entityType: 'company',
				entityId: 77,
				createdBy: 501,
				responsibleUserId: null,
				createdAt: 1700000000,
				createdAtLocal: null,
				accountId: 29000001,
			},
		]);
	});

	it('deal added, updated, responsible changed, deleted (with or without its fields) and restored', () => {
		const payload = {
			leads: {
				add: [
					{
						id: '1',
						name: 'Новая заявка',
						status_id: '2002',
						pipeline_id: '1001',
						price: '15000',
						tags: [
							{ id: '7', name: 'сайт' },
							{ id: '8', name: 'VIP' },
						],
					},
				],
				update: [
					{ id: '2', name: 'Заказ №2', status_id: '2003', pipeline_id: '1001', price: '2500.50' },
				],
				responsible: [{ id: '3', responsible_user_id: '502', old_responsible_user_id: '501' }],
				delete: [{ id: '4', status_id: '2101', pipeline_id: '1002' }, '5'],
				restore: [{ id: '6', name: 'Восстановленная' }],
			},
			account: { id: '29000001' },
		};
		expect(
			items(payload).map((item) => [
				item.event,
				item.id,
				item.name,
				item.pipelineId,
				item.statusId,
				item.price,
				item.responsibleUserId,
				item.oldResponsibleUserId,
				item.tags,
			]),
		).toEqual([
			['deal.added', 1, 'Новая заявка', 1001, 2002, 15000, null, null, ['сайт', 'VIP']],
			['deal.updated', 2, 'Заказ №2', 1001, 2003, 2500.5, null, null, []],
			['deal.responsibleChanged', 3, null, null, null, null, 502, 501, []],
			['deal.deleted', 4, null, 1002, 2101, null, null, null, []],
			['deal.deleted', 5, null, null, null, null, null, null, []],
			['deal.restored', 6, 'Восстановленная', null, null, null, null, null, []],
		]);
	});

	it('several entities and kinds of event in one post become one item each, in order', () => {
		const payload = {
			leads: {
				add: [
					{ id: '101', name: 'Сделка А', status_id: '2002', pipeline_id: '1001' },
					{ id: '102', name: 'Сделка Б', status_id: '2002', pipeline_id: '1001' },
				],
				status: [
					{
						id: '103',
						name: 'Сделка В',
						status_id: '142',
						old_status_id: '2003',
						pipeline_id: '1001',
						old_pipeline_id: '1001',
					},
				],
			},
			contacts: { update: [{ id: '201', name: 'Иван Петров', type: 'contact' }] },
			account: { id: '29000001', subdomain: 'e2e' },
		};
		expect(
			items(payload).map((item) => [
				item.event,
				item.id,
				item.name,
				item.oldStatusId,
				item.oldPipelineId,
			]),
		).toEqual([
			['deal.added', 101, 'Сделка А', null, null],
			['deal.added', 102, 'Сделка Б', null, null],
			['deal.statusChanged', 103, 'Сделка В', 2003, 1001],
			['contact.updated', 201, 'Иван Петров', undefined, undefined],
		]);
	});

	it('custom fields of every type, by the account’s names: texts, numbers, yes/no, dates, list choices by their text', () => {
		const definitions: AccountFields = {
			contact: [
				field(1, 'Должность', 'text'),
				field(2, 'Комментарий', 'textarea'),
				field(3, 'Сайт', 'url'),
				field(4, 'Сумма', 'numeric'),
				field(5, 'Цена', 'price'),
				field(6, 'Согласие', 'checkbox'),
				field(7, 'Дата', 'date'),
				field(8, 'Время', 'date_time'),
				field(9, 'День рождения', 'birthday'),
				field(10, 'Тип клиента', 'select', [
					[101, 'Розница'],
					[102, 'Опт'],
				]),
				field(11, 'Канал', 'radiobutton', [
					[111, 'Сайт'],
					[112, 'Звонок'],
				]),
				field(12, 'Интересы', 'multiselect', [
					[121, 'Доставка'],
					[122, 'Монтаж'],
					[123, 'Сервис'],
				]),
				field(13, 'Мессенджеры', 'multitext', [
					[131, 'TELEGRAM'],
					[132, 'WHATSAPP'],
				]),
				field(14, 'Адрес', 'streetaddress'),
				field(
					15,
					'Телефон',
					'multitext',
					[
						[151, 'WORK'],
						[152, 'MOB'],
					],
					'PHONE',
				),
				field(16, 'Email', 'multitext', [[161, 'WORK']], 'EMAIL'),
			],
		};
		const payload = {
			contacts: {
				update: [
					{
						id: '5',
						name: 'Анна',
						type: 'contact',
						custom_fields: [
							{ id: '1', name: 'Position', values: [{ value: 'Директор' }] },
							{ id: '2', name: 'Comment', values: [{ value: 'Звонить после 18:00' }] },
							{ id: '3', name: 'Web', values: [{ value: 'https://пример.рф' }] },
							{ id: '4', name: 'Amount', values: [{ value: '1500' }] },
							{ id: '5', name: 'Price', values: [{ value: '99.90' }] },
							{ id: '6', name: 'Consent', values: [{ value: '1' }] },
							{ id: '7', name: 'Date', values: [{ value: '1700000000' }] },
							{ id: '8', name: 'Time', values: [{ value: '1700003600' }] },
							{ id: '9', name: 'Birthday', values: [{ value: '631152000' }] },
							{ id: '10', name: 'Customer type', values: [{ value: 'Опт', enum: '102' }] },
							{ id: '11', name: 'Channel', values: [{ enum: '111' }] },
							{
								id: '12',
								name: 'Interests',
								values: [
									{ value: 'Доставка', enum: '121' },
									{ value: 'Сервис', enum: '123' },
								],
							},
							{
								id: '13',
								name: 'Messengers',
								values: [
									{ value: '@anna', enum: '131' },
									{ value: '+998901112233', enum: '132' },
								],
							},
							{ id: '14', name: 'Address', values: [{ value: 'Ташкент, ул. Навои, 1' }] },
							{
								id: '15',
								name: 'Телефон',
								code: 'PHONE',
								values: [
									{ value: '+79015550011', enum: '151' },
									{ value: '+998901234567', enum: '152' },
								],
							},
							{
								id: '16',
								name: 'Email',
								code: 'EMAIL',
								values: [{ value: 'anna@example.ru', enum: '161' }],
							},
							{ id: '99', name: 'Поле из другой версии', values: [{ value: 'а' }, { value: 'б' }] },
						],
					},
				],
			},
			account: { id: '1' },
		};
		const [item] = items(payload, definitions);
		expect(item.phones).toEqual(['+79015550011', '+998901234567']);
		expect(item.emails).toEqual(['anna@example.ru']);
		expect(item.customFields).toEqual({
			Должность: 'Директор',
			Комментарий: 'Звонить после 18:00',
			Сайт: 'https://пример.рф',
			Сумма: 1500,
			Цена: 99.9,
			Согласие: true,
			Дата: 1700000000,
			Время: 1700003600,
			'День рождения': 631152000,
			'Тип клиента': 'Опт',
			Канал: 'Сайт',
			Интересы: ['Доставка', 'Сервис'],
			Мессенджеры: ['@anna', '+998901112233'],
			Адрес: 'Ташкент, ул. Навои, 1',
			'Поле из другой версии': ['а', 'б'],
		});
	});

	it('contact and company responsible changed and restored', () => {
		const payload = {
			contacts: {
				responsible: [
					{ id: '11', name: 'Aziz', responsible_user_id: '502', old_responsible_user_id: '501' },
				],
				restore: [{ id: '12', name: 'Dilnoza' }],
			},
			companies: {
				responsible: [
					{
						id: '21',
						name: 'Shifo Med',
						responsible_user_id: '501',
						old_responsible_user_id: '502',
					},
				],
				restore: [{ id: '22', name: 'Nur Optika' }],
			},
			account: { id: '29000001' },
		};
		expect(
			items(payload).map((item) => [
				item.event,
				item.entity,
				item.id,
				item.name,
				item.responsibleUserId,
				item.oldResponsibleUserId,
			]),
		).toEqual([
			['contact.responsibleChanged', 'contact', 11, 'Aziz', 502, 501],
			['contact.restored', 'contact', 12, 'Dilnoza', null, null],
			['company.responsibleChanged', 'company', 21, 'Shifo Med', 501, 502],
			['company.restored', 'company', 22, 'Nur Optika', null, null],
		]);
	});

	// A talk's keys as crm_platform/talks-api describes the model (talk_id, chat_id, contact_id,
	// entity_id, entity_type, origin, is_in_work, is_read, rate), as deliveries send them
	// (talk[update][0][talk_id], …[is_in_work] = "1" in integrations reading real deliveries).
	const talk = (id: string, inWork: string) => ({
		talk_id: id,
		created_at: '1609459200',
		updated_at: '1609459260',
		rate: '0',
		contact_id: '11070881',
		chat_id: 'a1b2c3d4-0000-4000-8000-000000000001',
		entity_id: '9001',
		entity_type: 'leads',
		is_in_work: inWork,
		is_read: '0',
		origin: 'telegram',
		account_id: '29000001',
	});

	it('talk added, updated and closed (an update that leaves it out of work)', () => {
		const payload = {
			talk: { add: [talk('501', '1')], update: [talk('502', '1'), talk('503', '0')] },
			account: { id: '29000001' },
		};
		const [added, updated, closed] = items(payload);
		expect(added).toEqual({
			event: 'talk.added',
			entity: 'talk',
			id: 501,
			chatId: 'a1b2c3d4-0000-4000-8000-000000000001',
			contactId: 11070881,
			entityType: 'deal',
			entityId: 9001,
			origin: 'telegram',
			isInWork: true,
			isRead: false,
			rate: 0,
			createdAt: 1609459200,
			updatedAt: 1609459260,
			accountId: 29000001,
			raw: talk('501', '1'),
		});
		expect([updated.event, updated.id, updated.isInWork]).toEqual(['talk.updated', 502, true]);
		expect([closed.event, closed.id, closed.isInWork]).toEqual(['talk.closed', 503, false]);
	});

	it('incoming message (documented example of webhooks-format, Kommo add_message)', () => {
		const message = {
			id: 'amo12345-31ed-41af-am23-conf1504',
			chat_id: '2f61amo-c914-r429-m4f1-4005c15o5n0f',
			author: { id: '7a389amo2-cr65-46m6-8216-06f39w12q3d8s', name: 'Ivan Ivanov' },
			text: 'Hello World!',
			created_at: '1580116931',
			origin: 'telegram',
			attachment: {
				type: 'picture',
				link: 'https://amojo.amocrm.ru/attachments/db6a2cea-197b-4993-afd3-c0cdfc4cef7b/cc9a7fca-6f5f-4d6f-b39f-6f62ce20d432/amocrm.gif',
			},
			element_id: '123456789',
			element_type: '1',
		};
		expect(items({ message: { add: [message] }, account: { id: '29000001' } })).toEqual([
			{
				event: 'message.added',
				entity: 'message',
				id: 'amo12345-31ed-41af-am23-conf1504',
				messageType: null,
				text: 'Hello World!',
				chatId: '2f61amo-c914-r429-m4f1-4005c15o5n0f',
				talkId: null,
				contactId: null,
				entityType: 'contact',
				entityId: 123456789,
				origin: 'telegram',
				authorId: '7a389amo2-cr65-46m6-8216-06f39w12q3d8s',
				authorName: 'Ivan Ivanov',
				attachmentType: 'picture',
				attachmentLink:
					'https://amojo.amocrm.ru/attachments/db6a2cea-197b-4993-afd3-c0cdfc4cef7b/cc9a7fca-6f5f-4d6f-b39f-6f62ce20d432/amocrm.gif',
				createdAt: 1580116931,
				accountId: 29000001,
				raw: message,
			},
		]);
	});

	it('a kind of delivery the node does not know (an Other Event Code) gives an item named after amoCRM’s keys, its data in raw', () => {
		expect(
			items({ customers: { add: [{ id: '77', name: 'Regular' }] }, account: { id: '1' } }),
		).toEqual([
			{
				event: 'customers.added',
				entity: 'customers',
				id: 77,
				accountId: 1,
				raw: { id: '77', name: 'Regular' },
			},
		]);
	});
});

describe('deal filter', () => {
	const deal = (pipelineId: number | null, statusId: number | null) => ({
		entity: 'deal',
		pipelineId,
		statusId,
	});

	it('keeps deals of the chosen pipelines, or in the chosen "pipeline:stage" pairs only', () => {
		expect(passesDealFilter(deal(1001, 2002), { pipelineIds: [1001], stages: [] })).toBe(true);
		expect(passesDealFilter(deal(1002, 2101), { pipelineIds: [1001], stages: [] })).toBe(false);
		expect(passesDealFilter(deal(1001, 142), { pipelineIds: [], stages: ['1001:142'] })).toBe(true);
		// 142 closes every pipeline: "won in Sales" is not "won in Wholesale".
		expect(passesDealFilter(deal(1002, 142), { pipelineIds: [], stages: ['1001:142'] })).toBe(
			false,
		);
		expect(passesDealFilter(deal(null, null), { pipelineIds: [1001], stages: [] })).toBe(false);
		expect(passesDealFilter(deal(null, null), { pipelineIds: [], stages: [] })).toBe(true);
	});

	it('lets other events through', () => {
		expect(
			passesDealFilter({ entity: 'contact' }, { pipelineIds: [1001], stages: ['1001:142'] }),
		).toBe(true);
	});
});
