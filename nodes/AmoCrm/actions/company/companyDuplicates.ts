import type { IExecuteFunctions } from 'n8n-workflow';

import { duplicateKeys, findByPhoneOrEmail, phoneEmailSearch } from '../contact/duplicates';
import type { DuplicateRule, FoundEntity, PhoneEmailQuestion } from '../contact/duplicates';
import { searchEntities } from '../contact/lookup';

/** What Avoid Duplicates asks of a new company: its name, phones and emails. */
export interface CompanyQuestion extends PhoneEmailQuestion {
	name: string;
}

/** A company name as two names are compared: case and runs of spaces do not count. */
export function comparableName(name: string): string {
	return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Companies named exactly so (case aside) among amoCRM's full-text hits for the name. */
export async function findCompaniesByName(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
): Promise<FoundEntity[]> {
	const wanted = comparableName(name);
	const candidates = await searchEntities.call(context, 'companies', name.trim(), itemIndex);
	return candidates.filter((candidate) => comparableName(candidate.name ?? '') === wanted);
}

/**
 * Companies: the same name, else the same phone or email (one search each, name first). Two
 * items of one run with the same name, phone or email are one company.
 */
export function companyDuplicateRule(context: IExecuteFunctions): DuplicateRule<CompanyQuestion> {
	const search = phoneEmailSearch(context, 'companies');
	return {
		keys: (question) => [`name:${comparableName(question.name)}`, ...duplicateKeys(question)],
		findExisting: async (question) => {
			const [named] = await findCompaniesByName(context, question.name, question.itemIndex);
			return named ?? (await findByPhoneOrEmail(search, question));
		},
	};
}
