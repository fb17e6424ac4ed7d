/**
 * Phone numbers as people type them into site forms: "+998 71 202-14-41",
 * "998712021441", "71 202 14 41", "8 (916) 123-45-67", "00 998 90 123 45 67". amoCRM stores
 * whatever it is given, so we send E.164 and compare numbers by their international digits.
 *
 * `normalisePhone` is the package's one phone rule: the lead-intake template embeds its
 * source text, so it stays self-contained (no imports, nothing from outside its body).
 */

/** How many trailing digits we ask amoCRM's full-text search for: the national part without trunk or country prefixes. */
const SEARCH_DIGITS = 9;

/**
 * "+998712021441", or undefined when the text is not a phone number.
 * `defaultCountry` completes numbers typed without a country code: the calling code's
 * digits ("998", "+7") or the ISO 3166 country amoCRM's account reports ("UZ", "RU", "KZ").
 * A number typed with + or 00 keeps its own country code.
 */
export function normalisePhone(input: string, defaultCountry?: string): string | undefined {
	// ISO 3166-1 alpha-2 -> calling code, as libphonenumber lists them (checked by the unit tests).
	const CALLING_CODES =
		'AC247 AD376 AE971 AF93 AG1 AI1 AL355 AM374 AO244 AR54 AS1 AT43 AU61 AW297 AX358 AZ994 BA387 BB1 BD880 BE32 BF226 BG359 BH973 BI257 BJ229 BL590 BM1 BN673 BO591 BQ599 BR55 BS1 BT975 BW267 BY375 BZ501 CA1 CC61 CD243 CF236 CG242 CH41 CI225 CK682 CL56 CM237 CN86 CO57 CR506 CU53 CV238 CW599 CX61 CY357 CZ420 DE49 DJ253 DK45 DM1 DO1 DZ213 EC593 EE372 EG20 EH212 ER291 ES34 ET251 FI358 FJ679 FK500 FM691 FO298 FR33 GA241 GB44 GD1 GE995 GF594 GG44 GH233 GI350 GL299 GM220 GN224 GP590 GQ240 GR30 GT502 GU1 GW245 GY592 HK852 HN504 HR385 HT509 HU36 ID62 IE353 IL972 IM44 IN91 IO246 IQ964 IR98 IS354 IT39 JE44 JM1 JO962 JP81 KE254 KG996 KH855 KI686 KM269 KN1 KP850 KR82 KW965 KY1 KZ7 LA856 LB961 LC1 LI423 LK94 LR231 LS266 LT370 LU352 LV371 LY218 MA212 MC377 MD373 ME382 MF590 MG261 MH692 MK389 ML223 MM95 MN976 MO853 MP1 MQ596 MR222 MS1 MT356 MU230 MV960 MW265 MX52 MY60 MZ258 NA264 NC687 NE227 NF672 NG234 NI505 NL31 NO47 NP977 NR674 NU683 NZ64 OM968 PA507 PE51 PF689 PG675 PH63 PK92 PL48 PM508 PR1 PS970 PT351 PW680 PY595 QA974 RE262 RO40 RS381 RU7 RW250 SA966 SB677 SC248 SD249 SE46 SG65 SH290 SI386 SJ47 SK421 SL232 SM378 SN221 SO252 SR597 SS211 ST239 SV503 SX1 SY963 SZ268 TA290 TC1 TD235 TG228 TH66 TJ992 TK690 TL670 TM993 TN216 TO676 TR90 TT1 TV688 TW886 TZ255 UA380 UG256 US1 UY598 UZ998 VA39 VC1 VE58 VG1 VI1 VN84 VU678 WF681 WS685 XK383 YE967 YT262 ZA27 ZM260 ZW263';
	// Length of the national number and the trunk prefix dialled before it at home, where one
	// country's numbers all have one length: Russia and Kazakhstan (7), Uzbekistan (998).
	const NATIONAL: Record<string, { length: number; trunk: string }> = {
		'7': { length: 10, trunk: '8' },
		'998': { length: 9, trunk: '8' },
	};
	const text = String(input ?? '').trim();
	if (text === '' || /[^\d\s()+\-./]/.test(text)) return undefined;
	// One +, and only in front: "+998 …" or "(+998) …".
	if ((text.match(/\+/g) ?? []).length > 1 || (text.includes('+') && !/^\(?\+/.test(text)))
		return undefined;
	let digits = text.replace(/\D/g, '');
	let international = /^\(?\+/.test(text);
	if (!international && digits.startsWith('00')) {
		digits = digits.slice(2);
		international = true;
	}
	const given = String(defaultCountry ?? '').trim();
	const letters = /^[A-Za-z]{2}$/.test(given)
		? new RegExp(`(?:^| )${given.toUpperCase()}(\\d+)`).exec(CALLING_CODES)
		: null;
	const country = letters ? letters[1] : /[A-Za-z]/.test(given) ? '' : given.replace(/\D/g, '');
	const national = NATIONAL[country];
	if (!international && country === '7' && digits.startsWith('810') && digits.length > 11) {
		// 8 10 is how Russia and Kazakhstan dial abroad.
		digits = digits.slice(3);
	} else if (!international && national) {
		if (
			digits.length === national.length + national.trunk.length &&
			digits.startsWith(national.trunk)
		) {
			digits = country + digits.slice(national.trunk.length);
		} else if (digits.length === national.length) {
			digits = country + digits;
		} else if (
			digits.length <= national.length + national.trunk.length &&
			!(digits.startsWith(country) && digits.length === country.length + national.length)
		) {
			// Not a form of this country's numbers: the check below refuses it.
			digits = country + digits;
		}
		// Otherwise it is already international without its +: 7 916 …, 998 90 …, or another
		// country's number, longer than any national form.
	} else if (!international && country !== '') {
		// The national number is at least 7 digits long, so a number that long after the
		// country code already has it; otherwise a trunk 0 gives way to the country code.
		if (!(digits.startsWith(country) && digits.length >= country.length + 7))
			digits = country + digits.replace(/^0+/, '');
	}
	// Every +7 number has 11 digits and every +998 number 12.
	for (const code of Object.keys(NATIONAL)) {
		if (digits.startsWith(code) && digits.length !== code.length + NATIONAL[code].length)
			return undefined;
	}
	if (digits.length < 7 || digits.length > 15) return undefined;
	return `+${digits}`;
}

/** The international digits of a phone number ("998712021441"), or undefined when the text is not a phone number. */
export function phoneDigits(input: string, defaultCountry?: string): string | undefined {
	return normalisePhone(input, defaultCountry)?.slice(1);
}

/** Whether the text carries its own country code (+ or 00), so no default country is needed to read it. */
export function hasCountryCode(input: string): boolean {
	return /^\s*\(?\s*(\+|00)/.test(String(input ?? ''));
}

/** The text to give amoCRM's `query` search so that it finds this number however it was stored. */
export function phoneSearchQuery(digits: string): string {
	return digits.slice(-SEARCH_DIGITS);
}
