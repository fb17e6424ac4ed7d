import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import {
	getPipelines as readPipelines,
	getTaskTypes as readTaskTypes,
	getUsers as readUsers,
} from '../transport/catalog';

/**
 * Dropdowns filled from the connected account, so that nobody has to look up an ID. Opening
 * one reads the account again (`fresh`), so a pipeline or user just added in amoCRM shows.
 */

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

export async function getPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const pipelines = await readPipelines.call(this, { fresh: true });
	return pipelines
		.filter((pipeline) => pipeline.is_archive !== true)
		.sort((a, b) => a.sort - b.sort)
		.map((pipeline) => ({
			name: pipeline.is_main ? `${pipeline.name} (main)` : pipeline.name,
			value: pipeline.id,
			description: `ID ${pipeline.id}`,
		}));
}

export async function getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const pipelineId = Number(this.getCurrentNodeParameter('pipelineId'));
	const pipelines = await readPipelines.call(this, { fresh: true });
	const pipeline =
		Number.isFinite(pipelineId) && pipelineId > 0
			? pipelines.find((candidate) => candidate.id === pipelineId)
			: pipelines.find((candidate) => candidate.is_main);
	if (!pipeline) return [];
	return [...pipeline._embedded.statuses]
		.sort((a, b) => a.sort - b.sort)
		.map((status) => ({ name: status.name, value: status.id, description: `ID ${status.id}` }));
}

export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const users = await readUsers.call(this, { fresh: true });
	return users
		.filter((user) => user.rights?.is_active !== false)
		.map((user) => ({ name: user.name, value: user.id, description: user.email }))
		.sort(byName);
}

export async function getTaskTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const types = await readTaskTypes.call(this, { fresh: true });
	return types
		.map((type) => ({ name: type.name, value: type.id, description: `ID ${type.id}` }))
		.sort(byName);
}
