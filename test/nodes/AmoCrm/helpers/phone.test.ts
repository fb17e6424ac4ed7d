import {
	getCountries,
	getCountryCallingCode,
	parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

import {
	hasCountryCode,
	normalisePhone,
	phoneDigits,
	phoneSearchQuery,
} from '../../../../nodes/AmoCrm/helpers/phone';
import { checkPhone } from '../../../../nodes/AmoCrm/helpers/phoneCheck';

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

	it('reads the Russian and Kazakh trunk prefix 8 as +7', () => {
		expect(normalisePhone('8 (916) 123-45-67', '7')).toBe('+79161234567');
		expect(normalisePhone('8 901 555-00-11', 'RU')).toBe('+79015550011');
		expect(normalisePhone('8 701 555 00 11', 'KZ')).toBe('+77015550011');
		expect(normalisePhone('+7 916 123 45 67', '7')).toBe('+79161234567');
	});

	it('reads the old Uzbek trunk prefix 8 too (libphonenumber no longer lists it)', () => {
		expect(normalisePhone('8 90 123 45 67', 'UZ')).toBe('+998901234567');
		expect(parsePhoneNumberFromString('8 90 123 45 67', 'UZ')?.isValid()).toBe(false);
	});

	it('reads 00, and 8 10 in Russia and Kazakhstan, as the international prefix', () => {
		expect(normalisePhone('00998712021441', '7')).toBe('+998712021441');
		expect(normalisePhone('8 10 998 71 202-14-41', 'RU')).toBe('+998712021441');
	});

	it("takes the account's country as amoCRM reports it (ISO code, any case)", () => {
		expect(normalisePhone('90 123 45 67', 'UZ')).toBe('+998901234567');
		expect(normalisePhone('90 123 45 67', 'uz')).toBe('+998901234567');
		expect(normalisePhone('07700 900123', 'GB')).toBe('+447700900123');
		// A country code we do not know completes nothing.
		expect(normalisePhone('+998 90 123 45 67', 'ZZ')).toBe('+998901234567');
		expect(normalisePhone('90 123 45 67 00', 'ZZ')).toBe('+90123456700');
	});

	it('drops a national trunk 0 before adding the country code', () => {
		expect(normalisePhone('07700 900123', '44')).toBe('+447700900123');
	});

	it('leaves numbers without a country code alone without a default country, unless no country could have them', () => {
		expect(normalisePhone('447700900123')).toBe('+447700900123');
		expect(phoneDigits('+998 71 202-14-41')).toBe('998712021441');
		// +8 901 … is no number; +7 and +998 numbers have one length each.
		expect(normalisePhone('8 901 555-00-11')).toBe('+89015550011');
		expect(normalisePhone('712021441')).toBeUndefined();
		expect(normalisePhone('+998 71 202 14 4', '998')).toBeUndefined();
		expect(normalisePhone('90 123 45 67', 'RU')).toBeUndefined();
		expect(normalisePhone('916 123 45 678', 'RU')).toBeUndefined();
	});

	it('reads a number longer than any national form as international without its +', () => {
		expect(normalisePhone('998 71 202-14-41', 'RU')).toBe('+998712021441');
		expect(normalisePhone('7 916 123-45-67', 'UZ')).toBe('+79161234567');
	});

	it('refuses text that is not a phone number', () => {
		expect(normalisePhone('call me', '998')).toBeUndefined();
		expect(normalisePhone('12345', '')).toBeUndefined();
		expect(normalisePhone('1234567890123456', '')).toBeUndefined();
		expect(normalisePhone('', '998')).toBeUndefined();
		expect(normalisePhone('+998 71 202-14-41 ext 5', '998')).toBeUndefined();
		expect(normalisePhone('+998 71 +202-14-41', '998')).toBeUndefined();
		expect(normalisePhone('998 +71 202-14-41', '998')).toBeUndefined();
	});

	it('tells numbers with their own country code from those that need one', () => {
		expect(
			['+998 90 123 45 67', ' (+7) 916 123 45 67', '00998901234567'].map(hasCountryCode),
		).toEqual([true, true, true]);
		expect(['90 123 45 67', '8 901 555-00-11', '998901234567'].map(hasCountryCode)).toEqual([
			false,
			false,
			false,
		]);
	});

	it('searches amoCRM by the last nine digits', () => {
		expect(phoneSearchQuery('998712021441')).toBe('712021441');
		expect(phoneSearchQuery('79161234567')).toBe('161234567');
	});

	it('is self-contained, so the lead-intake template can embed its source text', () => {
		const embedded = new Function(`return ${normalisePhone.toString()}`)() as typeof normalisePhone;
		expect(
			['90 123 456', '90 123 45 67', '+998 71 202-14-41', 'call me'].map((typed) =>
				embedded(typed, 'UZ'),
			),
		).toEqual([undefined, '+998901234567', '+998712021441', undefined]);
		expect(embedded('8 901 555-00-11', 'RU')).toBe('+79015550011');
	});

	it("knows every country's calling code as libphonenumber does", () => {
		const national: Record<string, string> = { '7': '9161234567', '998': '901234567' };
		for (const country of getCountries()) {
			const code = getCountryCallingCode(country);
			const number = national[code] ?? '2345678';
			expect([country, normalisePhone(number, country)]).toEqual([country, `+${code}${number}`]);
		}
	});
});

