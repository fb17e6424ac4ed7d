import { hasCountryCode, normalisePhone } from './phone';

/**
 * A typed phone number read for storing: its E.164 form, or what is wrong with it.
 *
 * On top of `normalisePhone` (the phone rule), a number that starts with 8 and is read as
 * international without its + is refused where 8 is the trunk prefix (Uzbekistan, Russia,
 * Kazakhstan), or where no country code starts with its digits: "8 901 555-00-11" read with
 * 998 is a Russian number, and storing it as +89015550011 would be a wrong number.
 */
export type PhoneReading = { phone: string } | { problem: string; fix: string };

/** Calling codes that begin with 8 (ITU, global services included), so "86 138 0013 8000" may be China's +86 typed without +. */
const CODES_FROM_8 = [
	'800',
	'808',
	'81',
	'82',
	'84',
	'850',
	'852',
	'853',
	'855',
	'856',
	'86',
	'870',
	'878',
	'880',
	'881',
	'882',
	'883',
	'886',
	'888',
];

const UZBEK = /^\+998(?:20|33|[5-9]\d)\d{7}$/;

/** The calling code and national length when the country dials 8 before national numbers. */
function trunkEightCountry(country: string): { code: string; length: number } | undefined {
	if (normalisePhone('8 90 123 45 67', country) === '+998901234567')
		return { code: '998', length: 9 };
	if (normalisePhone('8 916 123 45 67', country) === '+79161234567')
		return { code: '7', length: 10 };
	return undefined;
}

export function checkPhone(typed: string, country: string): PhoneReading {
	const text = String(typed ?? '').trim();
	const phone = normalisePhone(text, country);
	const withCountry =
		country === '' || hasCountryCode(text)
			? ''
			: ` Read with country ${country}: start a number from another country with + and its code.`;
	if (phone === undefined)
		return {
			problem: `"${text}" is not a phone number`,
			fix: `Use 7 to 15 digits with an optional +, spaces, dashes or brackets, e.g. +998 71 202-14-41.${withCountry}`,
		};
	// Uzbek numbers begin with 20, 33 or 5 to 9 (libphonenumber's UZ pattern): "812 402 80 66" read
	// with 998 as its old trunk 8 would otherwise become a number that does not exist.
	if (phone.startsWith('+998') && !UZBEK.test(phone))
		return {
			problem: `"${text}" is not an Uzbek phone number`,
			fix: 'An Uzbek number is +998 and 9 digits that begin with 20, 33 or 5 to 9. Type a number from another country with + and its code, e.g. +7 812 402-80-66.',
		};
	const digits = text.replace(/\D/g, '');
	const readAsTyped = !hasCountryCode(text) && digits.startsWith('8') && phone === `+${digits}`;
	const trunk = readAsTyped ? trunkEightCountry(country) : undefined;
	if (trunk) {
		const russian = digits.length === 11 ? ` e.g. +7 ${text.replace(/^\(?8\)?[\s-]*/, '')}` : '';
		return {
			problem: `"${text}" is not a phone number of country code ${trunk.code}`,
			fix: `With country code ${trunk.code} a number that starts with 8 is 8 and ${trunk.length} more digits. Type a number from another country with + and its code,${russian || ' e.g. +7 901 555-00-11'}.`,
		};
	}
	// Also with its +: "+8 901 555-00-11" (a Russian 8 with a + put in front) is no number.
	const international = phone.slice(1);
	if (international.startsWith('8') && !CODES_FROM_8.some((code) => international.startsWith(code)))
		return {
			problem: `"${text}" is not a phone number: no country code starts with ${international.slice(0, 2)}`,
			fix: 'Type it with + and its country code, e.g. +7 901 555-00-11, or set Default Country Code.',
		};
	return { phone };
}
