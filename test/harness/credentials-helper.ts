import { getAdditionalKeys } from 'n8n-core';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	deepCopy,
	isExpression,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import type { HarnessCredentialTypes } from './credential-types';

/** One write n8n-core made to a stored credential during a run. */
export interface CredentialWrite {
	type: string;
	/** `oauthTokenData`: after an OAuth2 token refresh; `data`: after preAuthentication. */
	kind: 'oauthTokenData' | 'data';
	data: ICredentialDataDecryptedObject;
}

/**
 * What n8n keeps in its credentials table, in memory: the data the user entered (plus
 * `oauthTokenData` after a connect), keyed by credential type. It outlives a run, so a
 * test can run a second workflow with the tokens the first one saved.
 */
export class CredentialStore {
	private readonly data = new Map<string, ICredentialDataDecryptedObject>();

	/** Every write, oldest first. */
	readonly writes: CredentialWrite[] = [];

	constructor(initial: Record<string, ICredentialDataDecryptedObject> = {}) {
		for (const [type, data] of Object.entries(initial)) this.data.set(type, deepCopy(data));
	}

	has(type: string): boolean {
		return this.data.has(type);
	}

	/** The stored (raw, unresolved) data, as a copy. */
	get(type: string): ICredentialDataDecryptedObject {
		const data = this.data.get(type);
		if (data === undefined)
			throw new Error(`Harness: no credential of type "${type}" was given to the run`);
		return deepCopy(data);
	}

	set(type: string, data: ICredentialDataDecryptedObject, kind: CredentialWrite['kind'] = 'data') {
		this.data.set(type, deepCopy(data));
		this.writes.push({ type, kind, data: deepCopy(data) });
	}

	/** All stored credentials, as copies. */
	snapshot(): Record<string, ICredentialDataDecryptedObject> {
		return Object.fromEntries([...this.data].map(([type, data]) => [type, deepCopy(data)]));
	}
}

class StoredCredentials extends ICredentials {
	constructor(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		private readonly store: CredentialStore,
	) {
		super(nodeCredentials, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return this.store.get(this.type);
	}

	getDataToSave(): ICredentialsEncrypted {
		return {
			id: this.id,
			name: this.name,
			type: this.type,
			data: JSON.stringify(this.store.get(this.type)),
		};
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.set(this.type, data);
	}

	async updateData(
		toUpdate: ICredentialDataDecryptedObject,
		toDelete: string[] = [],
	): Promise<void> {
		const data = { ...this.store.get(this.type), ...toUpdate };
		for (const key of toDelete) delete data[key];
		this.store.set(this.type, data);
	}
}

/** Field names n8n pins to the credential type's own value when the type makes them hidden. */
const PINNED_WHEN_HIDDEN = ['authUrl', 'accessTokenUrl', 'grantType', 'authentication'];

const credentialNode: INode = {
	id: 'harness-credential-node',
	name: '',
	type: 'harness.credential',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * An in-memory credentials helper that behaves like n8n's own where the package depends
 * on it:
 * - `getParentTypes` walks `extends`, so n8n-core takes its OAuth2 path (refresh on 401)
 *   for any credential that extends `oAuth2Api`;
 * - `getDecrypted` merges the parent types' properties, applies defaults, drops stored
 *   values of hidden OAuth fields (the type's own value wins), keeps `oauthTokenData`, and
 *   resolves expression-valued properties with `$self` (for example an access token URL
 *   built from the subdomain and domain);
 * - `authenticate` applies a credential's function or its generic (expression) headers;
 * - `updateCredentialsOauthTokenData` saves the refreshed tokens into the store.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: HarnessCredentialTypes,
		private readonly store: CredentialStore,
		private readonly nodeTypes: INodeTypes,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	/**
	 * For a credential with `restrictToSupportedNodes`, n8n's package loader sets the
	 * supported nodes to those whose description lists the credential; so does this.
	 */
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		if (!this.credentialTypes.getByName(credentialType).restrictToSupportedNodes) return true;
		const { credentials } = this.nodeTypes.getByNameAndVersion(nodeType).description;
		return (credentials ?? []).some((credential) => credential.name === credentialType);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (credentialType.extends === undefined) {
			if (type === 'oAuth2Api' || type === 'oAuth1Api') {
				return [
					...credentialType.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', default: {} },
				];
			}
			return credentialType.properties;
		}
		const merged: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(merged, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(merged, credentialType.properties);
		return merged;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate.type !== 'generic') return requestOptions;
		if (workflow === undefined || node === undefined) {
			throw new Error('Harness: generic credential authentication needs the workflow and node');
		}
		const resolve = (value: string): string => {
			if (!isExpression(value)) return value;
			const resolved = workflow.expression.getSimpleParameterValue(
				node,
				value,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			);
			return resolved ? String(resolved) : '';
		};
		const target = requestOptions as unknown as Record<string, Record<string, string> | undefined>;
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			const bucket = (target[outerKey] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				bucket[resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function')
			return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = (await credentialType.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials?.[typeName]) {
			this.store.set(typeName, { ...this.store.get(typeName), ...output }, 'data');
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.credentialTypes.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		this.store.get(type);
		return new StoredCredentials(nodeCredentials, type, this.store);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store.get(type);
		if (raw === true) return stored;

		const properties = this.getCredentialsProperties(type);
		const withoutPinned = { ...stored };
		for (const field of PINNED_WHEN_HIDDEN) {
			if (properties.some((p) => p.name === field && p.type === 'hidden'))
				delete withoutPinned[field];
		}
		const withDefaults = (NodeHelpers.getNodeParameters(
			properties,
			withoutPinned as INodeParameters,
			true,
			false,
			null,
			null,
		) ?? {}) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
				expressionResolveValues;
			return workflow.expression.getParameterValue(
				withDefaults as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				withDefaults,
			) as ICredentialDataDecryptedObject;
		}
		const workflow = new Workflow({
			nodes: [credentialNode],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		return workflow.expression.getComplexParameterValue(
			credentialNode,
			withDefaults as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, data, 'data');
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(
			type,
			{ ...this.store.get(type), oauthTokenData: data.oauthTokenData },
			'oauthTokenData',
		);
	}
}
