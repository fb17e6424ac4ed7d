import {
	accountHost,
	conflictingDomain,
	isValidSubdomain,
	normaliseSubdomain,
} from '../../../../nodes/AmoCrm/helpers/account';
import type { AmoCrmDomain } from '../../../../nodes/AmoCrm/transport/types';
import { accountHostExpression } from '../../../../credentials/accountFields';

describe('account subdomain', () => {
	it.each([
		['mycompany', 'mycompany'],
		[' MyCompany ', 'mycompany'],
		['mycompany.amocrm.ru', 'mycompany'],
		['https://mycompany.amocrm.ru/leads/pipeline/1', 'mycompany'],
		['http://mycompany.kommo.com', 'mycompany'],
	])('reads %p as %p', (typed, subdomain) => {
		expect(normaliseSubdomain(typed)).toBe(subdomain);
	});

	it('builds the account host on the chosen domain', () => {
		expect(accountHost('https://shop.kommo.com/', 'kommo.com')).toBe('shop.kommo.com');
		expect(accountHost('shop', 'amocrm.ru')).toBe('shop.amocrm.ru');
	});

	it('rejects what cannot be a subdomain', () => {
		expect(isValidSubdomain('')).toBe(false);
		expect(isValidSubdomain('my company')).toBe(false);
		expect(isValidSubdomain('my-company2')).toBe(true);
	});

	it('notices a pasted host on another domain', () => {
		expect(conflictingDomain('shop.amocrm.com', 'amocrm.ru')).toBe('amocrm.com');
		expect(conflictingDomain('shop.kommo.com', 'amocrm.ru')).toBe('kommo.com');
		expect(conflictingDomain('shop.amocrm.ru', 'amocrm.ru')).toBeUndefined();
		expect(conflictingDomain('shop', 'amocrm.ru')).toBeUndefined();
	});
});

/**
 * What a user may paste as Subdomain, with the Domain chosen. The node (getAccount: the
 * conflict check, then accountHost) and the credential's Test (accountHostExpression,
 * evaluated as n8n would) must reach the same host.
 */
describe('the node and the credential Test build one host from one input', () => {
	const testHost = (subdomain: string, domain: AmoCrmDomain): string =>
		// The expression is plain JavaScript over the credential's data, as n8n evaluates it.
		new Function('$credentials', `return ${accountHostExpression('$credentials')};`)({
			subdomain,
			domain,
		}) as string;
	const nodeHost = (subdomain: string, domain: AmoCrmDomain): string | undefined =>
		conflictingDomain(subdomain, domain) === undefined ? accountHost(subdomain, domain) : undefined;

	it.each<[string, AmoCrmDomain, string]>([
		['shop', 'amocrm.ru', 'shop.amocrm.ru'],
		[' Shop ', 'amocrm.ru', 'shop.amocrm.ru'],
		['shop.amocrm.ru', 'amocrm.ru', 'shop.amocrm.ru'],
		['https://shop.amocrm.ru', 'amocrm.ru', 'shop.amocrm.ru'],
		['https://shop.amocrm.ru/leads/pipeline/1', 'amocrm.ru', 'shop.amocrm.ru'],
		['http://shop.amocrm.ru/', 'amocrm.ru', 'shop.amocrm.ru'],
		['shop', 'kommo.com', 'shop.kommo.com'],
		['shop.kommo.com', 'kommo.com', 'shop.kommo.com'],
		['https://shop.kommo.com/leads/', 'kommo.com', 'shop.kommo.com'],
		// Kommo webhooks still name the account https://SUB.amocrm.com.
		['https://shop.amocrm.com', 'kommo.com', 'shop.kommo.com'],
		['shop.amocrm.com', 'kommo.com', 'shop.kommo.com'],
		['HTTPS://SHOP.AMOCRM.COM/leads/detail/1', 'kommo.com', 'shop.kommo.com'],
	])('%p with Domain %p reaches %p', (typed, domain, host) => {
		expect(nodeHost(typed, domain)).toBe(host);
		expect(testHost(typed, domain)).toBe(host);
	});
});
