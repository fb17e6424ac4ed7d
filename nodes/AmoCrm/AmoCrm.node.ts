import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account';
import * as apiRequest from './actions/apiRequest';
import * as call from './actions/call';
import * as company from './actions/company';
import * as contact from './actions/contact';
import * as deal from './actions/deal';
import * as incomingLead from './actions/incomingLead';
import * as note from './actions/note';
import * as pipeline from './actions/pipeline';
import * as product from './actions/product';
import * as siteForm from './actions/siteForm';
import * as tag from './actions/tag';
import * as task from './actions/task';
import * as user from './actions/user';
import { router } from './actions/router';
import { amoCrmCredentials, authenticationProperty } from './authentication';
import * as listSearch from './methods/listSearch';
import * as loadOptions from './methods/loadOptions';

export class AmoCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AmoCRM',
		name: 'amoCrm',
		icon: { light: 'file:amocrm.svg', dark: 'file:amocrm.dark.svg' },
		group: ['transform'],
		// A list, with defaultVersion 1: n8n then adds no "Custom API Call" option to Resource
		// and Operation (it adds one to a node whose version is a number equal to its
		// defaultVersion, or has none). That option opens the HTTP Request node, which both
		// credentials refuse so that their token only ever reaches the account's own host.
		version: [1],
		defaultVersion: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Create, find and update deals, contacts, companies, tasks, notes, tags and incoming leads in amoCRM and Kommo, and read site form submissions into leads',
		defaults: { name: 'AmoCRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: amoCrmCredentials,
		properties: [
			authenticationProperty(
				'OAuth2 uses the Connect button; a long-lived token is pasted from a private integration',
			),
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'API Request', value: 'apiRequest' },
					{ name: 'Call', value: 'call' },
					{ name: 'Company', value: 'company' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Deal', value: 'deal' },
					{ name: 'Incoming Lead', value: 'incomingLead' },
					{ name: 'Note', value: 'note' },
					{ name: 'Pipeline', value: 'pipeline' },
					{ name: 'Product', value: 'product' },
					{ name: 'Site Form', value: 'siteForm' },
					{ name: 'Tag', value: 'tag' },
					{ name: 'Task', value: 'task' },
					{ name: 'User', value: 'user' },
				],
				default: 'contact',
			},
			...account.description,
			...apiRequest.description,
			...call.description,
			...company.description,
			...contact.description,
			...deal.description,
			...incomingLead.description,
			...note.description,
			...pipeline.description,
			...product.description,
			...siteForm.description,
			...tag.description,
			...task.description,
			...user.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
