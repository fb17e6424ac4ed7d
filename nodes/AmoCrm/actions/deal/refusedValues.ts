import type { CustomField, CustomFieldValue, LeadCreateRequest } from '../../transport/types';

/**
 * Deal > Create > Options > If a Field Value Is Refused: "Create the Deal Without It and Add It
 * to the Note". amoCRM refuses a whole deal for one custom field value it will not take (a
 * choice removed, a text too long for its field); the deal is then sent again without the
 * values it named, and they are kept in the note and the output instead of being lost.
 */
export interface RefusedField {
	field: string;
	value: string;
	reason: string;
}

/** A validation error amoCRM gave for one deal (`validation-errors[].errors[]`). */
export interface Refusal {
	path: string;
	detail: string;
}

/** `custom_fields_values.2.values.0.value` -> 2 (also inside `_embedded.leads.0.`). */
const FIELD_PATH = /^(?:_embedded\.leads\.0\.)?custom_fields_values\.(\d+)(?:\.|$)/;

/**
 * The positions of the refused custom field values, when every refusal names one; undefined when
 * amoCRM refused anything else (the name, the stage, the contact): then the deal fails as before.
 */
export function refusedFieldPositions(refusals: Refusal[] | undefined): number[] | undefined {
	if (refusals === undefined || refusals.length === 0) return undefined;
	const positions = refusals.map((refusal) => FIELD_PATH.exec(refusal.path)?.[1]);
	if (positions.some((position) => position === undefined)) return undefined;
	return [...new Set(positions.map(Number))].sort((a, b) => a - b);
}

/** A value as the user typed or chose it: the text, or the choice's name. */
function valueText(value: CustomFieldValue, field: CustomField | undefined): string {
	return value.values
		.map((item) => {
			const entry = item as { value?: unknown; enum_id?: number; enum_code?: string };
			if (entry.value !== undefined && entry.value !== null) return String(entry.value);
			const choice = field?.enums?.find((candidate) => candidate.id === entry.enum_id);
			return choice?.value ?? String(entry.enum_id ?? entry.enum_code ?? '');
		})
		.join(', ');
}

/** The refused values, named as the account names the fields ("Field 4003" when it no longer has it). */
export function describeRefused(
	lead: LeadCreateRequest,
	positions: number[],
	refusals: Refusal[],
	fields: CustomField[] | undefined,
): RefusedField[] {
	const values = lead.custom_fields_values ?? [];
	return positions
		.filter((position) => values[position] !== undefined)
		.map((position) => {
			const value = values[position];
			const field = fields?.find((candidate) => candidate.id === value.field_id);
			const reason = refusals
				.filter((refusal) => Number(FIELD_PATH.exec(refusal.path)?.[1]) === position)
				.map((refusal) => refusal.detail)
				.filter((detail) => detail !== '')
				.join('; ');
			return {
				field: field?.name ?? value.field_name ?? `Field ${value.field_id ?? value.field_code}`,
				value: valueText(value, field),
				reason: reason || 'refused by amoCRM',
			};
		});
}

/** The deal's body without the refused values. */
export function withoutFields(lead: LeadCreateRequest, positions: number[]): LeadCreateRequest {
	const kept = (lead.custom_fields_values ?? []).filter(
		(_, position) => !positions.includes(position),
	);
	const { custom_fields_values: _dropped, ...rest } = lead;
	return kept.length > 0 ? { ...rest, custom_fields_values: kept } : rest;
}

/** The note's text: Options > Note, then the refused values, one a line. */
export function noteText(note: string, refused: RefusedField[]): string {
	if (refused.length === 0) return note;
	const lines = refused.map((item) => `${item.field}: ${item.value} (${item.reason})`);
	return [note, `Not saved in the deal's fields (amoCRM refused them):\n${lines.join('\n')}`]
		.filter((part) => part !== '')
		.join('\n\n');
}
