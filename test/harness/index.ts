export { runWorkflow } from './run-workflow';
export type { RunWorkflowOptions, WorkflowJson, WorkflowRunResult } from './run-workflow';
export { CredentialStore, HarnessCredentialsHelper } from './credentials-helper';
export type { CredentialWrite } from './credentials-helper';
export { HarnessCredentialTypes, oAuth2ApiBase } from './credential-types';
export { HarnessNodeTypes } from './node-types';
export { ManualTrigger, SetFields, StartWithItems, localNodeTypes } from './local-nodes';
export { loadPackageTypes, packageRoot, packageSourcesExist } from './package-types';
