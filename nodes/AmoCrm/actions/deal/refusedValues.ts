import type { LeadCreateRequest } from '../../transport/types';
import type { GivenValue } from '../common';

/**
 * Deal > Create > Options > If a Field Value Is Refused: "Create the Deal Without It and Add It
 * to the Note". amoCRM refuses a whole deal for one custom field value it will not take (a
 * choice removed, a text too long for its field); the deal is then sent again without the
 * values it named, and they are kept in the note and the output instead of being lost. A value
 * the node itself finds its field will not take is left out and listed the same way.
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

/**
 * The refused values as the item gave them (`given`, read with the deal: the field's name and the
 * text typed or chosen), not as the account's fields name them after the refusal, when a choice
 * amoCRM no longer has is only an ID.
 */
export function describeRefused(
	positions: number[],
	refusals: Refusal[],
	given: GivenValue[],
): RefusedField[] {
	return positions
		.filter((position) => given[position] !== undefined)
		.map((position) => {
			const reason = refusals
				.filter((refusal) => Number(FIELD_PATH.exec(refusal.path)?.[1]) === position)
				.map((refusal) => refusal.detail)
				.filter((detail) => detail !== '')
				.join('; ');
			return { ...given[position], reason: reason || 'refused by amoCRM' };
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
