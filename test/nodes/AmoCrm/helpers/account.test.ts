import {
	accountHost,
	conflictingDomain,
	isValidSubdomain,
	normaliseSubdomain,
} from '../../../../nodes/AmoCrm/helpers/account';

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
		expect(conflictingDomain('shop.amocrm.com', 'kommo.com')).toBe('amocrm.com');
		expect(conflictingDomain('shop.amocrm.ru', 'amocrm.ru')).toBeUndefined();
		expect(conflictingDomain('shop', 'amocrm.ru')).toBeUndefined();
	});
});