/**
 * libphonenumber-js as the oracle: valid Uzbek, Russian and Kazakh numbers, generated, typed
 * the ways people type them, read with the account's country or the calling code.
 */
describe('phone numbers checked against libphonenumber', () => {
	let seed = 20261128;
	const random = (n: number) => {
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		return seed % n;
	};
	const digits = (n: number) => Array.from({ length: n }, () => String(random(10))).join('');

	const PREFIXES: Record<'UZ' | 'RU' | 'KZ', string[]> = {
		UZ: ['20', '33', '50', '55', '71', '77', '88', '90', '91', '93', '94', '95', '97', '98', '99'],
		RU: ['900', '901', '903', '915', '916', '926', '977', '999', '495', '499', '812', '343', '383'],
		KZ: ['700', '701', '702', '705', '707', '747', '771', '775', '777', '727', '717'],
	};

	/** National numbers (without country code) that libphonenumber finds valid for that country. */
	function generate(country: 'UZ' | 'RU' | 'KZ', count: number): string[] {
		const code = getCountryCallingCode(country);
		const length = country === 'UZ' ? 9 : 10;
		const numbers = new Set<string>();
		for (let tries = 0; numbers.size < count && tries < count * 50; tries++) {
			const prefix = PREFIXES[country][random(PREFIXES[country].length)];
			const national = prefix + digits(length - prefix.length);
			const parsed = parsePhoneNumberFromString(`+${code}${national}`);
			if (parsed?.isValid() && parsed.country === country) numbers.add(national);
		}
		return [...numbers];
	}

	/** "901234567" -> "90 123 45 67"; "9161234567" -> "916 123 45 67". */
	function groups(national: string): string[] {
		const head = national.length === 9 ? 2 : 3;
		return [
			national.slice(0, head),
			national.slice(head, head + 3),
			national.slice(head + 3, head + 5),
			national.slice(head + 5),
		];
	}

	function typedForms(country: 'UZ' | 'RU' | 'KZ', national: string): string[] {
		const code = getCountryCallingCode(country);
		const [a, b, c, d] = groups(national);
		const forms = [
			`+${code} ${a} ${b} ${c} ${d}`,
			`+${code}${national}`,
			`+${code} (${a}) ${b}-${c}-${d}`,
			`(+${code}) ${a} ${b}-${c}-${d}`,
			`${code}${national}`,
			`${code} ${a} ${b} ${c} ${d}`,
			`00${code}${national}`,
			`00 ${code} ${a} ${b} ${c} ${d}`,
			national,
			`${a} ${b} ${c} ${d}`,
			`${a}-${b}-${c}-${d}`,
			`(${a}) ${b}-${c}-${d}`,
			`${a}.${b}.${c}.${d}`,
		];
		if (country !== 'UZ')
			forms.push(
				`8${national}`,
				`8 (${a}) ${b}-${c}-${d}`,
				`8-${a}-${b}-${c}-${d}`,
				`8 ${a} ${b} ${c} ${d}`,
			);
		return forms;
	}

	/** libphonenumber's E.164 for what a person typed (00 read as +, which libphonenumber leaves to the country's own prefix). */
	function oracle(typed: string, country: CountryCode): string | undefined {
		const parsed = parsePhoneNumberFromString(typed.replace(/^00\s*/, '+'), country);
		return parsed?.isValid() ? parsed.number : undefined;
	}

	for (const country of ['UZ', 'RU', 'KZ'] as const) {
		it(`${country}: every typed form of 300 valid numbers gives libphonenumber's number, with the account's country or its calling code`, () => {
			const numbers = generate(country, 300);
			expect(numbers).toHaveLength(300);
			const code = getCountryCallingCode(country);
			const disagreements: string[] = [];
			let compared = 0;
			for (const national of numbers) {
				for (const typed of typedForms(country, national)) {
					const expected = oracle(typed, country);
					if (expected !== `+${code}${national}`)
						disagreements.push(`oracle ${typed} -> ${expected}`);
					for (const given of [country, code, `+${code}`]) {
						compared++;
						const ours = normalisePhone(typed, given);
						if (ours !== expected)
							disagreements.push(`${typed} (${given}) -> ${ours}, libphonenumber ${expected}`);
					}
				}
			}
			expect(disagreements.slice(0, 10)).toEqual([]);
			expect(compared).toBeGreaterThan(300 * 13 * 3 - 1);
		});
	}

	it('numbers typed with + or 00 keep their own country, whatever the default country', () => {
		const disagreements: string[] = [];
		for (const country of ['UZ', 'RU', 'KZ'] as const) {
			const code = getCountryCallingCode(country);
			for (const national of generate(country, 50)) {
				const [a, b, c, d] = groups(national);
				for (const typed of [
					`+${code} ${a} ${b} ${c} ${d}`,
					`00${code}${national}`,
					`(+${code}) ${a}-${b}-${c}-${d}`,
				]) {
					for (const given of ['', 'UZ', 'RU', 'KZ', '998', '7', '44']) {
						const ours = normalisePhone(typed, given);
						if (ours !== oracle(typed, country))
							disagreements.push(`${typed} (${given}) -> ${ours}`);
					}
				}
			}
		}
		expect(disagreements).toEqual([]);
	});

	it('a number stored by a create is never a wrong one: every typed form of a UZ, RU or KZ number read with any of these countries is that number or refused', () => {
		const wrong: string[] = [];
		let refused = 0;
		for (const country of ['UZ', 'RU', 'KZ'] as const) {
			const code = getCountryCallingCode(country);
			for (const national of generate(country, 40)) {
				for (const typed of typedForms(country, national)) {
					for (const given of ['UZ', '998', '+998', 'RU', '7', 'KZ']) {
						const read = checkPhone(typed, given);
						if ('problem' in read) refused++;
						else if (read.phone !== `+${code}${national}`)
							wrong.push(`${typed} (${given}) -> ${read.phone}`);
					}
				}
			}
		}
		expect(wrong).toEqual([]);
		// The national forms of one country read with another are the ones refused.
		expect(refused).toBeGreaterThan(0);
	});

	it('refuses the Russian and Kazakh 8 forms read with 998 with a message naming the fix, and reads them with their own country', () => {
		for (const country of ['RU', 'KZ'] as const) {
			for (const national of generate(country, 40)) {
				const [a, b, c, d] = groups(national);
				for (const typed of [`8${national}`, `8 (${a}) ${b}-${c}-${d}`, `8 ${a} ${b} ${c} ${d}`]) {
					expect([typed, checkPhone(typed, '998')]).toEqual([
						typed,
						{
							problem: `"${typed}" is not a phone number of country code 998`,
							fix: expect.stringContaining(
								'Type a number from another country with + and its code',
							),
						},
					]);
					expect(checkPhone(typed, country)).toEqual({ phone: `+7${national}` });
				}
			}
		}
		expect(checkPhone('8 901 555-00-11', 'UZ')).toEqual({
			problem: '"8 901 555-00-11" is not a phone number of country code 998',
			fix: 'With country code 998 a number that starts with 8 is 8 and 9 more digits. Type a number from another country with + and its code, e.g. +7 901 555-00-11.',
		});
	});
});

