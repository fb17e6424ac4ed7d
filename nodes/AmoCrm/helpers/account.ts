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

/** The domain a pasted host names, when it names one that differs from the chosen one. */
export function conflictingDomain(input: string, domain: AmoCrmDomain): string | undefined {
	const host = input
		.trim()
		.toLowerCase()
		.replace('https://', '')
		.replace('http://', '')
		.split('/')[0];
	const rest = host.split('.').slice(1).join('.');
	return rest !== '' && rest !== domain ? rest : undefined;
}
