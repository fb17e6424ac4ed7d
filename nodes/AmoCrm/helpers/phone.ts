/**
 * Phone numbers as people type them into site forms: "+998 71 202-14-41",
 * "998712021441", "71 202 14 41", "8 (916) 123-45-67". amoCRM stores whatever it is
 * given, so we send E.164 and compare numbers by their international digits.
 */

const MIN_DIGITS = 7;
const MAX_DIGITS = 15; // E.164
/** The national significant part is at least this long, so a number this long that starts with the country code already has it. */
const MIN_NATIONAL_DIGITS = 7;
/** How many trailing digits we ask amoCRM's full-text search for: the national part without trunk or country prefixes. */
const SEARCH_DIGITS = 9;

export function normaliseCountryCode(countryCode: string | undefined): string {
	return (countryCode ?? '').replace(/\D/g, '');
}

/**
 * Returns the international digits of a phone number ("998712021441"), or undefined when
 * the text is not a phone number. `defaultCountryCode` (digits, e.g. "998") completes
 * numbers typed without a country code.
 */
export function phoneDigits(input: string, defaultCountryCode?: string): string | undefined {
	const text = input.trim();
	if (text === '' || /[^\d\s()+\-./]/.test(text)) return undefined;
	let digits = text.replace(/\D/g, '');
	const international = text.startsWith('+') || digits.startsWith('00');
	if (digits.startsWith('00')) digits = digits.slice(2);
	const country = normaliseCountryCode(defaultCountryCode);
	if (!international && country !== '') {
		if (country === '7' && digits.length === 11 && digits.startsWith('8')) {
			// Russia and Kazakhstan dial 8 as the trunk prefix: 8 916 ... is +7 916 ...
			digits = country + digits.slice(1);
		} else if (!(digits.startsWith(country) && digits.length >= country.length + MIN_NATIONAL_DIGITS)) {
			digits = country + digits.replace(/^0+/, '');
		}
	}
	if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
	return digits;
}

/** "+998712021441", or undefined when the text is not a phone number. */
export function normalisePhone(input: string, defaultCountryCode?: string): string | undefined {
	const digits = phoneDigits(input, defaultCountryCode);
	return digits === undefined ? undefined : `+${digits}`;
}

/** The text to give amoCRM's `query` search so that it finds this number however it was stored. */
export function phoneSearchQuery(digits: string): string {
	return digits.slice(-SEARCH_DIGITS);
}

export function isSamePhone(a: string, b: string, defaultCountryCode?: string): boolean {
	const left = phoneDigits(a, defaultCountryCode);
	return left !== undefined && left === phoneDigits(b, defaultCountryCode);
}
