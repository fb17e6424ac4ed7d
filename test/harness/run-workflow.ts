import { Container } from '@n8n/di';
import {
	ErrorReporter,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	WorkflowExecute,
} from 'n8n-core';
import { Workflow, createRunExecutionData, deepCopy } from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessCredentialTypes } from './credential-types';
import { CredentialStore, HarnessCredentialsHelper } from './credentials-helper';
import type { CredentialWrite } from './credentials-helper';
import { localNodeTypes } from './local-nodes';
import { HarnessNodeTypes } from './node-types';
import { loadPackageTypes } from './package-types';

/** A workflow as n8n exports it (only the fields a run needs). */
export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
}

export interface RunWorkflowOptions {
	workflow: WorkflowJson;
	/**
	 * Stored credential data by credential type, as n8n would hold it (what the user
	 * entered, plus `oauthTokenData` for OAuth2). Pass a `CredentialStore` to keep what
	 * a run saved (refreshed tokens) for the next run.
	 */
	credentials?: CredentialStore | Record<string, ICredentialDataDecryptedObject>;
	/** Items injected into the start node (default: one empty item). */
	items?: IDataObject[];
	/** The node the run starts from (default: the only node without a main input connection). */
	startNode?: string;
	/** Default `manual`. */
	mode?: WorkflowExecuteMode;
	/** Extra node types by full type name (for tests of the harness itself). */
	nodeTypes?: Array<{ typeName: string; nodeType: INodeType | IVersionedNodeType }>;
	/** Extra credential types (for tests of the harness itself). */
	credentialTypes?: ICredentialType[];
	/** Load this package's node and credential types from nodes/ and credentials/ (default true). */
	loadPackage?: boolean;
}

export interface WorkflowRunResult {
	/** For every node that ran: the items of its first run's first output (with `pairedItem`). */
	outputsByNode: Record<string, INodeExecutionData[]>;
	/** The same, JSON only. */
	jsonByNode: Record<string, IDataObject[]>;
	/** The error that stopped the run (undefined when it finished). */
	error: ExecutionError | undefined;
	/** The node whose error stopped the run. */
	errorNode: string | undefined;
	/** Node names in the order they finished. */
	executionOrder: string[];
	status: IRun['status'];
	/** Credential data as stored after the run (refreshed OAuth2 tokens included). */
	savedCredentials: Record<string, ICredentialDataDecryptedObject>;
	/**
	 * The writes n8n-core made to stored credentials while this run went on, oldest first
	 * (runs sharing one CredentialStore concurrently see each other's writes here).
	 */
	credentialWrites: CredentialWrite[];
	/** What n8n-core reported to its error reporter during this run (node errors). */
	reportedErrors: unknown[];
	/** The store, to pass to the next run. */
	credentialStore: CredentialStore;
	runData: IRunData;
	run: IRun;
}

function unsupported(what: string): () => never {
	return () => {
		throw new Error(`Harness: ${what} is not supported`);
	};
}

function findStartNode(workflow: Workflow, requested: string | undefined): INode {
	if (requested !== undefined) {
		const node = workflow.getNode(requested);
		if (node === null) throw new Error(`Harness: start node "${requested}" is not in the workflow`);
		return node;
	}
	const candidates = Object.values(workflow.nodes).filter(
		(node) => !node.disabled && !workflow.connectionsByDestinationNode[node.name]?.main,
	);
	if (candidates.length !== 1) {
		throw new Error(
			`Harness: say which node to start from (startNode); candidates: ${candidates.map((n) => n.name).join(', ')}`,
		);
	}
	return candidates[0];
}

let executionCounter = 0;

/**
 * n8n-core hands every node error to its ErrorReporter, which logs it with a stack trace
 * (in n8n it goes to Sentry and the log). The harness collects them instead, so expected
 * failures do not flood the test output; a run returns the ones it produced.
 */
const reportedErrors: unknown[] = [];
const reporter = Container.get(ErrorReporter) as unknown as { report?: unknown };
if (typeof reporter.report === 'function') {
	reporter.report = (error: unknown) => {
		reportedErrors.push(error);
	};
}

/**
 * Runs a workflow in-process through n8n-core's WorkflowExecute: real parameter and
 * expression resolution, item pairing, continueOnFail, and n8n-core's own request code
 * (`httpRequestWithAuthentication`, OAuth2 refresh on 401) with an in-memory credentials
 * helper. HTTP goes wherever the node sends it, so tests mock it with nock.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const mode = options.mode ?? 'manual';
	const store =
		options.credentials instanceof CredentialStore
			? options.credentials
			: new CredentialStore(options.credentials ?? {});
	const writesBefore = store.writes.length;
	const reportsBefore = reportedErrors.length;

	const packageTypes =
		options.loadPackage === false ? { nodeTypes: [], credentialTypes: [] } : loadPackageTypes();
	const nodeTypes = new HarnessNodeTypes();
	for (const { typeName, nodeType } of [
		...localNodeTypes,
		...packageTypes.nodeTypes,
		...(options.nodeTypes ?? []),
	]) {
		nodeTypes.add(typeName, nodeType);
	}
	const credentialTypes = new HarnessCredentialTypes([
		...packageTypes.credentialTypes,
		...(options.credentialTypes ?? []),
	]);

	const executionId = String(++executionCounter);
	const nodes = deepCopy(options.workflow.nodes);
	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: options.workflow.name ?? 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: deepCopy(options.workflow.connections),
		settings: { executionOrder: 'v1', ...options.workflow.settings },
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings: workflowData.settings,
	});

	const executionOrder: string[] = [];
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executionOrder.push(nodeName);
	});

	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, store, nodeTypes);
	const additionalData: IWorkflowExecuteAdditionalData = {
		credentialsHelper,
		externalSecretsProxy: new ExternalSecretsProxy(),
		hooks,
		executionId,
		workflowId: workflowData.id,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: unsupported('executing a sub-workflow'),
		getRunExecutionData: unsupported('reading another execution'),
		getRuntimeCredential: unsupported('runtime credentials'),
		logAiEvent: () => {},
		startRunnerTask: unsupported('the Code node task runner'),
	};

	const startNode = findStartNode(workflow, options.startNode);
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({
		json: deepCopy(json),
	}));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }],
		},
	});

	const run = await new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);

	const runData = run.data.resultData.runData;
	const outputsByNode: Record<string, INodeExecutionData[]> = {};
	const jsonByNode: Record<string, IDataObject[]> = {};
	for (const [nodeName, tasks] of Object.entries(runData)) {
		const output = tasks[0]?.data?.main?.[0] ?? [];
		outputsByNode[nodeName] = output;
		jsonByNode[nodeName] = output.map((item) => item.json);
	}

	return {
		outputsByNode,
		jsonByNode,
		error: run.data.resultData.error,
		errorNode: run.data.resultData.error ? run.data.resultData.lastNodeExecuted : undefined,
		executionOrder,
		status: run.status,
		savedCredentials: store.snapshot(),
		credentialWrites: store.writes.slice(writesBefore),
		reportedErrors: reportedErrors.slice(reportsBefore),
		credentialStore: store,
		runData,
		run,
	};
}
