/**
 * An OAuth2 credential saved without Connect, in a real n8n 2.x with the built package: with
 * On Error "Continue (regular output)" the caller gets an error item saying the credential is
 * not connected, not n8n's "Error in workflow", and nothing reaches amoCRM.
 */
import { FakeAmoCrm } from '../../fakes/amocrm';
import {
	E2E_AMOCRM,
	serveFakeAmoCrm,
	webhookToAmoCrm,
	type N8nInstance,
	type ServedFakeAmoCrm,
} from '../harness';
import type { SharedN8n } from './shared';
import type { CredentialImport } from '../harness/n8n';

const credential: CredentialImport = {
	id: 'e2eAmoCrmNotConnected1',
	name: 'amoCRM never connected',
	type: 'amoCrmOAuth2Api',
	data: {
		subdomain: E2E_AMOCRM.subdomain,
		domain: E2E_AMOCRM.domain,
		clientId: 'test-client-id',
		clientSecret: 'test-client-secret',
	},
};

const base = webhookToAmoCrm({
	name: 'e2e: webhook -> AmoCRM Create Contact, never connected',
	path: 'e2e-not-connected',
	key: '6d1e2f3a0001',
	nodeName: 'Create Contact',
	parameters: {
		resource: 'contact',
		operation: 'create',
		name: '={{ $json.body.name }}',
		avoidDuplicates: false,
	},
	credential: { ...credential, type: 'amoCrmApi' },
});
const [webhook, amoCrm] = base.nodes;
const workflow = {
	...base,
	nodes: [
		webhook,
		{
			...amoCrm,
			parameters: { ...amoCrm.parameters, authentication: 'oAuth2' },
			credentials: { amoCrmOAuth2Api: { id: credential.id, name: credential.name } },
			onError: 'continueRegularOutput',
		},
	],
};

export function notConnectedContinueSuite(shared: SharedN8n): void {
	describe('a never-connected OAuth2 credential under Continue (regular output), in a real n8n', () => {
		let n8n: N8nInstance;
		let amo: ServedFakeAmoCrm;

		beforeAll(async () => {
			amo = await serveFakeAmoCrm(new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain }));
			({ n8n } = shared);
		});

		afterAll(async () => await amo?.stop());

		it('answers the caller with the error item, sends nothing to amoCRM', async () => {
			await n8n.importCredentials([credential]);
			const workflowId = await n8n.importWorkflow(workflow);
			await n8n.activate(workflowId);
			const response = await n8n.webhook('e2e-not-connected', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'Aziz' }),
			});
			const body = (await response.json()) as Record<string, unknown>;
			expect(body).toMatchObject({
				error: 'The amoCRM credential is not connected: "amoCRM never connected"',
			});
			expect(response.status).toBe(200);
			expect(amo.fake.requests.filter((request) => request.path.startsWith('/api/'))).toEqual([]);
		});
	});
}
