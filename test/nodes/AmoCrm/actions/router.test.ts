import type { IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { AmoCrm } from '../../../../nodes/AmoCrm/AmoCrm.node';
import { findOperation, runOperation } from '../../../../nodes/AmoCrm/actions/router';
import type {
	BatchOperation,
	ItemOperation,
	PreparedItem,
} from '../../../../nodes/AmoCrm/actions/operation';
import { executeContext } from '../../../support/executeContext';

/** Items with a `name`; "bad" fails in prepare/execute, "refused" fails in send. */
function context(names: string[], continueOnFail: boolean): IExecuteFunctions {
	return executeContext({ items: names.map((name) => ({ name })), continueOnFail });
}

function badInput(self: IExecuteFunctions, itemIndex: number): NodeOperationError {
	return new NodeOperationError(self.getNode(), 'Name is "bad"', {
		itemIndex,
		description: 'Fix the name.',
	});
}

const echo: ItemOperation = {
	description: [],
	async execute(itemIndex) {
		const name = this.getNodeParameter('name', itemIndex) as string;
		if (name === 'bad') throw badInput(this, itemIndex);
		if (name === 'plain') throw new Error('Something plain went wrong');
		return name === 'none' ? [] : [{ name }, { name: `${name} again` }];
	},
};

interface PreparedName extends PreparedItem {
	name: string;
}

function batched(sent: PreparedName[][]): BatchOperation<PreparedName> {
	return {
		description: [],
		async prepare(itemIndex) {
			const name = this.getNodeParameter('name', itemIndex) as string;
			if (name === 'bad') throw badInput(this, itemIndex);
			return { itemIndex, name };
		},
		async send(prepared) {
			sent.push(prepared);
			return prepared.map(({ itemIndex, name }) =>
				name === 'refused'
					? new NodeOperationError(this.getNode(), 'amoCRM refused it', { itemIndex })
					: [{ name }],
			);
		},
	};
}

describe('router: one contract for every operation', () => {
	it('finds an operation for every Resource and Operation choice the node offers, and nothing else', () => {
		const { properties } = new AmoCrm().description;
		const resources = (
			properties.find((property) => property.name === 'resource')?.options as INodePropertyOptions[]
		).map((option) => String(option.value));
		for (const resource of resources) {
			const operations = properties
				.filter(
					(property) =>
						property.name === 'operation' &&
						property.displayOptions?.show?.resource?.includes(resource),
				)
				.flatMap((property) => property.options as INodePropertyOptions[]);
			expect(operations.length).toBeGreaterThan(0);
			for (const { value } of operations) {
				expect([resource, value, findOperation(resource, String(value)) !== undefined]).toEqual([
					resource,
					value,
					true,
				]);
			}
		}
		expect(findOperation('contact', 'description')).toBeUndefined();
		expect(findOperation('nothing', 'create')).toBeUndefined();
	});

	describe('execute(itemIndex)', () => {
		it('outputs every item in input order, each paired with its input', async () => {
			const output = await runOperation.call(context(['a', 'none', 'b'], false), echo);
			expect(output).toEqual([
				{ json: { name: 'a' }, pairedItem: { item: 0 } },
				{ json: { name: 'a again' }, pairedItem: { item: 0 } },
				{ json: { name: 'b' }, pairedItem: { item: 2 } },
				{ json: { name: 'b again' }, pairedItem: { item: 2 } },
			]);
		});

		it('without Continue On Fail stops at the failing item, naming it', async () => {
			const failure = await runOperation
				.call(context(['a', 'bad', 'b'], false), echo)
				.catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(NodeOperationError);
			expect(failure).toMatchObject({
				message: 'Name is "bad"',
				description: 'Fix the name.',
				context: { itemIndex: 1 },
			});
		});

		it('with Continue On Fail turns failures into error items carrying their error', async () => {
			const output = await runOperation.call(context(['bad', 'plain', 'b'], true), echo);
			expect(output.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
				{ json: { error: 'Name is "bad"', description: 'Fix the name.' }, pairedItem: { item: 0 } },
				{ json: { error: 'Something plain went wrong' }, pairedItem: { item: 1 } },
				{ json: { name: 'b' }, pairedItem: { item: 2 } },
				{ json: { name: 'b again' }, pairedItem: { item: 2 } },
			]);
			expect(output[1].error).toBeInstanceOf(NodeOperationError);
			expect(output[1].error?.context.itemIndex).toBe(1);
		});
	});

	describe('prepare(itemIndex) + send(prepared)', () => {
		it('checks every item before sending, then sends them together', async () => {
			const sent: PreparedName[][] = [];
			const output = await runOperation.call(context(['a', 'b', 'c'], false), batched(sent));
			expect(sent).toEqual([
				[
					{ itemIndex: 0, name: 'a' },
					{ itemIndex: 1, name: 'b' },
					{ itemIndex: 2, name: 'c' },
				],
			]);
			expect(output).toEqual([
				{ json: { name: 'a' }, pairedItem: { item: 0 } },
				{ json: { name: 'b' }, pairedItem: { item: 1 } },
				{ json: { name: 'c' }, pairedItem: { item: 2 } },
			]);
		});

		it('without Continue On Fail sends nothing when an item is wrong', async () => {
			const sent: PreparedName[][] = [];
			const failure = await runOperation
				.call(context(['a', 'b', 'bad'], false), batched(sent))
				.catch((error: unknown) => error);
			expect(failure).toMatchObject({ message: 'Name is "bad"', context: { itemIndex: 2 } });
			expect(sent).toEqual([]);
		});

		it('without Continue On Fail fails on the first item send refused', async () => {
			const failure = await runOperation
				.call(context(['a', 'refused', 'b'], false), batched([]))
				.catch((error: unknown) => error);
			expect(failure).toMatchObject({ message: 'amoCRM refused it', context: { itemIndex: 1 } });
		});

		it('with Continue On Fail sends the good items and keeps every item in its place', async () => {
			const sent: PreparedName[][] = [];
			const output = await runOperation.call(
				context(['bad', 'a', 'refused', 'b'], true),
				batched(sent),
			);
			expect(sent).toEqual([
				[
					{ itemIndex: 1, name: 'a' },
					{ itemIndex: 2, name: 'refused' },
					{ itemIndex: 3, name: 'b' },
				],
			]);
			expect(output.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
				{ json: { error: 'Name is "bad"', description: 'Fix the name.' }, pairedItem: { item: 0 } },
				{ json: { name: 'a' }, pairedItem: { item: 1 } },
				{ json: { error: 'amoCRM refused it' }, pairedItem: { item: 2 } },
				{ json: { name: 'b' }, pairedItem: { item: 3 } },
			]);
			expect(output[2].error).toBeInstanceOf(NodeOperationError);
		});

		it('an error send throws names its own item; an amoCRM error stays an API error', async () => {
			const apiFailure: BatchOperation<PreparedName> = {
				...batched([]),
				async send() {
					throw new NodeApiError(
						this.getNode(),
						{ message: 'amoCRM is down' },
						{ message: 'amoCRM is down', itemIndex: 1 },
					);
				},
			};
			const failure = await runOperation
				.call(context(['a', 'b'], false), apiFailure)
				.catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(NodeApiError);
			expect(failure).toMatchObject({ message: 'amoCRM is down', context: { itemIndex: 1 } });
		});
	});
});
