import { isSameEmail, normaliseEmail } from '../../../../nodes/AmoCrm/helpers/email';

describe('email addresses', () => {
	it('accepts an address and trims it', () => {
		expect(normaliseEmail('  aziz@example.uz ')).toBe('aziz@example.uz');
	});

	it.each(['aziz', 'aziz@', '@example.uz', 'aziz@example', 'a ziz@example.uz', 'aziz@@example.uz'])(
		'refuses %p',
		(text) => {
			expect(normaliseEmail(text)).toBeUndefined();
		},
	);

	it('compares addresses without regard to case', () => {
		expect(isSameEmail('Aziz@Example.UZ', 'aziz@example.uz ')).toBe(true);
		expect(isSameEmail('aziz@example.uz', 'aziz@example.com')).toBe(false);
	});
});
