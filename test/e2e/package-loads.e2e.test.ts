import { startN8n, type N8nInstance } from './harness';

describe('a fresh n8n 2.x with the built package installed', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n();
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('knows the AmoCRM node type', async () => {
		const types = await n8n.nodeTypes();
		const amoCrm = types.find((type) => type.name === 'n8n-nodes-amocrm.amoCrm');
		expect(amoCrm).toMatchObject({ displayName: 'AmoCRM' });
	});

	it('knows both AmoCRM credential types', async () => {
		const names = (await n8n.credentialTypes()).map((type) => type.name);
		expect(names).toEqual(expect.arrayContaining(['amoCrmOAuth2Api', 'amoCrmApi']));
	});
});
