/**
 * n8n killed (SIGKILL) in the middle of a burst of 200 leads, with the PostgreSQL variant of the
 * lead-intake template: the cases of lead-intake-crash.e2e.test.ts, whose file runs the Data table
 * variant. A file of its own, so that the end-to-end groups can run the two variants at the same
 * time.
 */
import { crashSuite } from './lead-intake-crash.e2e.test';

crashSuite('postgres');
