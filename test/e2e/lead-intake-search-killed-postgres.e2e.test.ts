/**
 * n8n killed while a sync run waits for amoCRM's answer to its contact create, with the PostgreSQL
 * variant of the lead-intake template: the cases of lead-intake-search-killed.e2e.test.ts, whose
 * file runs the Data table variant. A file of its own, so that the end-to-end groups can run the
 * two variants at the same time.
 */
import { searchKilledSuite } from './lead-intake-search-killed.e2e.test';

searchKilledSuite('postgres');