describe('checkPhone (what a create stores)', () => {
	it('refuses a number that starts with 8 where no country code does, with no default country', () => {
		expect(checkPhone('8 901 555-00-11', '')).toEqual({
			problem: '"8 901 555-00-11" is not a phone number: no country code starts with 89',
			fix: 'Type it with + and its country code, e.g. +7 901 555-00-11, or set Default Country Code.',
		});
	});

	it('refuses +8 901 555-00-11 (a Russian trunk 8 with a + in front): no country code starts with 89', () => {
		expect(checkPhone('+8 901 555-00-11', '998')).toEqual({
			problem: '"+8 901 555-00-11" is not a phone number: no country code starts with 89',
			fix: 'Type it with + and its country code, e.g. +7 901 555-00-11, or set Default Country Code.',
		});
		expect(checkPhone('+89015550011', '')).toMatchObject({
			problem: '"+89015550011" is not a phone number: no country code starts with 89',
		});
		expect(checkPhone('+800 1234 5678', '')).toEqual({ phone: '+80012345678' });
	});

	it('keeps a number of a country whose code starts with 8 typed without its +', () => {
		expect(checkPhone('86 138 0013 8000', '')).toEqual({ phone: '+8613800138000' });
	});

	it('reads the Uzbek trunk 8 form and numbers with +, as the phone rule does', () => {
		expect(checkPhone('8 90 123 45 67', '998')).toEqual({ phone: '+998901234567' });
		expect(checkPhone('+7 901 555-00-11', '998')).toEqual({ phone: '+79015550011' });
		expect(checkPhone('00 7 901 555 00 11', '998')).toEqual({ phone: '+79015550011' });
	});

	it('says what is wrong with text that is no phone number', () => {
		expect(checkPhone('call me', 'RU')).toEqual({
			problem: '"call me" is not a phone number',
			fix: 'Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41. Read with country RU: start a number from another country with + and its code.',
		});
	});
});

it('checkPhone refuses a +998 number that cannot exist (St Petersburg 812 … read with the old Uzbek trunk 8)', () => {
	expect(checkPhone('812 402 80 66', '998')).toEqual({
		problem: '"812 402 80 66" is not an Uzbek phone number',
		fix: 'An Uzbek number is +998 and 9 digits that begin with 20, 33 or 5 to 9. Type a number from another country with + and its code, e.g. +7 812 402-80-66.',
	});
	expect(checkPhone('+998 12 402 80 66', 'RU')).toMatchObject({
		problem: '"+998 12 402 80 66" is not an Uzbek phone number',
	});
});
