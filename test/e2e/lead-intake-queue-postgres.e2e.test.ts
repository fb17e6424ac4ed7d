/**
 * The PostgreSQL variant of the lead-intake template in queue mode: the cases of lead-intake-
 * queue.e2e.test.ts, whose file runs the Data table variant. A file of its own, so that the end-to-
 * end groups can run the two variants at the same time.
 */
import { queueSuite } from './lead-intake-queue.e2e.test';

queueSuite('postgres');
