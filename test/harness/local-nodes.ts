import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

/**
 * Tiny node types of the harness's own, so workflow tests need nothing from
 * n8n-nodes-base. Their type names start with `harness.`.
 */

/**
 * "Start with these items": the node a run starts from. It outputs the items the
 * harness injected (`runWorkflow({ items })`), or, when its `items` parameter holds a
 * JSON array, those objects.
 */
export class StartWithItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start with these items',
		name: 'harness.start',
		group: ['trigger'],
		version: 1,
		description: 'Starts the run with the given items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Items (JSON Array)',
				name: 'items',
				type: 'json',
				default: '',
				description: 'When empty, the items given to the run are used',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0, '') as string | IDataObject[];
		if (raw === '' || raw === undefined) return [this.getInputData()];
		const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [parsed.map((json) => ({ json }))];
	}
}

/**
 * A stand-in for n8n's Manual Trigger: one empty item (or the injected items). Registered
 * as `harness.manualTrigger`, and under n8n's own type name so a workflow exported from n8n
 * that starts with "When clicking 'Execute workflow'" runs unchanged.
 */
export class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'harness.manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the run by hand',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * A Set-like node: for each item, sets the listed fields (values may be expressions) on
 * a copy of the item's JSON, or on an empty object when "Keep Only Set" is on.
 */
export class SetFields implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Set Fields',
		name: 'harness.set',
		group: ['transform'],
		version: 1,
		description: 'Sets fields on each item',
		defaults: { name: 'Set Fields' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Keep Only Set',
				name: 'keepOnlySet',
				type: 'boolean',
				default: false,
			},
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, itemIndex) => {
				const keepOnlySet = this.getNodeParameter('keepOnlySet', itemIndex) as boolean;
				const fields = this.getNodeParameter('fields.field', itemIndex, []) as Array<{
					name: string;
					value: unknown;
				}>;
				const json: IDataObject = keepOnlySet ? {} : { ...item.json };
				for (const { name, value } of fields) json[name] = value as IDataObject[string];
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	}
}

export const localNodeTypes: Array<{ typeName: string; nodeType: INodeType }> = [
	{ typeName: 'harness.start', nodeType: new StartWithItems() },
	{ typeName: 'harness.manualTrigger', nodeType: new ManualTrigger() },
	{ typeName: 'n8n-nodes-base.manualTrigger', nodeType: new ManualTrigger() },
	{ typeName: 'harness.set', nodeType: new SetFields() },
];
