// The rules n8n's community-package scan and `n8n-node lint` apply, over the shipped sources and
// package.json: the community-node rules (recommended config) plus eslint-plugin-n8n-nodes-base's
// community, credentials and nodes rule sets, with the same rules switched off as they switch off.
import tseslint from 'typescript-eslint';
import { configs } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', '*.js', '*.mjs'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Documentation URLs of community credentials are full URLs, not n8n doc slugs.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// The community rule credential-password-field checks password fields more precisely.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// n8n allows NodeConnectionTypes.Main where these rules expect the string "main".
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// amoCRM caps batch and page sizes at 250, so a maxValue is right.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
];
