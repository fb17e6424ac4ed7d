/**
 * Overlapping sync runs with the PostgreSQL variant of the lead-intake template: the cases of lead-
 * intake-overlap.e2e.test.ts, whose file runs the Data table variant. A file of its own, so that
 * the end-to-end groups can run the two variants at the same time.
 */
import { overlapSuite } from './lead-intake-overlap.e2e.test';

overlapSuite('postgres');
