/**
 * The node's operations in n8n 2.41.1's editor, driven through Debian's Chromium: each suite of
 * test/browser/operations/ is what a user picks and types in an AmoCRM node, against a fake amoCRM
 * account of its own (its own host, on a loopback address of its own). The suites share one real
 * n8n, loading the built package, and one Chromium with the owner signed up: a start, a browser and
 * a sign-up of their own would cost each suite some 25 CPU seconds, and nothing in a suite depends
 * on what another did (each has its own account, credential and workflows).
 */
import { companySuite } from './operations/company';
import { dealProductsSuite } from './operations/deal-products';
import { dealUpdateSuite } from './operations/deal-update';
import { noteEntitySuite } from './operations/note-entity';
import { noteTypesSuite } from './operations/note-types';
import { siteFormSuite } from './operations/site-form';
import { tagContactTaskLeadSuite } from './operations/tags-contacts-tasks-leads';
import { taskCreateSuite } from './operations/task-create';
import { editorHooks } from './session';

const editor = editorHooks();

companySuite(editor);
dealUpdateSuite(editor);
dealProductsSuite(editor);
noteEntitySuite(editor);
noteTypesSuite(editor);
siteFormSuite(editor);
tagContactTaskLeadSuite(editor);
taskCreateSuite(editor);
