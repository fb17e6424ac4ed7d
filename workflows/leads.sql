-- Leads of workflows/lead-intake-postgres.json: one row per form submission.
-- Run once in the database the workflow's Postgres credential connects to, e.g.
--   psql "postgresql://user:password@host:5432/mydb" -f workflows/leads.sql
-- Safe to run again, and to run on a table made by an older version of the template
-- (it adds only what is missing).
--
-- status: pending  stored by the webhook, not yet in amoCRM (the next sync run takes it)
--         syncing  taken by a sync run until lease_until (a run that stopped loses it then);
--                  its contact is found or created: no deal yet
--         sending  its deal is being created in amoCRM
--         synced   contact, deal (and note) in amoCRM
--         failed   amoCRM refused or was unreachable: see error; sent again until attempts
--                  reaches the workflow's max_attempts (then set it to 'pending' after fixing)
--         check    n8n stopped while sending the deal, or amoCRM's answer to it was lost: check
--                  amoCRM by hand, then set status to 'failed' (send again) or 'synced'
-- stored_by, synced_by: the n8n executions that stored and synced the lead (open them in n8n).
-- telegram: sent or failed; a failed message is sent once more (telegram_failures counts them).

CREATE TABLE IF NOT EXISTS amocrm_leads (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text        NOT NULL,
  phone         text        NOT NULL,
  phone_checked boolean     NOT NULL DEFAULT true,
  email         text        NOT NULL DEFAULT '',
  source        text        NOT NULL DEFAULT '',
  message       text        NOT NULL DEFAULT '',
  product_id    text        NOT NULL DEFAULT '',
  fields        text        NOT NULL DEFAULT '{}',
  status        text        NOT NULL DEFAULT 'pending',
  attempts      integer     NOT NULL DEFAULT 0,
  stored_by     text,
  synced_by     text,
  contact_id    bigint,
  deal_id       bigint,
  deal_url      text,
  note_id       bigint,
  note_error    text,
  refused_fields text,
  telegram      text,
  telegram_failures integer NOT NULL DEFAULT 0,
  telegram_error text,
  error         text,
  lease_until   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Columns of later template versions, for a table made by an earlier one.
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS lease_until timestamptz;
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS phone_checked boolean NOT NULL DEFAULT true;
-- Every form field besides the known ones, as JSON text.
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS fields text NOT NULL DEFAULT '{}';
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS stored_by text;
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS synced_by text;
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS note_error text;
-- Deal field values amoCRM refused (the deal was made without them; they are in its note).
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS refused_fields text;
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS telegram text;
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS telegram_failures integer NOT NULL DEFAULT 0;
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS telegram_error text;
ALTER TABLE amocrm_leads DROP CONSTRAINT IF EXISTS amocrm_leads_status_check;
ALTER TABLE amocrm_leads ADD CONSTRAINT amocrm_leads_status_check
  CHECK (status IN ('pending', 'syncing', 'sending', 'synced', 'failed', 'check'));

-- Indexes of earlier versions, which looked contacts up in this table.
DROP INDEX IF EXISTS amocrm_leads_synced_phone;
DROP INDEX IF EXISTS amocrm_leads_synced_email;

-- What each sync run reads (and locks) to claim leads.
DROP INDEX IF EXISTS amocrm_leads_unsynced;
CREATE INDEX IF NOT EXISTS amocrm_leads_to_sync
  ON amocrm_leads (id)
  WHERE status IN ('pending', 'failed', 'syncing', 'sending');
-- Messages Telegram did not take, sent once more by the next scheduled run.
CREATE INDEX IF NOT EXISTS amocrm_leads_telegram_failed
  ON amocrm_leads (id) WHERE telegram = 'failed';
