import type { IDataObject } from 'n8n-workflow';

import { isoTime } from '../../helpers/readableFields';
import type { OperationResult } from '../operation';

/** An incoming lead as `GET /api/v4/leads/unsorted` and `/leads/unsorted/{uid}` answer (crm_platform/unsorted-api). */
export interface UnsortedRecord {
	uid: string;
	source_uid?: string | null;
	source_name?: string | null;
	category?: string;
	pipeline_id?: number;
	created_at?: number;
	metadata?: IDataObject | null;
	_embedded?: {
		leads?: Array<{ id: number }>;
		contacts?: Array<{ id: number }>;
		companies?: Array<{ id: number }>;
	};
}

/** An incoming lead as the node outputs it: its category, source, the deal, contact and company it brings, the metadata as amoCRM keeps it. */
export function incomingLeadOutput(record: UnsortedRecord, accountUrl: string): OperationResult {
	const dealId = record._embedded?.leads?.[0]?.id ?? null;
	return {
		uid: record.uid,
		category: record.category ?? null,
		sourceUid: record.source_uid ?? null,
		sourceName: record.source_name ?? null,
		pipelineId: record.pipeline_id ?? null,
		createdAt: isoTime(record.created_at),
		dealId,
		contactId: record._embedded?.contacts?.[0]?.id ?? null,
		companyId: record._embedded?.companies?.[0]?.id ?? null,
		metadata: record.metadata ?? {},
		url: dealId === null ? null : `${accountUrl}/leads/detail/${dealId}`,
	};
}
