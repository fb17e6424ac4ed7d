import type { CustomField, CustomFieldValue, CustomFieldValueItem } from '../transport/types';

/** One "Custom Fields" row as the user filled it in the node. */
export interface CustomFieldInput {
	fieldId: string | number;
	value: unknown;
	/** Choices picked from the field's list (amoCRM enum IDs); rows saved before it have none. */
	choices?: unknown;
}

/** The row's picked choices: a list from the editor, or the text an expression gave ("4101, 4102"). */
export function chosenChoices(choices: unknown): string[] {
	const list = Array.isArray(choices) ? choices : asText(choices).split(',');
	return list.map((choice) => asText(choice)).filter((choice) => choice !== '');
}

export class CustomFieldValueError extends Error {}

function asText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value).trim();
}

function enumItem(field: CustomField, text: string): CustomFieldValueItem {
	const match = (field.enums ?? []).find(
		(option) => option.value.toLowerCase() === text.toLowerCase() || String(option.id) === text,
	);
	if (!match) {
		const choices = (field.enums ?? []).map((option) => `"${option.value}"`).join(', ');
		throw new CustomFieldValueError(
			`"${text}" is not one of the choices of "${field.name}": ${choices}`,
		);
	}
	return { enum_id: match.id };
}

const TRUE_WORDS = ['true', '1', 'yes', 'on', 'да'];
const FALSE_WORDS = ['false', '0', 'no', 'off', 'нет', ''];

/**
 * Turns a row's text into amoCRM's value shape for the field's type
 * (https://www.amocrm.ru/developers/content/crm_platform/custom-fields, "Примеры заполнения").
 * Returns undefined for an empty value: an empty row means "leave the field alone".
 */
export function customFieldValue(field: CustomField, value: unknown): CustomFieldValue | undefined {
	const text = asText(value);
	if (text === '' && field.type !== 'checkbox') return undefined;
	const values = ((): CustomFieldValueItem[] => {
		switch (field.type) {
			case 'numeric':
			case 'price': {
				const number = Number(text.replace(',', '.').replace(/\s/g, ''));
				if (!Number.isFinite(number))
					throw new CustomFieldValueError(`"${text}" is not a number (field "${field.name}")`);
				return [{ value: number }];
			}
			case 'checkbox': {
				const word = text.toLowerCase();
				if (TRUE_WORDS.includes(word)) return [{ value: true }];
				if (FALSE_WORDS.includes(word)) return [{ value: false }];
				throw new CustomFieldValueError(`"${text}" is not yes or no (field "${field.name}")`);
			}
			case 'date':
			case 'date_time':
			case 'birthday': {
				const seconds = /^\d+$/.test(text) ? Number(text) : Math.floor(Date.parse(text) / 1000);
				if (!Number.isFinite(seconds)) {
					throw new CustomFieldValueError(
						`"${text}" is not a date: use 2026-11-26 or a Unix timestamp (field "${field.name}")`,
					);
				}
				return [{ value: seconds }];
			}
			case 'select':
			case 'radiobutton':
				return [enumItem(field, text)];
			case 'multiselect':
				return text
					.split(',')
					.map((part) => part.trim())
					.filter((part) => part !== '')
					.map((part) => enumItem(field, part));
			default:
				return [{ value: text }];
		}
	})();
	return { field_id: field.id, values };
}

/** What a row stores: its picked choices, or else its Value. */
function rowValue(field: CustomField, row: CustomFieldInput): unknown {
	const choices = chosenChoices(row.choices);
	if (choices.length === 0) return row.value;
	if (asText(row.value) !== '')
		throw new CustomFieldValueError(
			`"${field.name}" has both Choices and a Value: keep one of them`,
		);
	if (field.type === 'multiselect') return choices.join(',');
	if (field.type !== 'select' && field.type !== 'radiobutton')
		throw new CustomFieldValueError(`"${field.name}" has no choices: clear Choices and fill Value`);
	if (choices.length > 1)
		throw new CustomFieldValueError(
			`"${field.name}" takes one choice, not ${choices.length}: keep one in Choices`,
		);
	return choices[0];
}

/** Values for the account's fields; rows name fields by ID (from the dropdown or an expression). */
export function customFieldValues(
	rows: CustomFieldInput[],
	fields: CustomField[],
): CustomFieldValue[] {
	const result: CustomFieldValue[] = [];
	for (const row of rows) {
		const id = Number(row.fieldId);
		const field = fields.find((candidate) => candidate.id === id);
		if (!field)
			throw new CustomFieldValueError(
				`The account has no custom field with ID ${String(row.fieldId)}`,
			);
		const entry = customFieldValue(field, rowValue(field, row));
		if (entry) result.push(entry);
	}
	return result;
}
