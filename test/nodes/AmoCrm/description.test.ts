import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { AmoCrm } from '../../../nodes/AmoCrm/AmoCrm.node';

const { description } = new AmoCrm();

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const nested = (property.options ?? []).flatMap((option) => {
			if ('values' in option) return allProperties((option as INodePropertyCollection).values);
			if ('type' in option) return allProperties([option as INodeProperties]);
			return [];
		});
		return [property, ...nested];
	});
}

describe('AmoCRM node description', () => {
	it('has the type names other work depends on', () => {
		expect(description.name).toBe('amoCrm');
		expect(description.credentials?.map((credential) => credential.name)).toEqual([
			'amoCrmOAuth2Api',
			'amoCrmApi',
		]);
		const operations = description.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) =>
				(property.options as INodePropertyOptions[]).map(
					(option) => `${property.displayOptions?.show?.resource?.[0]}:${option.value}`,
				),
			);
		expect(operations.sort()).toEqual([
			'account:get',
			'apiRequest:send',
			'call:log',
			'company:create',
			'company:get',
			'company:getAll',
			'company:update',
			'contact:create',
			'contact:get',
			'contact:getAll',
			'contact:linkCompany',
			'contact:search',
			'contact:unlinkCompany',
			'contact:update',
			'deal:addProducts',
			'deal:create',
			'deal:get',
			'deal:getAll',
			'deal:linkContact',
			'deal:removeProducts',
			'deal:unlinkContact',
			'deal:update',
			'incomingLead:accept',
			'incomingLead:create',
			'incomingLead:createFromCall',
			'incomingLead:decline',
			'incomingLead:get',
			'incomingLead:getAll',
			'note:add',
			'note:get',
			'note:getAll',
			'note:update',
			'pipeline:getAll',
			'product:create',
			'product:getAll',
			'product:update',
			'siteForm:readSubmission',
			'siteForm:testForm',
			'tag:add',
			'tag:remove',
			'task:complete',
			'task:create',
			'task:get',
			'task:getAll',
			'task:update',
			'user:getAll',
		]);
	});

	it('is usable as an AI agent tool', () => {
		expect(description.usableAsTool).toBe(true);
	});

	it('explains every field a user fills in', () => {
		const undocumented = allProperties(description.properties)
			.filter(
				(property) =>
					!['resource', 'operation'].includes(property.name) &&
					!['notice', 'collection'].includes(property.type),
			)
			.filter((property) => !property.description || property.description.length < 10)
			.map((property) => property.name);
		expect(undocumented).toEqual([]);
	});

	it('gives every operation an action and sorts every option list by name', () => {
		for (const property of allProperties(description.properties)) {
			if (property.type !== 'options' || !Array.isArray(property.options)) continue;
			const names = (property.options as INodePropertyOptions[]).map((option) => option.name);
			expect({ name: property.name, names }).toEqual({
				name: property.name,
				names: [...names].sort((a, b) => a.localeCompare(b)),
			});
			if (property.name === 'operation') {
				for (const option of property.options as INodePropertyOptions[])
					expect(option.action).toMatch(/^[A-Z]/);
			}
		}
	});
});
