import { isSamePhone, normalisePhone, phoneDigits, phoneSearchQuery } from '../../../../nodes/AmoCrm/helpers/phone';

describe('phone numbers', () => {
	it('treats +998 71 202-14-41, 998712021441 and 712021441 with country 998 as one number', () => {
		expect(normalisePhone('+998 71 202-14-41', '998')).toBe('+998712021441');
		expect(normalisePhone('998712021441', '998')).toBe('+998712021441');
		expect(normalisePhone('712021441', '998')).toBe('+998712021441');
		expect(normalisePhone('(71) 202 14 41', '+998')).toBe('+998712021441');
	});

	it('keeps an Uzbek national number that starts with 998 (operator 99) national', () => {
		expect(normalisePhone('998 123 456', '998')).toBe('+998998123456');
	});

	it('reads the Russian trunk prefix 8 as +7 with country 7', () => {
		expect(normalisePhone('8 (916) 123-45-67', '7')).toBe('+79161234567');
		expect(normalisePhone('+7 916 123 45 67', '7')).toBe('+79161234567');
	});

	it('reads 00 as the international prefix', () => {
		expect(normalisePhone('00998712021441', '7')).toBe('+998712021441');
	});

	it('drops a national trunk 0 before adding the country code', () => {
		expect(normalisePhone('07700 900123', '44')).toBe('+447700900123');
	});

	it('leaves numbers alone without a default country', () => {
		expect(normalisePhone('712021441')).toBe('+712021441');
		expect(phoneDigits('+998 71 202-14-41')).toBe('998712021441');
	});

	it('refuses text that is not a phone number', () => {
		expect(normalisePhone('call me', '998')).toBeUndefined();
		expect(normalisePhone('12345', '')).toBeUndefined();
		expect(normalisePhone('1234567890123456', '')).toBeUndefined();
		expect(normalisePhone('', '998')).toBeUndefined();
		expect(normalisePhone('+998 71 202-14-41 ext 5', '998')).toBeUndefined();
	});

	it('searches amoCRM by the last nine digits', () => {
		expect(phoneSearchQuery('998712021441')).toBe('712021441');
		expect(phoneSearchQuery('79161234567')).toBe('161234567');
	});

	it('compares numbers by their international digits', () => {
		expect(isSamePhone('+998 (71) 202-14-41', '712021441', '998')).toBe(true);
		expect(isSamePhone('+998 71 202-14-42', '712021441', '998')).toBe(false);
		expect(isSamePhone('nonsense', 'nonsense', '998')).toBe(false);
	});
});
