// Deliberately simple: one @, no spaces, a dot in the domain. amoCRM accepts any text,
// so this only catches what is certainly a typo before it lands in the CRM.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(input: string): string | undefined {
	const email = input.trim();
	return EMAIL.test(email) ? email : undefined;
}

export function isSameEmail(a: string, b: string): boolean {
	return a.trim().toLowerCase() === b.trim().toLowerCase();
}
