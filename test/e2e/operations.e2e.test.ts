/**
 * The package in a real n8n 2.41.1, installed as Settings > Community Nodes installs it, and its
 * operations and trigger driven as workflows use them: each suite of test/e2e/operations/ serves a
 * fake amoCRM of its own at https://e2e.amocrm.ru (one after the other) and imports its own
 * credentials and workflows. The suites share one n8n: a start of its own would cost each about
 * 10 CPU seconds, and nothing in a suite depends on what another did. The package's loading comes
 * first, while the n8n is fresh.
 */
import { companyCreateSuite } from './operations/company';
import { dealOperationsSuite } from './operations/deal';
import { incomingLeadSuite } from './operations/incoming-lead';
import { notConnectedContinueSuite } from './operations/not-connected-continue';
import { packageLoadsSuite } from './operations/package-loads';
import { sharedN8nHooks } from './operations/shared';
import { taskOperationsSuite } from './operations/task';
import { triggerSuite } from './operations/trigger';

const shared = sharedN8nHooks();

packageLoadsSuite(shared);
companyCreateSuite(shared);
dealOperationsSuite(shared);
taskOperationsSuite(shared);
incomingLeadSuite(shared);
triggerSuite(shared);
notConnectedContinueSuite(shared);
