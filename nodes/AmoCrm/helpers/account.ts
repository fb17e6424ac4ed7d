import type { AmoCrmDomain } from '../transport/types';

/**
 * What a user may type as "Subdomain": "mycompany", "mycompany.amocrm.ru",
 * "https://mycompany.kommo.com/leads/pipeline/1". We keep the first label of the host.
 * The credentials' hidden URL expressions do the same with string methods, keep them in step.
 */
export function normaliseSubdomain(input: string): string {
	return input
		.trim()
		.toLowerCase()
		.replace('https://', '')
		.replace('http://', '')
		.split('/')[0]
		.split('.')[0];
}

const SUBDOMAIN = /^[a-z0-9][a-z0-9-]*$/;

export function isValidSubdomain(subdomain: string): boolean {
	return SUBDOMAIN.test(subdomain);
}

export function accountHost(subdomain: string, domain: AmoCrmDomain): string {
	return `${normaliseSubdomain(subdomain)}.${domain}`;
}

/**
 * amocrm.com accounts moved to kommo.com and keep their subdomain; Kommo's own webhooks still
 * name the account `https://SUB.amocrm.com` (`account[_links][self]`), so users paste that.
 */
const SAME_ACCOUNT_DOMAINS: Record<string, AmoCrmDomain> = { 'amocrm.com': 'kommo.com' };

/** The domain a pasted host names, when it names one that differs from the chosen one. */
export function conflictingDomain(input: string, domain: AmoCrmDomain): string | undefined {
	const host = input
		.trim()
		.toLowerCase()
		.replace('https://', '')
		.replace('http://', '')
		.split('/')[0];
	const rest = host.split('.').slice(1).join('.');
	if (rest === '' || rest === domain || SAME_ACCOUNT_DOMAINS[rest] === domain) return undefined;
	return rest;
}
