/**
 * The PostgreSQL variant of the lead-intake template (workflows/lead-intake-postgres.json,
 * schema workflows/leads.sql) through the same cases as the Data table variant: a real n8n,
 * a real PostgreSQL database `leads` holding the table, the fake amoCRM and the fake Telegram.
 */
import { leadIntakeSuite } from './lead-intake.e2e.test';

leadIntakeSuite('postgres');
