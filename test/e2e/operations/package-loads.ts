/**
 * A fresh n8n 2.x loads the built package exactly as a user gets it from Settings > Community
 * Nodes, and the AmoCRM node works inside it against an amoCRM account (the fake, served at
 * https://e2e.amocrm.ru through /etc/hosts and a throwaway CA).
 */
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { FakeAmoCrm } from '../../fakes/amocrm';
import {
	E2E_AMOCRM,
	nodeOutput,
	serveFakeAmoCrm,
	type N8nInstance,
	type ServedFakeAmoCrm,
	type WorkflowJson,
} from '../harness';
import type { SharedN8n } from './shared';

const credential = {
	id: 'e2eAmoCrmToken01',
	name: 'amoCRM e2e (long-lived token)',
	type: 'amoCrmApi',
	data: { subdomain: E2E_AMOCRM.subdomain, domain: E2E_AMOCRM.domain, accessToken: 'test-token' },
};

const createContactWorkflow: WorkflowJson = {
	name: 'e2e: webhook -> AmoCRM Create Contact',
	nodes: [
		{
			id: '0b7f2a52-5a0c-4d1e-9c61-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '0b7f2a52-5a0c-4d1e-9c61-0000000000aa',
			parameters: {
				httpMethod: 'POST',
				path: 'e2e-create-contact',
				responseMode: 'lastNode',
				options: {},
			},
		},
		{
			id: '0b7f2a52-5a0c-4d1e-9c61-000000000002',
			name: 'Create Contact',
			type: 'n8n-nodes-amocrm.amoCrm',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				authentication: 'longLivedToken',
				resource: 'contact',
				operation: 'create',
				name: '={{ $json.body.name }}',
				phones: { phone: [{ number: '={{ $json.body.phone }}', type: 'MOB' }] },
				emails: { email: [{ address: '={{ $json.body.email }}', type: 'WORK' }] },
			},
			credentials: { amoCrmApi: { id: credential.id, name: credential.name } },
		},
	],
	connections: { Webhook: { main: [[{ node: 'Create Contact', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

export function packageLoadsSuite(shared: SharedN8n): void {
	describe('a fresh n8n 2.x with the built package installed', () => {
		let n8n: N8nInstance;
		let amo: ServedFakeAmoCrm;

		beforeAll(async () => {
			amo = await serveFakeAmoCrm(new FakeAmoCrm({ subdomain: E2E_AMOCRM.subdomain }));
			({ n8n } = shared);
		});

		afterAll(async () => await amo?.stop());

		it('is installed as Settings > Community Nodes installs it: packed, without dev or peer dependencies, recorded in the nodes folder', () => {
			const ours = JSON.parse(
				readFileSync(join(__dirname, '../../../package.json'), 'utf8'),
			) as Record<string, unknown>;
			const nodesDir = join(n8n.userFolder, '.n8n', 'nodes');
			const installed = join(nodesDir, 'node_modules', 'n8n-nodes-amocrm');
			expect(JSON.parse(readFileSync(join(nodesDir, 'package.json'), 'utf8'))).toMatchObject({
				dependencies: { 'n8n-nodes-amocrm': ours.version },
			});
			expect(lstatSync(installed).isSymbolicLink()).toBe(false);
			// What `npm pack` ships: files (dist, the templates), plus main, the README and the licence
			// npm always adds.
			expect(readdirSync(installed).sort()).toEqual([
				'LICENSE.md',
				'README.md',
				'dist',
				'index.js',
				'package.json',
				'workflows',
			]);
			expect(readdirSync(join(installed, 'workflows')).sort()).toEqual([
				'lead-intake-postgres.json',
				'lead-intake.json',
				'leads.sql',
			]);
			const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as object;
			expect(Object.keys(manifest)).toEqual(
				Object.keys(ours).filter((key) => !['devDependencies', 'peerDependencies'].includes(key)),
			);
			// So the node's require('n8n-workflow') can only reach the copy n8n ships.
			expect(existsSync(join(installed, 'node_modules'))).toBe(false);
		});

		it('knows the AmoCRM node type', async () => {
			const types = await n8n.nodeTypes();
			const amoCrm = types.find((type) => type.name === 'n8n-nodes-amocrm.amoCrm');
			// Declared as a list of versions with a default: n8n then adds no "Custom API Call".
			expect(amoCrm).toMatchObject({ displayName: 'AmoCRM', version: [1], defaultVersion: 1 });
			expect(amoCrm?.credentials?.map((c) => c.name).sort()).toEqual([
				'amoCrmApi',
				'amoCrmOAuth2Api',
			]);
		});

		it('knows both AmoCRM credential types, the OAuth2 one built on n8n’s OAuth2', async () => {
			const types = await n8n.credentialTypes();
			expect(types.find((type) => type.name === 'amoCrmApi')).toBeDefined();
			expect(types.find((type) => type.name === 'amoCrmOAuth2Api')?.extends).toEqual(['oAuth2Api']);
		});

		it('creates a contact in amoCRM from a webhook post', async () => {
			await n8n.importCredentials([credential]);
			const workflowId = await n8n.importWorkflow(createContactWorkflow);
			await n8n.activate(workflowId);

			const response = await n8n.webhook('e2e-create-contact', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					name: 'Aziza Karimova',
					phone: '+998 90 123-45-67',
					email: 'aziza@example.uz',
				}),
			});
			const answer = (await response.json()) as Record<string, unknown>;

			expect(response.status).toBe(200);
			expect(amo.fake.contacts).toHaveLength(1);
			const [contact] = amo.fake.contacts;
			expect(contact.name).toBe('Aziza Karimova');
			expect(amo.fake.contactValues(contact.id, 'PHONE')).toEqual(['+998901234567']);
			expect(amo.fake.contactValues(contact.id, 'EMAIL')).toEqual(['aziza@example.uz']);
			expect(answer).toEqual({
				id: contact.id,
				name: 'Aziza Karimova',
				reused: false,
				url: `https://e2e.amocrm.ru/contacts/detail/${contact.id}`,
			});
			expect(
				amo.fake.requests.every((request) => request.headers.authorization === 'Bearer ***'),
			).toBe(true);

			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'Create Contact')).toEqual([answer]);
		});
	});
}
