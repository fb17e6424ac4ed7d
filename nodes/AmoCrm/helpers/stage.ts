/**
 * Stage values. The Stage list names a pipeline and one of its stages in one value,
 * "1002:2101", because amoCRM's closing stages (142 won, 143 lost) have the same ID in every
 * pipeline. An expression may also give a bare stage ID (2101), with or without Pipeline.
 */

export function stageValue(pipelineId: number, statusId: number): string {
	return `${pipelineId}:${statusId}`;
}

export type ParsedStage = { pipelineId?: number; statusId: number } | 'invalid';

/** "1002:2101" or "2101"; undefined when empty. */
export function parseStage(value: unknown): ParsedStage | undefined {
	const text = value === null || value === undefined ? '' : String(value).trim();
	if (text === '') return undefined;
	const match = /^(?:(\d+)\s*:\s*)?(\d+)$/.exec(text);
	if (!match || Number(match[2]) <= 0 || (match[1] !== undefined && Number(match[1]) <= 0))
		return 'invalid';
	return {
		pipelineId: match[1] === undefined ? undefined : Number(match[1]),
		statusId: Number(match[2]),
	};
}

/** amoCRM marks a pipeline's "Incoming leads" (Unsorted) stage with type 1. */
export const INCOMING_STAGE_TYPE = 1;

/** Whether a pipeline can take incoming leads: it has an Incoming leads stage. */
export function hasIncomingStage(pipeline: {
	_embedded: { statuses: Array<{ type?: number }> };
}): boolean {
	return pipeline._embedded.statuses.some((status) => status.type === INCOMING_STAGE_TYPE);
}
