-- Leads of workflows/lead-intake-postgres.json: one row per form submission.
-- Run once in the database the workflow's Postgres credential connects to, e.g.
--   psql "postgresql://user:password@host:5432/mydb" -f workflows/leads.sql
-- Safe to run again, and to run on a table made by an older version of the template
-- (it adds only what is missing).
--
-- status: pending  stored by the webhook, not yet in amoCRM (the next sync run takes it)
--         syncing  taken by a sync run until lease_until (a run that stopped loses it then);
--                  its contact is looked up (this table, then amoCRM's search): nothing created yet
--         sending  its deal is being created in amoCRM (deal_id is saved the moment it exists)
--         synced   contact, deal (and note) in amoCRM
--         failed   amoCRM refused or was unreachable: see error; sent again until attempts
--                  reaches the workflow's maxAttempts (then set it to 'pending' after fixing)
--         check    n8n stopped while sending the deal, or amoCRM's answer to it was lost: check
--                  amoCRM by hand, then set status to 'failed' (send again) or 'synced'

CREATE TABLE IF NOT EXISTS amocrm_leads (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text        NOT NULL,
  phone       text        NOT NULL,
  email       text        NOT NULL DEFAULT '',
  source      text        NOT NULL DEFAULT '',
  message     text        NOT NULL DEFAULT '',
  product_id  text        NOT NULL DEFAULT '',
  status      text        NOT NULL DEFAULT 'pending',
  attempts    integer     NOT NULL DEFAULT 0,
  contact_id  bigint,
  deal_id     bigint,
  deal_url    text,
  merged      boolean     NOT NULL DEFAULT false,
  note_id     bigint,      -- 0: n8n stopped while adding the note (it may exist: not sent again)
  error       text,
  field_problem text,
  lease_until timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS lease_until timestamptz;
-- A deal field amoCRM refused for this lead (the deal was made without its custom fields).
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS field_problem text;
-- amoCRM's duplicate control merged the lead into an existing deal (deal_id is that deal).
ALTER TABLE amocrm_leads ADD COLUMN IF NOT EXISTS merged boolean NOT NULL DEFAULT false;
ALTER TABLE amocrm_leads DROP CONSTRAINT IF EXISTS amocrm_leads_status_check;
ALTER TABLE amocrm_leads ADD CONSTRAINT amocrm_leads_status_check
  CHECK (status IN ('pending', 'syncing', 'sending', 'synced', 'failed', 'check'));

-- A new lead's phone or email this template already synced: its contact, without asking amoCRM.
CREATE INDEX IF NOT EXISTS amocrm_leads_synced_phone
  ON amocrm_leads (phone) WHERE status = 'synced' AND contact_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS amocrm_leads_synced_email
  ON amocrm_leads (lower(email)) WHERE status = 'synced' AND contact_id IS NOT NULL;

-- What each sync run reads (and locks) to claim leads.
DROP INDEX IF EXISTS amocrm_leads_unsynced;
CREATE INDEX IF NOT EXISTS amocrm_leads_to_sync
  ON amocrm_leads (id)
  WHERE status IN ('pending', 'failed', 'syncing', 'sending');
